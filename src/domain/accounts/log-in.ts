import { eq } from "drizzle-orm";
import type { SessionSubject } from "../../db/schema/index.js";
import { dummyPasswordHash, verifyPassword } from "../../lib/crypto.js";
import { AppError } from "../../lib/errors.js";
import type { Ctx } from "../context.js";
import { recordAudit } from "../governance/record-audit.js";
import { accountsTable, findAccountByEmail } from "./accounts-table.js";
import { createSession } from "./sessions.js";

export const MAX_FAILED_LOGINS = 5;
export const LOCKOUT_MINUTES = 15;

export interface LogInInput {
  subject: SessionSubject;
  email: string;
  password: string;
  userAgent?: string | undefined;
  deviceId?: string | undefined;
}

/**
 * Password log-in for team and partner users alike. Consecutive failures lock the account for a while
 * (per-account limit; the HTTP layer adds a per-IP limit), and the answer never tells which emails exist.
 */
export async function logIn(ctx: Ctx, input: LogInInput) {
  const now = ctx.clock.now();
  const account = await findAccountByEmail(ctx.db, input.subject, input.email);
  if (!account) {
    await verifyPassword(await dummyPasswordHash(), input.password);
    throw new AppError("unauthorized", "email or password is incorrect");
  }
  if (account.lockedUntil && account.lockedUntil > now) {
    throw new AppError("rate_limited", "too many failed log-in attempts; try again later", {
      extra: { retryAfterSeconds: Math.ceil((account.lockedUntil.getTime() - now.getTime()) / 1000) },
    });
  }
  const table = accountsTable(input.subject);
  const passwordOk = await verifyPassword(account.passwordHash, input.password);
  if (!passwordOk || account.disabledAt) {
    const failedLogins = account.failedLogins + 1;
    const locked = failedLogins >= MAX_FAILED_LOGINS;
    await ctx.db
      .update(table)
      .set({
        failedLogins: locked ? 0 : failedLogins,
        lockedUntil: locked ? new Date(now.getTime() + LOCKOUT_MINUTES * 60_000) : account.lockedUntil,
      })
      .where(eq(table.id, account.id));
    throw new AppError("unauthorized", "email or password is incorrect");
  }
  return ctx.db.transaction(async (tx) => {
    await tx.update(table).set({ failedLogins: 0, lockedUntil: null }).where(eq(table.id, account.id));
    const session = await createSession(tx, ctx, {
      type: input.subject,
      id: account.id,
      ip: ctx.actor.ip,
      userAgent: input.userAgent,
      deviceId: input.deviceId,
    });
    const actor = { ...ctx, actor: { ...ctx.actor, label: account.email } };
    await recordAudit(tx, actor, {
      action: `${input.subject === "team" ? "team_user" : "partner_user"}.log_in`,
      entityType: input.subject === "team" ? "team_user" : "partner_user",
      entityId: account.id,
    });
    return { session, accountId: account.id };
  });
}
