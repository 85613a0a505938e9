import { eq } from "drizzle-orm";
import { fraudDecisions, fraudReviews } from "../../src/db/schema/index.js";
import { PASSWORD, type TestApp } from "../helpers/test-app.js";

export { CHROME, click, type ProgramSetup as FraudSetup, programWithPartners } from "../helpers/program-setup.js";

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
