import { eq } from "drizzle-orm";
import type { SessionSubject } from "../../db/schema/index.js";
import { hashPassword, verifyPassword } from "../../lib/crypto.js";
import { AppError, fieldError } from "../../lib/errors.js";
import type { Ctx } from "../context.js";
import { recordAudit } from "../governance/record-audit.js";
import { accountsTable, findAccountById } from "./accounts-table.js";
import { assertPasswordAcceptable } from "./password-policy.js";
import { deleteSessionsOf } from "./sessions.js";

export interface ChangePasswordInput {
  subject: SessionSubject;
  accountId: string;
  currentPassword: string;
  newPassword: string;
  /** The session making the change stays signed in; every other one ends. */
  currentSessionToken?: string | undefined;
}

export async function changePassword(ctx: Ctx, input: ChangePasswordInput): Promise<void> {
  const account = await findAccountById(ctx.db, input.subject, input.accountId);
  if (!account) throw new AppError("not_found", "account not found");
  if (!(await verifyPassword(account.passwordHash, input.currentPassword))) {
    throw fieldError("/currentPassword", "current password is incorrect");
  }
  assertPasswordAcceptable(input.newPassword, "/newPassword", account.email);
  if (input.newPassword === input.currentPassword)
    throw fieldError("/newPassword", "must differ from the current password");
  const passwordHash = await hashPassword(input.newPassword);
  const table = accountsTable(input.subject);
  await ctx.db.transaction(async (tx) => {
    await tx.update(table).set({ passwordHash, updatedAt: ctx.clock.now() }).where(eq(table.id, account.id));
    await deleteSessionsOf(tx, input.subject, account.id, input.currentSessionToken);
    await recordAudit(tx, ctx, {
      action: `${input.subject === "team" ? "team_user" : "partner_user"}.change_password`,
      entityType: input.subject === "team" ? "team_user" : "partner_user",
      entityId: account.id,
    });
  });
}
