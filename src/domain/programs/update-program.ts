import { eq } from "drizzle-orm";
import { commissionEntries, programs } from "../../db/schema/index.js";
import { AppError, type FieldError } from "../../lib/errors.js";
import type { Ctx } from "../context.js";
import { recordAudit } from "../governance/record-audit.js";
import { notifyCacheChanged } from "../links/link-rules.js";
import { uniqueViolation } from "../unique-violation.js";
import {
  checkCurrency,
  checkLandingUrl,
  normalizeDomains,
  normalizeLinkDomain,
  normalizeQuestions,
  throwIfErrors,
} from "./program-rules.js";
import { toProgramView } from "./program-view.js";
import type { UpdateProgramInput } from "./programs.schemas.js";
import { checkStripeBillingOverlap, normalizeStripeBilling } from "./stripe-billing-setting.js";

/** Partial update. Changing the terms text publishes a new terms version that partners must accept again. */
export async function updateProgram(ctx: Ctx, programId: string, input: UpdateProgramInput) {
  const now = ctx.clock.now();
  return uniqueViolation(
    { programs_slug_key: ["/slug", `the slug "${input.slug}" is already used by another program`] },
    () =>
      ctx.db.transaction(async (tx) => {
        const [before] = await tx.select().from(programs).where(eq(programs.id, programId)).for("update");
        if (!before) throw new AppError("not_found", `program ${programId} not found`);

        const errors: FieldError[] = [];
        checkCurrency(input.currency, errors);
        const allowedDomains = input.allowedDomains
          ? normalizeDomains(input.allowedDomains, errors)
          : before.allowedDomains;
        const defaultLandingUrl =
          input.defaultLandingUrl === undefined ? before.defaultLandingUrl : input.defaultLandingUrl;
        checkLandingUrl(defaultLandingUrl, allowedDomains, errors);
        const applicationQuestions = input.applicationQuestions
          ? normalizeQuestions(input.applicationQuestions, now, errors)
          : before.applicationQuestions;
        const linkDomain = normalizeLinkDomain(input.linkDomain, errors);
        const stripeBilling = normalizeStripeBilling(input.stripeBilling, errors);
        await checkStripeBillingOverlap(tx, programId, stripeBilling, errors);
        // Plans, the ledger, payouts and statements are in the program's currency: changing it under existing
        // entries would relabel USD 100.00 as JPY 10,000 and mix both in one payout.
        if (input.currency !== undefined && input.currency !== before.currency) {
          const [used] = await tx
            .select({ id: commissionEntries.id })
            .from(commissionEntries)
            .where(eq(commissionEntries.programId, programId))
            .limit(1);
          if (used)
            errors.push({
              field: "/currency",
              message: `the program has commissions in ${before.currency}; its currency cannot change now (create a new program for ${input.currency})`,
            });
        }
        throwIfErrors(errors);

        const termsChanged = input.termsText !== undefined && input.termsText !== before.termsText;
        const { payoutMinimum, ...fields } = input;
        const [after] = await tx
          .update(programs)
          .set({
            ...fields,
            ...(payoutMinimum === undefined ? {} : { payoutMinimumMinor: BigInt(payoutMinimum) }),
            name: input.name?.trim() ?? before.name,
            allowedDomains,
            defaultLandingUrl,
            applicationQuestions,
            ...(linkDomain === undefined ? {} : { linkDomain }),
            ...(stripeBilling === undefined ? {} : { stripeBilling }),
            termsVersion: termsChanged ? before.termsVersion + 1 : before.termsVersion,
            updatedAt: now,
          })
          .where(eq(programs.id, programId))
          .returning();
        if (!after) throw new Error("update returned no row");
        await notifyCacheChanged(tx, ctx, `program:${programId}`);
        await recordAudit(tx, ctx, {
          action: "program.update",
          entityType: "program",
          entityId: programId,
          programId,
          before,
          after,
        });
        return toProgramView(after);
      }),
  );
}
