import { type Agent, applicationBody, type ProgramJson, programBody, type TestApp } from "./test-app.js";

export const CHROME =
  "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36";

export interface ProgramSetup {
  program: ProgramJson & { id: string };
  /** `name`: the partner's display name (its company, as it applied). */
  partners: { id: string; name: string; enrollmentId: string; slug: string; email: string; agent: Agent }[];
}

let seq = 0;

/** A program with approved partners, each applied through the public page, with a portal session and a default link. */
export async function programWithPartners(
  t: TestApp,
  owner: Agent,
  count = 2,
  overrides: Record<string, unknown> = {},
): Promise<ProgramSetup> {
  const created = await owner.post("/v1/programs", programBody({ applicationQuestions: [], ...overrides }));
  if (created.statusCode !== 201) throw new Error(`program: ${created.body}`);
  const program = created.json();
  const partners: ProgramSetup["partners"] = [];
  for (let i = 0; i < count; i++) {
    const agent = t.agent();
    const email = `p${i}-${++seq}@partner${seq}.test`;
    const application = applicationBody(program, email);
    const e = (await agent.post(`/v1/public/programs/${program.slug}/applications`, application)).json();
    await owner.post(`/v1/enrollments/${e.id}/approve`, {});
    const [link] = (await agent.get("/v1/portal/links")).json().items;
    partners.push({ id: e.partnerId, name: application.company, enrollmentId: e.id, slug: link.slug, email, agent });
  }
  return { program, partners };
}

/** A partner who applied on a program's public page and was approved; `agent` is its portal session. */
export interface EnrolledPartner {
  agent: Agent;
  partnerId: string;
  enrollmentId: string;
}

/**
 * A program created by `owner` through the API (programBody with `settings`, its application questions kept) and
 * `count` partners who applied on its public page and were approved, each step checked. Unlike
 * programWithPartners, no link is fetched: for the tests about money rather than traffic.
 */
export async function programWithEnrolled(
  t: TestApp,
  owner: Agent,
  settings: Record<string, unknown> = {},
  count = 1,
): Promise<{ program: ProgramJson & { currency: string }; partners: EnrolledPartner[] }> {
  const created = await owner.post("/v1/programs", programBody(settings));
  if (created.statusCode !== 201) throw new Error(`program: ${created.body}`);
  const program = created.json<ProgramJson & { currency: string }>();
  const partners: EnrolledPartner[] = [];
  for (let i = 0; i < count; i++) {
    const agent = t.agent();
    const email = `e${++seq}@enrolled${seq}.test`;
    const applied = await agent.post(
      `/v1/public/programs/${program.slug}/applications`,
      applicationBody(program, email),
    );
    if (applied.statusCode !== 201) throw new Error(`application: ${applied.body}`);
    const { id, partnerId } = applied.json<{ id: string; partnerId: string }>();
    const approved = await owner.post(`/v1/enrollments/${id}/approve`, {});
    if (approved.statusCode !== 200) throw new Error(`approval: ${approved.body}`);
    partners.push({ agent, partnerId, enrollmentId: id });
  }
  return { program, partners };
}

/** A real click through the redirect (from `remoteAddress`); returns the click id the destination receives. */
export async function click(
  t: TestApp,
  slug: string,
  headers: Record<string, string> = {},
  remoteAddress = "127.0.0.1",
): Promise<string> {
  const r = await t.app.inject({
    method: "GET",
    url: `/r/${slug}`,
    headers: { "user-agent": CHROME, ...headers },
    remoteAddress,
  });
  const location = r.headers.location as string | undefined;
  if (!location) throw new Error(`redirect failed: ${r.statusCode} ${r.body}`);
  return new URL(location).searchParams.get("tb_click")!;
}
