import { desc, eq } from "drizzle-orm";
import { enrollments, programs } from "../../db/schema/index.js";
import { AppError } from "../../lib/errors.js";
import type { Ctx } from "../context.js";
import { toEnrollmentView } from "../enrollments/enrollment-view.js";

/** "My programs": every enrollment of the signed-in partner's organisation, with what it still has to do. */
export async function listMyEnrollments(ctx: Ctx) {
  if (ctx.actor.type !== "partner") throw new AppError("forbidden", "partner users only");
  const rows = await ctx.db
    .select({ enrollment: enrollments, program: programs })
    .from(enrollments)
    .innerJoin(programs, eq(programs.id, enrollments.programId))
    .where(eq(enrollments.partnerId, ctx.actor.partnerId))
    .orderBy(desc(enrollments.id));
  return rows.map(({ enrollment, program }) => ({
    ...toEnrollmentView(enrollment, {
      program: { id: program.id, name: program.name, slug: program.slug, type: program.type },
    }),
    programDetails: {
      name: program.name,
      slug: program.slug,
      type: program.type,
      currency: program.currency,
      cookieWindowDays: program.cookieWindowDays,
      termsText: program.termsText,
      termsVersion: program.termsVersion,
      allowedDomains: program.allowedDomains,
      defaultLandingUrl: program.defaultLandingUrl,
      // What the redirect adds to every landing address, so the link builder can say which of a partner's own
      // UTM parameters it would drop (the program's win).
      utmParams: program.utmParams,
      clickIdParam: program.clickIdParam,
    },
    needsTermsAcceptance:
      program.termsText.trim() !== "" &&
      enrollment.termsVersionAccepted !== program.termsVersion &&
      !["rejected", "terminated"].includes(enrollment.status),
  }));
}
