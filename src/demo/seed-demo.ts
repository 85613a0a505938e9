import { eq } from "drizzle-orm";
import { programs } from "../db/schema/index.js";
import { createTeamUser } from "../domain/accounts/create-team-user.js";
import { countTeamUsers } from "../domain/accounts/set-up-owner.js";
import type { Ctx } from "../domain/context.js";
import { applyToProgram } from "../domain/enrollments/apply-to-program.js";
import type { EnrollmentAction } from "../domain/enrollments/enrollment-lifecycle.js";
import { transitionEnrollment } from "../domain/enrollments/transition-enrollment.js";
import { createPartner } from "../domain/partners/create-partner.js";
import { createProgram } from "../domain/programs/create-program.js";
import { rollUpClickHours } from "../domain/stats/click-hours.js";
import { rollUpCreditDays } from "../domain/stats/credit-days.js";
import { ManualClock } from "../lib/clock.js";
import { type DemoState, demoPartners, demoPrograms } from "./demo-data.js";
import { seedDemoLedger, seedDemoPlans } from "./seed-demo-commissions.js";
import { seedDemoFraud } from "./seed-demo-fraud.js";
import { seedDemoTracking } from "./seed-demo-tracking.js";

export { DEMO_PASSWORD } from "./demo-password.js";

import { DEMO_PASSWORD } from "./demo-password.js";
export const DEMO_OWNER_EMAIL = "owner@demo.test";

const stepsTo: Record<DemoState, { action: EnrollmentAction; reason?: string }[]> = {
  applied: [],
  approved: [],
  rejected: [{ action: "reject", reason: "audience does not match our buyers" }],
  active: [{ action: "approve" }],
  suspended: [{ action: "approve" }, { action: "suspend", reason: "paused while we review brand-bidding reports" }],
  terminated: [{ action: "approve" }, { action: "terminate", reason: "no activity for six months" }],
};

/**
 * The demo company: three programs of different types and about fifty partners spread over every
 * lifecycle state, created through the same use cases as real traffic so the audit log tells the story.
 */
export async function seedDemo(base: Ctx, say: (line: string) => void): Promise<void> {
  const [existing] = await base.db
    .select({ id: programs.id })
    .from(programs)
    .where(eq(programs.slug, demoPrograms[0]!.slug));
  if (existing) {
    say("demo data already loaded");
    return;
  }
  // History spread over the last four months so lists and the audit log look lived-in.
  const start = base.clock.now().getTime() - 120 * 86_400_000;
  const clock = new ManualClock(new Date(start));
  // Applications spread evenly over 110 days; each decision a day later, so nothing lands in the future.
  const spacing = Math.floor((110 * 86_400_000) / demoPartners.length);
  const ctx: Ctx = { ...base, clock, actor: { type: "system", label: "demo seed" } };
  if ((await countTeamUsers(ctx)) === 0) {
    await createTeamUser(ctx, {
      email: DEMO_OWNER_EMAIL,
      name: "Olivia Owner",
      role: "owner",
      password: DEMO_PASSWORD,
    });
    await createTeamUser(ctx, {
      email: "manager@demo.test",
      name: "Max Manager",
      role: "manager",
      password: DEMO_PASSWORD,
    });
    say(`demo console sign-in: ${DEMO_OWNER_EMAIL} / ${DEMO_PASSWORD}`);
  }
  const created = [];
  for (const p of demoPrograms) created.push(await createProgram(ctx, p));

  for (const [i, partner] of demoPartners.entries()) {
    clock.set(new Date(start + i * spacing + (i % 7) * 3_600_000));
    const program = created[partner.program]!;
    const answers: Record<string, string | number> = {};
    for (const q of program.applicationQuestions) {
      answers[q.id] =
        q.type === "number"
          ? 500 + i * 137
          : q.type === "select"
            ? q.options![i % q.options!.length]!
            : q.type === "url"
              ? `https://${partner.domain}`
              : `We focus on ${partner.focus}.`;
    }
    if (partner.state === "approved") {
      // Signed by the channel team offline: approved, but the partner has not accepted the terms yet.
      await createPartner(ctx, {
        name: partner.company,
        type: partner.type,
        country: partner.country,
        website: `https://${partner.domain}`,
        contacts: [{ name: partner.contact, email: partner.email, role: "primary" }],
        enrollInProgramId: program.id,
      });
      continue;
    }
    const { enrollment } = await applyToProgram(ctx, program.slug, {
      email: partner.email,
      password: DEMO_PASSWORD,
      name: partner.contact,
      company: partner.company,
      partnerType: partner.type,
      country: partner.country,
      website: `https://${partner.domain}`,
      answers,
      acceptTerms: true,
    });
    clock.advance(86_400_000);
    const manager = { ...ctx, actor: { type: "system" as const, label: "demo seed (manager)" } };
    for (const step of stepsTo[partner.state])
      await transitionEnrollment(manager, enrollment.id, step.action, step.reason);
  }
  await seedDemoPlans(ctx, created);
  await seedDemoTracking(base, say);
  // Before the ledger: the commission engine reads the open cases and holds what they hold.
  await seedDemoFraud(base, say);
  // Their clicks went into hours the rollup may already have counted (it runs while the demo loads).
  await rollUpClickHours(base, { recountFrom: new Date(start) });
  await rollUpCreditDays(base, { recountFrom: new Date(start) });
  await seedDemoLedger(base, created, say);
  say(
    `demo data loaded: ${created.length} programs, ${demoPartners.length} partners; portal sign-in: ${demoPartners[0]!.email} / ${DEMO_PASSWORD}`,
  );
}
