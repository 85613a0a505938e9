import { programs } from "../../db/schema/index.js";
import type { FieldError } from "../../lib/errors.js";
import { newId } from "../../lib/ids.js";
import type { Ctx } from "../context.js";
import { recordAudit } from "../governance/record-audit.js";
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
import type { CreateProgramInput } from "./programs.schemas.js";
import { checkStripeBillingOverlap, normalizeStripeBilling } from "./stripe-billing-setting.js";

export const DEFAULT_COOKIE_WINDOW_DAYS = 30;

const landingDomain = (url: string | null | undefined): string[] => {
  try {
    return url ? [new URL(url).hostname] : [];
  } catch {
    return [];
  }
};

export async function createProgram(ctx: Ctx, input: CreateProgramInput) {
  const now = ctx.clock.now();
  const errors: FieldError[] = [];
  checkCurrency(input.currency, errors);
  // Without explicit domains, the landing page's own domain is the natural (and only safe) default.
  const allowedDomains = normalizeDomains(input.allowedDomains ?? landingDomain(input.defaultLandingUrl), errors);
  checkLandingUrl(input.defaultLandingUrl, allowedDomains, errors);
  const applicationQuestions = normalizeQuestions(input.applicationQuestions ?? [], now, errors);
  const linkDomain = normalizeLinkDomain(input.linkDomain, errors) ?? null;
  const stripeBilling = normalizeStripeBilling(input.stripeBilling, errors) ?? null;
  await checkStripeBillingOverlap(ctx.db, null, stripeBilling, errors);
  throwIfErrors(errors);

  return uniqueViolation(
    { programs_slug_key: ["/slug", `the slug "${input.slug}" is already used by another program`] },
    () =>
      ctx.db.transaction(async (tx) => {
        const [program] = await tx
          .insert(programs)
          .values({
            id: newId("program", now),
            name: input.name.trim(),
            slug: input.slug,
            type: input.type,
            status: input.status ?? "active",
            description: input.description ?? "",
            currency: input.currency,
            cookieWindowDays: input.cookieWindowDays ?? DEFAULT_COOKIE_WINDOW_DAYS,
            allowedDomains,
            defaultLandingUrl: input.defaultLandingUrl ?? null,
            termsText: input.termsText ?? "",
            termsVersion: 1,
            applicationQuestions,
            attributionModel: input.attributionModel,
            timeDecayHalfLifeDays: input.timeDecayHalfLifeDays,
            lifetimeBinding: input.lifetimeBinding,
            couponPrecedence: input.couponPrecedence,
            clickIdParam: input.clickIdParam,
            utmParams: input.utmParams,
            linkDomain,
            stripeBilling,
            holdingDays: input.holdingDays,
            ruleSelection: input.ruleSelection,
            payoutSchedule: input.payoutSchedule,
            payoutMinimumMinor: input.payoutMinimum === undefined ? undefined : BigInt(input.payoutMinimum),
            requireTaxForm: input.requireTaxForm,
            createdAt: now,
            updatedAt: now,
          })
          .returning();
        if (!program) throw new Error("insert returned no row");
        await recordAudit(tx, ctx, {
          action: "program.create",
          entityType: "program",
          entityId: program.id,
          programId: program.id,
          after: program,
        });
        return toProgramView(program);
      }),
  );
}
