import { eq, sql } from "drizzle-orm";
import type { Db } from "../../db/client.js";
import { partnerUsers, type SessionSubject, teamUsers } from "../../db/schema/index.js";

/** Team users and partner users share the credential columns; this picks the table for a session subject. */
export const accountsTable = (type: SessionSubject) => (type === "team" ? teamUsers : partnerUsers);

export async function findAccountByEmail(db: Db, type: SessionSubject, email: string) {
  const table = accountsTable(type);
  const [row] = await db
    .select({
      id: table.id,
      email: table.email,
      name: table.name,
      passwordHash: table.passwordHash,
      failedLogins: table.failedLogins,
      lockedUntil: table.lockedUntil,
      disabledAt: table.disabledAt,
    })
    .from(table)
    .where(eq(sql`lower(${table.email})`, email.trim().toLowerCase()))
    .limit(1);
  return row;
}

export async function findAccountById(db: Db, type: SessionSubject, id: string) {
  const table = accountsTable(type);
  const [row] = await db
    .select({ id: table.id, email: table.email, passwordHash: table.passwordHash, disabledAt: table.disabledAt })
    .from(table)
    .where(eq(table.id, id))
    .limit(1);
  return row;
}
