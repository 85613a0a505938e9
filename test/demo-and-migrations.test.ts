import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { selectRows } from "../src/db/client.js";
import { migrateDatabase } from "../src/db/migrate.js";
import { enrollmentStatuses, enrollments, partners, programs } from "../src/db/schema/index.js";
import { seedDemo } from "../src/demo/seed-demo.js";
import { rollUpClickHours } from "../src/domain/stats/click-hours.js";
import { createTestApp, type TestApp } from "./helpers/test-app.js";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

describe("migrations", () => {
  test("applying them again changes nothing", async () => {
    const snapshot = async () => ({
      tables: await selectRows(
        t.database.db,
        sql`select table_name from information_schema.tables where table_schema = 'public' order by 1`,
      ),
      applied: await selectRows(t.database.db, sql`select hash from drizzle.__drizzle_migrations order by id`),
    });
    const before = await snapshot();
    await migrateDatabase(t.database);
    await Promise.all([migrateDatabase(t.database), migrateDatabase(t.database)]);
    expect(await snapshot()).toEqual(before);
  });
});

describe("demo company", () => {
  test("three programs of different types, about fifty partners in every lifecycle state, loaded once", async () => {
    const lines: string[] = [];
    // The server's click rollup runs while the demo loads: its first run may come before any click is written.
    await rollUpClickHours(t.ctx);
    await seedDemo(t.ctx, (l) => lines.push(l));
    const ps = await t.database.db.select().from(programs);
    expect(ps.map((p) => p.type).sort()).toEqual(["affiliate", "referral", "reseller"]);
    const loaded = await t.database.db.select().from(partners);
    expect(loaded.length).toBeGreaterThanOrEqual(45);
    // Names a real channel could have: each once, none numbered like a generated list ("Harbor Labs 2").
    const names = loaded.map((p) => p.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names.filter((n) => /\d/.test(n))).toEqual([]);
    const states = await t.database.db
      .select({ programId: enrollments.programId, status: enrollments.status })
      .from(enrollments);
    for (const p of ps) {
      expect(new Set(states.filter((s) => s.programId === p.id).map((s) => s.status))).toEqual(
        new Set(enrollmentStatuses),
      );
    }
    expect(lines.join("\n")).toContain("partner@demo.test");
    // The review queue is not empty on first sign-in: real ingestion and the real sweep decided these cases.
    const open = await selectRows<{ rule: string; partners: number; cases: number }>(
      t.database.db,
      sql`select d.rule, count(distinct r.partner_id)::int as partners, count(distinct r.conversion_id)::int as cases
          from fraud_reviews r join fraud_decisions d on d.conversion_id = r.conversion_id
          where r.status = 'open' group by d.rule order by d.rule`,
    );
    expect(open.map((o) => o.rule)).toEqual(
      expect.arrayContaining([
        "bot_user_agent",
        "click_injection",
        "disposable_email",
        "duplicate_order",
        "paid_search",
        "velocity",
      ]),
    );
    // The demo's ordinary traffic is honest: no partner is held for it.
    expect(open.map((o) => o.rule)).not.toContain("click_spamming");
    expect(
      new Set(
        (
          await selectRows<{ partner_id: string }>(
            t.database.db,
            sql`select partner_id from fraud_reviews where status = 'open'`,
          )
        ).map((r) => r.partner_id),
      ).size,
    ).toBeGreaterThanOrEqual(3);
    // The engine ran after the cases opened: what they hold is held in the ledger.
    const held = await selectRows<{ n: number }>(
      t.database.db,
      sql`select count(*)::int as n from commission_entries e join fraud_reviews r on r.conversion_id = e.conversion_id
          where r.status = 'open' and r.action = 'hold' and e.status = 'held'`,
    );
    expect(held[0]!.n).toBeGreaterThan(0);
    const again: string[] = [];
    await seedDemo(t.ctx, (l) => again.push(l));
    expect(again).toEqual(["demo data already loaded"]);
    expect((await t.database.db.select().from(programs)).length).toBe(3);
  }, 60_000);

  test("the demo owner and partner can sign in", async () => {
    const console_ = await t.agent().post("/v1/auth/login", { email: "owner@demo.test", password: "tributary-demo" });
    expect(console_.statusCode).toBe(200);
    const portal = t.agent();
    expect(
      (await portal.post("/v1/portal/auth/login", { email: "partner@demo.test", password: "tributary-demo" }))
        .statusCode,
    ).toBe(200);
    const mine = (await portal.get("/v1/portal/enrollments")).json().items;
    expect(mine[0].status).toBe("active");
  });
});

describe("demo history", () => {
  test("nothing is dated in the future", async () => {
    const { auditLog } = await import("../src/db/schema/index.js");
    const rows = await t.database.db.select({ at: auditLog.at }).from(auditLog);
    expect(rows.length).toBeGreaterThan(100);
    expect(rows.every((r) => r.at.getTime() <= t.clock.now().getTime())).toBe(true);
  });
});

describe("demo traffic", () => {
  test("clicks, attributed leads and sales, coupons and a refund, all in the past", async () => {
    const { clicks, conversions, conversionCredits, couponCodes } = await import("../src/db/schema/index.js");
    const allClicks = await t.database.db.select().from(clicks);
    const all = await t.database.db.select().from(conversions);
    expect(allClicks.length).toBeGreaterThan(500);
    expect(all.filter((c) => c.kind === "lead").length).toBeGreaterThan(20);
    expect(all.filter((c) => c.kind === "sale").length).toBeGreaterThan(10);
    expect(all.filter((c) => c.kind === "refund").length).toBeGreaterThan(0);
    expect(all.filter((c) => c.kind === "sale").every((c) => c.attributed)).toBe(true);
    expect((await t.database.db.select().from(couponCodes)).length).toBeGreaterThan(0);
    expect((await t.database.db.select().from(conversionCredits)).length).toBeGreaterThan(0);
    const now = t.clock.now().getTime();
    expect([...allClicks.map((c) => c.at), ...all.map((c) => c.occurredAt)].every((d) => d.getTime() <= now)).toBe(
      true,
    );
    // Every click counts in its program's chart and in the clicks list's total, rolled up before it was written or not.
    const owner = await t.team("owner", "clicks-owner@demo.test");
    const from = new Date(now - 130 * 86_400_000).toISOString();
    for (const { id } of await t.database.db.select({ id: programs.id }).from(programs)) {
      const stored = allClicks.filter((c) => c.programId === id).length;
      expect((await owner.get(`/v1/clicks/count?programId=${id}`)).json()).toEqual({ count: stored });
      expect((await owner.get(`/v1/stats?programId=${id}&from=${from}`)).json().totals.clicks).toBe(stored);
    }
    // And in the whole account's chart, and in each partner's, in one program or all (its hours per partner).
    expect((await owner.get(`/v1/stats?from=${from}`)).json().totals.clicks).toBe(allClicks.length);
    const partnerIds = [...new Set(allClicks.map((c) => c.partnerId))];
    expect(partnerIds.length).toBeGreaterThan(3);
    for (const partnerId of partnerIds) {
      const mine = allClicks.filter((c) => c.partnerId === partnerId);
      expect((await owner.get(`/v1/stats?partnerId=${partnerId}&from=${from}`)).json().totals.clicks).toBe(mine.length);
      const programId = mine[0]!.programId;
      expect(
        (await owner.get(`/v1/stats?partnerId=${partnerId}&programId=${programId}&from=${from}`)).json().totals.clicks,
      ).toBe(mine.filter((c) => c.programId === programId).length);
    }
  });
});
