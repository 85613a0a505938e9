import { inArray } from "drizzle-orm";
import { afterAll, beforeAll, expect, test } from "vitest";
import type { Database } from "../../src/db/client.js";
import { copyValue } from "../../src/db/copy-rows.js";
import { clicks } from "../../src/db/schema/index.js";
import { type ClickRow, ClickWriter } from "../../src/domain/tracking/click-writer.js";
import { IpHasher } from "../../src/domain/tracking/ip-hasher.js";
import { newId } from "../../src/lib/ids.js";
import { createTestDb } from "../helpers/test-db.js";

const warnings: unknown[] = [];
const log = { info() {}, warn: (o: unknown) => warnings.push(o), error() {}, debug() {} };
let database: Database;

beforeAll(async () => {
  database = await createTestDb();
});
afterAll(async () => database.close());

const at = new Date("2026-06-01T12:00:00.123Z");
const click = (over: Partial<ClickRow> = {}): ClickRow => ({
  id: `clk_${newId("customer", at).slice(4)}`,
  programId: "prg_01JZ0000000000000000000000",
  partnerId: "ptn_01JZ0000000000000000000000",
  linkId: "lnk_01JZ0000000000000000000000",
  at,
  source: "redirect",
  ipHash: "abcdefghijklmnopqrstuv",
  deviceHash: null,
  country: "NL",
  deviceType: "desktop",
  browser: "Chrome",
  os: "Linux",
  referrer: null,
  sub1: null,
  sub2: null,
  sub3: null,
  sub4: null,
  sub5: null,
  ...over,
});

const stored = (ids: string[]) => database.db.select().from(clicks).where(inArray(clicks.id, ids));

test("COPY's text format: null is \\N, and only backslash, tab and line breaks are escaped", () => {
  expect(copyValue(null)).toBe("\\N");
  expect(copyValue(undefined)).toBe("\\N");
  expect(copyValue("plain text, ünïcødé 🎉")).toBe("plain text, ünïcødé 🎉");
  expect(copyValue("a\tb\nc\rd\\e")).toBe("a\\tb\\nc\\rd\\\\e");
  // The literal two characters \N are a value, not null.
  expect(copyValue("\\N")).toBe("\\\\N");
});

test("every value of a batch lands exactly as given, whatever its characters", async () => {
  const writer = new ClickWriter(database.db, log, { maxBatch: 1000, flushIntervalMs: 0, maxQueue: 10_000 });
  const tricky = [
    click({ referrer: "https://example.com/a?b=c\td", sub1: "line one\nline two", sub2: "back\\slash" }),
    click({ sub3: "\\N", sub4: "", sub5: "carriage\rreturn", referrer: 'ünïcødé 🎉 — ‘quotes’ "double"' }),
    click({ linkId: null, ipHash: null, country: null, browser: null, os: null, adNetwork: "google_ads" }),
    click({ adNetwork: "microsoft_ads", adClickParam: "msclkid", sub1: "tab\tafter" }),
  ];
  await Promise.all(tricky.map((row) => writer.add(row)));
  await writer.close();
  const rows = await stored(tricky.map((r) => r.id));
  expect(rows).toHaveLength(4);
  const byId = new Map(rows.map((r) => [r.id, r]));
  for (const sent of tricky) {
    const got = byId.get(sent.id)!;
    expect(got.at.toISOString()).toBe(sent.at.toISOString());
    for (const [column, value] of Object.entries({
      linkId: sent.linkId,
      ipHash: sent.ipHash,
      country: sent.country,
      browser: sent.browser,
      os: sent.os,
      referrer: sent.referrer,
      sub1: sent.sub1,
      sub2: sent.sub2,
      sub3: sent.sub3,
      sub4: sent.sub4,
      sub5: sent.sub5,
      adNetwork: sent.adNetwork,
      adClickParam: sent.adClickParam,
    }))
      expect(got[column as keyof typeof got], column).toBe(value ?? null);
  }
  expect(writer.written).toBe(4);
  expect(writer.dropped).toBe(0);
  // Written by the first attempt (COPY on PostgreSQL), not rescued by the retry's insert.
  expect(warnings).toEqual([]);
});

test("a batch whose clicks are partly stored already is written once, without duplicates", async () => {
  // As after a COPY that committed but whose answer was lost: the retry must add only what is missing.
  const writer = new ClickWriter(database.db, log, { maxBatch: 1000, flushIntervalMs: 0, maxQueue: 10_000 });
  const first = click();
  await writer.add(first);
  const again = new ClickWriter(database.db, log, { maxBatch: 1000, flushIntervalMs: 0, maxQueue: 10_000 });
  const fresh = click({ adNetwork: "google_ads", adClickParam: "gclid" });
  await Promise.all([again.add(first), again.add(fresh)]);
  await again.close();
  await writer.close();
  const rows = await stored([first.id, fresh.id]);
  expect(rows.map((r) => r.id).sort()).toEqual([first.id, fresh.id].sort());
  // The retry's insert writes every column the COPY does.
  expect(rows.find((r) => r.id === fresh.id)).toMatchObject({ adNetwork: "google_ads", adClickParam: "gclid" });
  expect(again.dropped).toBe(0);
});

test("a click written on its own after its batch's retries still gets its IP hash", async () => {
  // The day's salt fails to load through every retry of the batch (the database away), then loads again.
  const salts = new IpHasher(database.db);
  let failures = 5;
  const flaky: Pick<IpHasher, "hashRows"> = {
    hashRows: (rows) => (failures-- > 0 ? Promise.reject(new Error("salt unavailable")) : salts.hashRows(rows)),
  };
  const writer = new ClickWriter(database.db, log, { maxBatch: 1000, flushIntervalMs: 0, maxQueue: 10_000 }, flaky);
  const row = { ...click({ ipHash: null }), ip: "203.0.113.9" };
  await writer.add(row);
  await writer.close();
  const [got] = await stored([row.id]);
  expect(got?.ipHash).toMatch(/^[A-Za-z0-9_-]{22}$/);
  expect(JSON.stringify(got)).not.toContain("203.0.113.9");
}, 20_000);
