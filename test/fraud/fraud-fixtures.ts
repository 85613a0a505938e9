import { eq } from "drizzle-orm";
import { fraudDecisions, fraudReviews } from "../../src/db/schema/index.js";
import {
  type Agent,
  applicationBody,
  PASSWORD,
  type ProgramJson,
  programBody,
  type TestApp,
} from "../helpers/test-app.js";

export const CHROME =
  "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36";

export interface FraudSetup {
  program: ProgramJson & { id: string };
  partners: { id: string; enrollmentId: string; slug: string; email: string; agent: Agent }[];
}

let seq = 0;

/** A program with approved partners, each with a portal session and a default link. */
export async function programWithPartners(t: TestApp, owner: Agent, count = 2): Promise<FraudSetup> {
  const created = await owner.post("/v1/programs", programBody({ applicationQuestions: [] }));
  if (created.statusCode !== 201) throw new Error(`program: ${created.body}`);
  const program = created.json();
  const partners: FraudSetup["partners"] = [];
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

/** A real click through the redirect; returns the click id the destination receives. */
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

/** A portal sign-in from an IP (the partner's users' sign-in IPs feed the self-referral rule). */
export async function signInFrom(t: TestApp, email: string, ip: string) {
  const r = await t.agent().post("/v1/portal/auth/login", { email, password: PASSWORD }, { remoteAddress: ip });
  if (r.statusCode !== 200) throw new Error(`sign-in: ${r.statusCode} ${r.body}`);
}

export const decisionsOf = async (t: TestApp, conversionId: string) =>
  (await t.database.db.select().from(fraudDecisions).where(eq(fraudDecisions.conversionId, conversionId))).sort(
    (a, b) => a.rule.localeCompare(b.rule),
  );

export const reviewOf = async (t: TestApp, conversionId: string) =>
  (await t.database.db.select().from(fraudReviews).where(eq(fraudReviews.conversionId, conversionId)))[0];

let orders = 0;
export const nextOrder = () => `ord-${++orders}-${Math.random().toString(36).slice(2, 6)}`;
