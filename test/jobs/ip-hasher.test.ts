import { createHash } from "node:crypto";
import { like } from "drizzle-orm";
import { afterAll, beforeAll, expect, test } from "vitest";
import type { Database } from "../../src/db/client.js";
import { settings } from "../../src/db/schema/index.js";
import { forgetIpSalts, IpHasher, type RowWithIp } from "../../src/domain/tracking/ip-hasher.js";
import { ManualClock } from "../../src/lib/clock.js";
import { createTestDb } from "../helpers/test-db.js";

let database: Database;

beforeAll(async () => {
  database = await createTestDb();
});
afterAll(async () => database.close());

const saltKeys = async () =>
  (await database.db.select().from(settings).where(like(settings.key, "ip_salt:%"))).map((r) => r.key).sort();
const saltOf = async (key: string) =>
  (await database.db.select().from(settings).where(like(settings.key, key)))[0]?.value;

/** Hashes one address at a time, through `hashRows` as the click writer does. */
const hashOf = async (hasher: IpHasher, ip: string, at: string) => {
  const row: RowWithIp = { at: new Date(at), ip };
  await hasher.hashRows([row]);
  expect(row.ip).toBeUndefined();
  return row.ipHash;
};
const forgetAt = (at: string) => forgetIpSalts({ db: database.db, clock: new ManualClock(new Date(at)) });

test("SHA-256 of a random salt of the UTC day and the address; instances share the day's salt", async () => {
  const first = new IpHasher(database.db);
  const second = new IpHasher(database.db);
  const day1 = await hashOf(first, "203.0.113.7", "2026-06-01T00:00:00Z");
  expect(await hashOf(second, "203.0.113.7", "2026-06-01T23:59:59.999Z")).toBe(day1);
  expect(await hashOf(first, "203.0.113.8", "2026-06-01T12:00:00Z")).not.toBe(day1);

  const salt = await saltOf("ip_salt:2026-06-01");
  const reference = createHash("sha256")
    .update(Buffer.from(salt!, "base64url"))
    .update("203.0.113.7")
    .digest("base64url")
    .slice(0, 22);
  expect(day1).toBe(reference);
  // Random, not derived: nothing else in the database (or the code) reproduces it.
  expect(Buffer.from(salt!, "base64url")).toHaveLength(32);

  const day2 = await hashOf(second, "203.0.113.7", "2026-06-02T08:00:00Z");
  expect(day2).not.toBe(day1);
  expect(await hashOf(first, "203.0.113.7", "2026-06-02T20:00:00Z")).toBe(day2);
});

test("a day's salt is deleted minutes after the day ends, with the lasting secret of earlier versions", async () => {
  const hasher = new IpHasher(database.db);
  const before = await hashOf(hasher, "198.51.100.4", "2026-08-01T23:59:59Z");
  await forgetAt("2026-08-01T23:59:59Z"); // the other tests' older days
  await database.db.insert(settings).values({ key: "ip_hash_secret", value: "from an earlier version" });
  // Clicks queued just before midnight are still written with their day's salt...
  expect(await forgetAt("2026-08-02T00:05:00Z")).toEqual({ deleted: 1 });
  expect(await saltKeys()).toContain("ip_salt:2026-08-01");
  expect(await saltOf("ip_hash_secret")).toBeUndefined();
  // ...and ten minutes on it is gone: that day's hashes can no longer be recomputed from anything stored.
  await hashOf(hasher, "198.51.100.4", "2026-08-02T00:10:30Z");
  await forgetAt("2026-08-02T00:10:30Z");
  expect((await saltKeys()).filter((k) => k >= "ip_salt:2026-08")).toEqual(["ip_salt:2026-08-02"]);
  expect(await hashOf(new IpHasher(database.db), "198.51.100.4", "2026-08-01T23:59:59Z")).not.toBe(before);
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
