import { expect } from "vitest";
import type { TeamRole } from "../../src/db/schema/index.js";
import { FakeStripe } from "./fake-stripe.js";
import { type Agent, createTestApp, PASSWORD, type TestApp } from "./test-app.js";

/**
 * A test app paying through a fake Stripe started for it (`env` adds to the Stripe settings, e.g. webhook
 * secrets); closing the app stops the fake too.
 */
export async function createTestAppWithStripe(env: Record<string, string> = {}) {
  const stripe = await new FakeStripe().start();
  let t: TestApp;
  try {
    t = await createTestApp({ STRIPE_SECRET_KEY: stripe.secretKey, STRIPE_API_BASE: stripe.url, ...env });
  } catch (error) {
    await stripe.stop();
    throw error;
  }
  const close = async () => {
    await t.close();
    await stripe.stop();
  };
  return { t: { ...t, close } satisfies TestApp, stripe };
}

/** Team members of these roles, each signed in to the console, in this order. */
export async function signedInTeam<R extends TeamRole[]>(t: TestApp, ...roles: R): Promise<{ [K in keyof R]: Agent }> {
  const agents: Agent[] = [];
  for (const role of roles) agents.push(await t.team(role));
  return agents as { [K in keyof R]: Agent };
}

/** The partner sets its payout method in the portal (which asks for its password again). */
export const setPayoutMethod = (agent: Agent, method: Record<string, unknown>) =>
  agent.request("PUT", "/v1/portal/payout-method", { currentPassword: PASSWORD, ...method });

/** A payout run by `finance` for one program (as of `asOf` when given); it must succeed. */
export async function runPayoutsOf(finance: Agent, programId: string, asOf?: string) {
  const response = await finance.post("/v1/payout-runs", { programId, ...(asOf ? { asOf } : {}) });
  expect(response.statusCode, response.body).toBe(200);
  return response.json();
}
