import { eq } from "drizzle-orm";
import type { Db } from "../../db/client.js";
import { type PartnerType, partners, partnerUsers } from "../../db/schema/index.js";
import { hashPassword, verifyPassword } from "../../lib/crypto.js";
import { AppError, type FieldError } from "../../lib/errors.js";
import { newId } from "../../lib/ids.js";
import { findAccountByEmail } from "../accounts/accounts-table.js";
import { normalizeEmail, PASSWORD_MAX, PASSWORD_MIN } from "../accounts/password-policy.js";
import type { Ctx } from "../context.js";
import { recordAudit } from "../governance/record-audit.js";
import { uniqueViolation } from "../unique-violation.js";
import { isHttpUrl } from "./validate-answers.js";

export interface ApplicantDetails {
  email: string;
  password: string;
  name: string;
  company: string;
  partnerType?: PartnerType | undefined;
  country?: string | undefined;
  website?: string | undefined;
}

export function checkApplicantDetails(input: { website?: string | undefined }, errors: FieldError[]): void {
  if (input.website && !isHttpUrl(input.website))
    errors.push({ field: "/website", message: "must be a full URL starting with https://" });
}

/**
 * Finds or creates the partner account behind an application or invitation. An email that already has a
 * portal account must prove it with that account's password, and then applies for the same organisation.
 */
export async function resolveApplicantAccount(tx: Db, ctx: Ctx, input: ApplicantDetails) {
  const email = normalizeEmail(input.email);
  const existing = await findAccountByEmail(tx, "partner", email);
  if (existing) {
    const ok = !existing.disabledAt && (await verifyPassword(existing.passwordHash, input.password));
    if (!ok) {
      throw new AppError(
        "conflict",
        "a partner account with this email already exists: log in to the portal to apply, or use its password",
        {
          fields: [{ field: "/email", message: "already has a partner account; enter that account's password" }],
        },
      );
    }
    const [user] = await tx.select().from(partnerUsers).where(eq(partnerUsers.id, existing.id));
    if (!user) throw new Error("partner user vanished");
    return { partnerId: user.partnerId, partnerUserId: user.id, email, created: false };
  }
  if (input.password.length < PASSWORD_MIN || input.password.length > PASSWORD_MAX) {
    throw new AppError("validation", `password must be ${PASSWORD_MIN} to ${PASSWORD_MAX} characters`, {
      fields: [{ field: "/password", message: `must be ${PASSWORD_MIN} to ${PASSWORD_MAX} characters` }],
    });
  }
  const now = ctx.clock.now();
  const passwordHash = await hashPassword(input.password);
  const [partner] = await tx
    .insert(partners)
    .values({
      id: newId("partner", now),
      name: input.company.trim(),
      type: input.partnerType ?? "affiliate",
      country: input.country ?? null,
      website: input.website?.trim() || null,
      contacts: [{ name: input.name.trim(), email, role: "primary" }],
      createdAt: now,
      updatedAt: now,
    })
    .returning();
  if (!partner) throw new Error("insert returned no row");
  const [user] = await uniqueViolation(
    { partner_users_email_key: ["/email", "this email already has a partner account"] },
    () =>
      tx
        .insert(partnerUsers)
        .values({
          id: newId("partnerUser", now),
          partnerId: partner.id,
          email,
          name: input.name.trim(),
          passwordHash,
          createdAt: now,
          updatedAt: now,
        })
        .returning(),
  );
  if (!user) throw new Error("insert returned no row");
  await recordAudit(tx, ctx, {
    action: "partner.create",
    entityType: "partner",
    entityId: partner.id,
    partnerId: partner.id,
    after: partner,
  });
  await recordAudit(tx, ctx, {
    action: "partner_user.create",
    entityType: "partner_user",
    entityId: user.id,
    partnerId: partner.id,
    after: user,
  });
  return { partnerId: partner.id, partnerUserId: user.id, email, created: true };
}
