import { createHash } from "node:crypto";
import { like } from "drizzle-orm";
import { afterAll, beforeAll, expect, test } from "vitest";
import type { Database } from "../../src/db/client.js";
import { settings } from "../../src/db/schema/index.js";
import { IpHasher, type RowWithIp } from "../../src/domain/tracking/ip-hasher.js";
import { createTestDb } from "../helpers/test-db.js";

let database: Database;

beforeAll(async () => {
  database = await createTestDb();
});
afterAll(async () => database.close());

const saltRows = async () =>
  (await database.db.select().from(settings).where(like(settings.key, "ip_salt:%"))).sort((a, b) =>
    a.key < b.key ? -1 : 1,
  );

/** Hashes one address at a time, through `hashRows` as the click writer does. */
const hashOf = async (hasher: IpHasher, ip: string, at: string) => {
  const row: RowWithIp = { at: new Date(at), ip };
  await hasher.hashRows([row]);
  expect(row).not.toHaveProperty("ip");
  return row.ipHash;
};

test("SHA-256 of a random salt of the UTC day and the address; instances share the day's salt; old salts are deleted", async () => {
  const first = new IpHasher(database.db);
  const second = new IpHasher(database.db);
  const day1 = await hashOf(first, "203.0.113.7", "2026-06-01T00:00:00Z");
  expect(await hashOf(second, "203.0.113.7", "2026-06-01T23:59:59.999Z")).toBe(day1);
  expect(await hashOf(first, "203.0.113.8", "2026-06-01T12:00:00Z")).not.toBe(day1);

  const [salt] = await saltRows();
  expect(salt?.key).toBe("ip_salt:2026-06-01");
  const reference = createHash("sha256")
    .update(Buffer.from(salt!.value, "base64url"))
    .update("203.0.113.7")
    .digest("base64url")
    .slice(0, 22);
  expect(day1).toBe(reference);
  // Random, not derived: nothing else in the database (or the code) reproduces it.
  expect(Buffer.from(salt!.value, "base64url")).toHaveLength(32);

  const day2 = await hashOf(second, "203.0.113.7", "2026-06-02T08:00:00Z");
  expect(day2).not.toBe(day1);
  expect(await hashOf(first, "203.0.113.7", "2026-06-02T20:00:00Z")).toBe(day2);
  // Yesterday's salt stays while a batch queued before midnight may still need it...
  expect((await saltRows()).map((r) => r.key)).toEqual(["ip_salt:2026-06-01", "ip_salt:2026-06-02"]);
  // ...and is gone once the day after has begun: day 1's hashes can no longer be recomputed from anything stored.
  await hashOf(first, "203.0.113.7", "2026-06-03T00:00:01Z");
  expect((await saltRows()).map((r) => r.key)).toEqual(["ip_salt:2026-06-02", "ip_salt:2026-06-03"]);
  const again = new IpHasher(database.db);
  expect(await hashOf(again, "203.0.113.7", "2026-06-01T12:00:00Z")).not.toBe(day1);
});

test("a long forwarded chain is hashed whole; rows without an address are left alone", async () => {
  const hasher = new IpHasher(database.db);
  const long = `203.0.113.7, ${"198.51.100.1, ".repeat(20)}`;
  const a = await hashOf(hasher, long, "2026-07-01T10:00:00Z");
  expect(a).toMatch(/^[A-Za-z0-9_-]{22}$/);
  expect(await hashOf(hasher, `${long}x`, "2026-07-01T10:00:00Z")).not.toBe(a);
  const hashed: RowWithIp = { at: new Date("2026-07-01T10:00:00Z"), ipHash: "kept" };
  await hasher.hashRows([hashed]);
  expect(hashed.ipHash).toBe("kept");
});
