import { randomBytes } from "node:crypto";
import { sql } from "drizzle-orm";
import type { Db } from "../../db/client.js";
import { ensureSetting } from "../../db/settings.js";
import { PrefixedHash } from "../../lib/prefixed-hash.js";

const DAY_MS = 86_400_000;
const KEY_PREFIX = "ip_salt:";

/** "2026-06-01": the UTC day a salt belongs to, as its settings key ends. */
const dayOf = (at: Date) => new Date(Math.floor(at.getTime() / DAY_MS) * DAY_MS).toISOString().slice(0, 10);
const dayBefore = (day: string) => new Date(Date.parse(day) - DAY_MS).toISOString().slice(0, 10);

/** A click waiting to be written: its row, and the visitor's address until the writer hashes it (IpHasher). */
export interface RowWithIp {
  at: Date;
  ip?: string | undefined;
  ipHash?: string | null | undefined;
}

/**
 * Click IPs are stored only as a SHA-256 with a random salt of their UTC day. The salt is made by whichever
 * instance needs it first and kept in the database, so every instance hashes a visitor alike within the day
 * (the velocity checks compare them), and it is deleted once the day after has begun: from then on nobody, not
 * even someone holding a copy of the database, can find an address from its hash by trying them all (the whole
 * IPv4 space takes minutes). A salt derived from a lasting secret would let them.
 */
export class IpHasher {
  /** Salts loaded (or loading), by day; only the latest two days are kept. */
  readonly #salts = new Map<string, Promise<PrefixedHash>>();

  constructor(private readonly db: Db) {}

  /** Sets each row's `ipHash` from its `ip` with the salt of the row's day, then drops the address from the row. */
  async hashRows(rows: RowWithIp[]): Promise<void> {
    let day = "";
    let salted: PrefixedHash | undefined;
    for (const row of rows) {
      if (row.ip === undefined) continue;
      const rowDay = dayOf(row.at);
      if (rowDay !== day || !salted) {
        salted = await this.#saltOf(rowDay);
        day = rowDay;
      }
      row.ipHash = row.ip ? salted.digest(row.ip) : null;
      delete row.ip;
    }
  }

  #saltOf(day: string): Promise<PrefixedHash> {
    let salt = this.#salts.get(day);
    if (!salt) {
      salt = this.#load(day);
      // A failed load (the database away) is tried again by the writer's next attempt, not remembered.
      salt.catch(() => this.#salts.delete(day));
      this.#salts.set(day, salt);
      const keep = dayBefore(day);
      for (const known of this.#salts.keys()) if (known < keep) this.#salts.delete(known);
    }
    return salt;
  }

  async #load(day: string): Promise<PrefixedHash> {
    // Two statements: an instance that loses the race to make the salt reads the winner's once it has committed.
    const value = await ensureSetting(this.db, `${KEY_PREFIX}${day}`, () => randomBytes(32).toString("base64url"));
    // Salts of days before yesterday have no use left; yesterday's serves clicks queued just before midnight.
    await this.db.execute(
      sql`delete from settings where key like ${`${KEY_PREFIX}%`} and key < ${`${KEY_PREFIX}${dayBefore(day)}`}`,
    );
    return new PrefixedHash(Buffer.from(value, "base64url"));
  }
}
