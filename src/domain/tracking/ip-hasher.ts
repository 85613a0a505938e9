import { randomBytes } from "node:crypto";
import { sql } from "drizzle-orm";
import { affectedRows, type Db } from "../../db/client.js";
import { ensureSetting } from "../../db/settings.js";
import type { Clock } from "../../lib/clock.js";
import { PrefixedHash } from "../../lib/prefixed-hash.js";

const DAY_MS = 86_400_000;
const KEY_PREFIX = "ip_salt:";
/** After midnight, how long the day before's salt is kept for clicks queued just before it. */
export const SALT_GRACE_MS = 10 * 60_000;

/** The settings key of a UTC day's salt (day number since the epoch), e.g. "ip_salt:2026-06-01". */
const keyOf = (day: number) => `${KEY_PREFIX}${new Date(day * DAY_MS).toISOString().slice(0, 10)}`;
const dayOf = (ms: number) => Math.floor(ms / DAY_MS);

/** A click waiting to be written: its row, and the visitor's address until the writer hashes it (IpHasher). */
export interface RowWithIp {
  at: Date;
  ip?: string | undefined;
  ipHash?: string | null | undefined;
}

/**
 * Click IPs are stored only as a SHA-256 with a random salt of their UTC day. The salt is made by whichever
 * instance needs it first and kept in the database, so every instance hashes a visitor alike within the day
 * (the velocity checks compare them), and it is deleted minutes after the day ends (forgetIpSalts): from then on
 * nobody, not even someone holding a copy of the database, can find an address from its hash by trying them all
 * (the whole IPv4 space takes minutes). A salt derived from a lasting secret would let them.
 */
export class IpHasher {
  /** Salts loaded (or loading), by day number; only the latest two days are kept. */
  readonly #salts = new Map<number, Promise<PrefixedHash>>();

  constructor(private readonly db: Db) {}

  /** Sets each row's `ipHash` from its `ip` with the salt of the row's day, then drops the address from the row. */
  async hashRows(rows: RowWithIp[]): Promise<void> {
    let day = -1;
    let salted: PrefixedHash | undefined;
    for (const row of rows) {
      if (row.ip === undefined) continue;
      const rowDay = dayOf(row.at.getTime());
      if (rowDay !== day || !salted) {
        salted = await this.#saltOf(rowDay);
        day = rowDay;
      }
      row.ipHash = row.ip ? salted.digest(row.ip) : null;
      // Assigned, not deleted: deleting a property turns the row into a slow dictionary object for the writer.
      row.ip = undefined;
    }
  }

  #saltOf(day: number): Promise<PrefixedHash> {
    let salt = this.#salts.get(day);
    if (!salt) {
      salt = this.#load(day);
      // A failed load (the database away) is tried again by the writer's next attempt, not remembered.
      salt.catch(() => this.#salts.delete(day));
      this.#salts.set(day, salt);
      for (const known of this.#salts.keys()) if (known < day - 1) this.#salts.delete(known);
    }
    return salt;
  }

  async #load(day: number): Promise<PrefixedHash> {
    // Two statements: an instance that loses the race to make the salt reads the winner's once it has committed.
    const value = await ensureSetting(this.db, keyOf(day), () => randomBytes(32).toString("base64url"));
    return new PrefixedHash(Buffer.from(value, "base64url"));
  }
}

/**
 * Deletes the salts of days that ended more than SALT_GRACE_MS ago, and the lasting secret IPs were hashed with
 * before salts were random (an instance of an earlier version may make it again while an upgrade rolls out).
 */
export async function forgetIpSalts({ db, clock }: { db: Db; clock: Clock }): Promise<{ deleted: number }> {
  const keep = keyOf(dayOf(clock.now().getTime() - SALT_GRACE_MS));
  const deleted = await db.execute(
    sql`delete from settings where (key like ${`${KEY_PREFIX}%`} and key < ${keep}) or key = 'ip_hash_secret'`,
  );
  return { deleted: affectedRows(deleted) };
}
