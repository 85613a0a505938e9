import { and, eq, gt, lt, ne } from "drizzle-orm";
import type { Db } from "../../db/client.js";
import { type SessionSubject, sessions } from "../../db/schema/index.js";
import { randomToken, sha256 } from "../../lib/crypto.js";
import type { Ctx } from "../context.js";
import { rememberPartnerIdentifier } from "../fraud/remember-partner-identifier.js";

/** What the HTTP layer knows of the browser signing in. */
export interface ClientInfo {
  userAgent?: string | undefined;
  /** Tributary's device cookie (tracking/device-cookie.ts). */
  deviceId?: string | undefined;
}

export interface NewSession {
  token: string;
  expiresAt: Date;
}

export async function createSession(
  tx: Db,
  ctx: Pick<Ctx, "clock" | "config">,
  subject: { type: SessionSubject; id: string; ip?: string | undefined } & ClientInfo,
): Promise<NewSession> {
  const now = ctx.clock.now();
  const token = randomToken();
  const expiresAt = new Date(now.getTime() + ctx.config.sessionTtlHours * 3_600_000);
  await tx.insert(sessions).values({
    tokenHash: sha256(token),
    subjectType: subject.type,
    subjectId: subject.id,
    createdAt: now,
    expiresAt,
    ip: subject.ip ?? null,
    userAgent: subject.userAgent?.slice(0, 300) ?? null,
  });
  // Where partner users sign in from is what the self-referral fraud rule compares conversions with.
  if (subject.type === "partner" && subject.ip) {
    await rememberPartnerIdentifier(tx, { partnerUserId: subject.id }, { kind: "ip", value: subject.ip }, now);
  }
  if (subject.type === "partner" && subject.deviceId) {
    await rememberPartnerIdentifier(
      tx,
      { partnerUserId: subject.id },
      { kind: "device", value: subject.deviceId },
      now,
    );
  }
  // Opportunistic clean-up keeps the table small without a separate job.
  await tx.delete(sessions).where(lt(sessions.expiresAt, now));
  return { token, expiresAt };
}

export async function findSession(db: Db, now: Date, type: SessionSubject, token: string) {
  const [row] = await db
    .select()
    .from(sessions)
    .where(and(eq(sessions.tokenHash, sha256(token)), eq(sessions.subjectType, type), gt(sessions.expiresAt, now)))
    .limit(1);
  return row;
}

export async function deleteSession(db: Db, token: string): Promise<void> {
  await db.delete(sessions).where(eq(sessions.tokenHash, sha256(token)));
}

/** After a password change every other session of that account ends. */
export async function deleteSessionsOf(db: Db, type: SessionSubject, subjectId: string, keepToken?: string) {
  const conditions = [eq(sessions.subjectType, type), eq(sessions.subjectId, subjectId)];
  if (keepToken) conditions.push(ne(sessions.tokenHash, sha256(keepToken)));
  await db.delete(sessions).where(and(...conditions));
}
