import { type Agent, applicationBody, type ProgramJson, programBody, type TestApp } from "./test-app.js";

export const CHROME =
  "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36";

export interface ProgramSetup {
  program: ProgramJson & { id: string };
  partners: { id: string; enrollmentId: string; slug: string; email: string; agent: Agent }[];
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
    const e = (
      await agent.post(`/v1/public/programs/${program.slug}/applications`, applicationBody(program, email))
    ).json();
    await owner.post(`/v1/enrollments/${e.id}/approve`, {});
    const [link] = (await agent.get("/v1/portal/links")).json().items;
    partners.push({ id: e.partnerId, enrollmentId: e.id, slug: link.slug, email, agent });
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
