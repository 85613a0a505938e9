import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Database } from "../../src/db/client.js";
import type { Ctx } from "../../src/domain/context.js";
import { rollUpClickHours } from "../../src/domain/stats/click-hours.js";
import { performanceSeries, type SeriesQuery } from "../../src/domain/stats/performance-series.js";
import { ManualClock } from "../../src/lib/clock.js";
import { rowsOf } from "../helpers/plans.js";
import { runScript, systemCtx } from "../helpers/seeded-db.js";
import { createTestDb } from "../helpers/test-db.js";

/**
 * The charts' clicks are read from click_partner_hours (a partner's, in one program or all) and click_hours (a
 * program's, the whole account's) for the whole hours rolled up, and counted one by one for the rest: every bucket
 * of every chart must be the row-by-row count, whatever the range's edges, the viewer's zone (New York across its
 * change of clocks on 8 March, India and Nepal, whose midnights fall within a UTC hour), the hours not rolled up
 * yet, and clicks committed late.
 */
let database: Database;
let clock: ManualClock;
let ctx: Ctx;

const DAY = 86_400_000;

beforeAll(async () => {
  database = await createTestDb();
  clock = new ManualClock("2026-03-12T10:20:00Z");
  ctx = systemCtx(database, clock);
  // 2,480 clicks from 1 March 00:07 to 12 March 13:19, one every 6 minutes 47 seconds, spread over three programs
  // and three partners; then clicks on the edges: each UTC, New York (either offset), India and Nepal midnight, a
  // millisecond before it, and whole hours. Foreign keys are not the point.
  const edges: string[] = [];
  for (let d = 0; d < 12; d++) {
    const midnight = Date.parse("2026-03-01T00:00:00Z") + d * DAY;
    const offsets = [0, 4 * 3_600_000, 5 * 3_600_000, -5.5 * 3_600_000, -5.75 * 3_600_000, 13 * 3_600_000];
    for (const [i, offset] of offsets.entries())
      for (const delta of [0, -1]) {
        const at = new Date(midnight + offset + delta).toISOString();
        const program = ["prg_a", "prg_b", "prg_c"][(d + i) % 3];
        const partner = ["ptn_a", "ptn_b", "ptn_a", "ptn_c"][(d + i + delta + 1) % 4];
        edges.push(`('clk_e${d}_${i}_${-delta}', '${program}', '${partner}', '${at}', 'redirect')`);
      }
  }
  await runScript(
    database,
    `
    set session_replication_role = replica;
    insert into programs (id, name, slug, type, status, currency, cookie_window_days, allowed_domains, created_at,
      updated_at)
      select p, p, p, 'affiliate', 'active', 'USD', 30, '{}', now(), now() from unnest(array['prg_a', 'prg_b', 'prg_c']) p;
    insert into partners (id, name, type, created_at, updated_at)
      select p, p, 'affiliate', now(), now() from unnest(array['ptn_a', 'ptn_b', 'ptn_c']) p;
    insert into clicks (id, program_id, partner_id, at, source)
      select 'clk_' || lpad(g::text, 8, '0'), (array['prg_a', 'prg_a', 'prg_b', 'prg_a', 'prg_c', 'prg_b', 'prg_a'])[1 + g % 7],
        (array['ptn_a', 'ptn_b', 'ptn_a', 'ptn_c', 'ptn_a', 'ptn_a', 'ptn_b'])[1 + g % 7],
        timestamptz '2026-03-01' + g * interval '6 minutes 47 seconds', 'redirect'
      from generate_series(1, 2480) g;
    insert into clicks (id, program_id, partner_id, at, source) values ${edges.join(",\n")};
    set session_replication_role = origin;
  `,
  );
});
afterAll(async () => database?.close());

/** A program's, a partner's in one program or all, one with no clicks in its program, and the whole account. */
const whose: Pick<SeriesQuery, "programId" | "partnerId">[] = [
  {},
  { programId: "prg_a" },
  { programId: "prg_c" },
  { partnerId: "ptn_a" },
  { partnerId: "ptn_b", programId: "prg_b" },
  { partnerId: "ptn_c", programId: "prg_c" },
];
/**
 * All of it up to now; New York's and India's midnights; partial hours at both ends; three hours across New York's
 * change of clocks; mostly hours not rolled up yet; within one hour; a range ending before the first roll-up.
 */
const ranges = [
  { from: "2026-03-01T00:00:00Z", to: "2026-03-12T13:20:00Z" },
  { from: "2026-03-05T05:00:00Z", to: "2026-03-10T04:00:00Z" },
  { from: "2026-03-03T18:30:00Z", to: "2026-03-09T18:30:00Z" },
  { from: "2026-03-02T07:45:30Z", to: "2026-03-11T22:10:00Z" },
  { from: "2026-03-08T06:10:00Z", to: "2026-03-08T08:50:00Z" },
  { from: "2026-03-12T08:30:00Z", to: "2026-03-12T13:20:00Z" },
  { from: "2026-03-06T12:15:00Z", to: "2026-03-06T12:45:00Z" },
  { from: "2026-02-27T00:00:00Z", to: "2026-03-04T00:00:00Z" },
];
/** Hours (always UTC's), and days in UTC and in zones a whole, a half and three quarters of an hour off it. */
const buckets: Pick<SeriesQuery, "interval" | "timeZone">[] = [
  { interval: "hour" },
  { interval: "day" },
  { interval: "day", timeZone: "America/New_York" },
  { interval: "day", timeZone: "Asia/Kolkata" },
  { interval: "day", timeZone: "Asia/Kathmandu" },
];

/** The clicks per bucket counted one by one, as `bucket clicks` lines (non-empty buckets only). */
async function rowByRow(query: SeriesQuery): Promise<string[]> {
  const values: unknown[] = [query.interval, query.interval === "day" ? (query.timeZone ?? "UTC") : "UTC"];
  const where = ["at >= $3", "at < $4"];
  values.push(query.from.toISOString(), query.to.toISOString());
  if (query.programId) where.push(`program_id = $${values.push(query.programId)}`);
  if (query.partnerId) where.push(`partner_id = $${values.push(query.partnerId)}`);
  const rows = await rowsOf<{ bucket: Date | string; n: number }>(
    database,
    `select date_trunc($1, at, $2) as bucket, count(*)::int as n from clicks where ${where.join(" and ")}
     group by 1 order by 1`,
    values,
  );
  return rows.map((r) => `${new Date(r.bucket).toISOString()} ${r.n}`);
}

async function charted(query: SeriesQuery): Promise<string[]> {
  const series = await performanceSeries(ctx, query);
  return series.series.filter((p) => p.clicks > 0).map((p) => `${p.bucket} ${p.clicks}`);
}

/** Every chart, and the same counted row by row. */
async function expectRowByRow() {
  const got: string[] = [];
  const want: string[] = [];
  for (const who of whose)
    for (const range of ranges)
      for (const bucket of buckets) {
        const query = { ...who, ...bucket, from: new Date(range.from), to: new Date(range.to) };
        const name = JSON.stringify({ ...who, ...bucket, ...range });
        got.push(name, ...(await charted(query)));
        want.push(name, ...(await rowByRow(query)));
      }
  expect(got).toEqual(want);
}

const count = async (table: string) =>
  (await rowsOf<{ n: number }>(database, `select count(*)::int as n from ${table}`))[0]!.n;

async function addClick(id: string, program: string, partner: string, at: string) {
  await rowsOf(
    database,
    `insert into clicks (id, program_id, partner_id, at, source) values ($1, $2, $3, $4, 'redirect')`,
    [id, program, partner, at],
  );
}

describe("the charts' clicks", () => {
  test("before the first roll-up, every chart is counted one by one", async () => {
    await expectRowByRow();
  });

  test("after it, whole hours come from the roll-ups, and every bucket is the row-by-row count", async () => {
    const first = await rollUpClickHours({ db: database.db, clock });
    expect(first.through).toBe("2026-03-12T10:00:00.000Z");
    expect(first.partnerHours).toBe(await count("click_partner_hours"));
    expect(first.partnerHours).toBeGreaterThan(first.hours);
    // A program's hour is the sum of its partners'.
    const [sums] = await rowsOf<{ differ: number }>(
      database,
      `select count(*)::int as differ from click_hours h full join (
         select program_id, hour, sum(clicks)::int as clicks from click_partner_hours group by 1, 2) p using (program_id, hour)
       where h.clicks is distinct from p.clicks`,
    );
    expect(sums!.differ).toBe(0);
    await expectRowByRow();
    // A later run in the same hour writes no partner's hour again (the counts it recounts are the same).
    clock.set(new Date("2026-03-12T10:25:00Z"));
    expect((await rollUpClickHours({ db: database.db, clock })).partnerHours).toBe(0);
  });

  test("the rolled-up hours are what the charts read, an hour a local midnight falls within excepted", async () => {
    const hour = "2026-03-05T18:00:00Z";
    await rowsOf(
      database,
      `update click_partner_hours set clicks = clicks + 1000 where partner_id = 'ptn_a' and program_id = 'prg_a' and hour = $1`,
      [hour],
    );
    await rowsOf(database, `update click_hours set clicks = clicks + 100 where program_id = 'prg_a' and hour = $1`, [
      hour,
    ]);
    const week = { from: new Date("2026-03-03T00:00:00Z"), to: new Date("2026-03-10T00:00:00Z"), interval: "day" };
    const total = async (query: Partial<SeriesQuery>) =>
      (await performanceSeries(ctx, { ...week, ...query } as SeriesQuery)).totals.clicks;
    const counted = async (query: Partial<SeriesQuery>) =>
      (await rowByRow({ ...week, ...query } as SeriesQuery)).reduce((n, line) => n + Number(line.split(" ")[1]), 0);
    expect(await total({ partnerId: "ptn_a" })).toBe((await counted({ partnerId: "ptn_a" })) + 1000);
    expect(await total({ programId: "prg_a" })).toBe((await counted({ programId: "prg_a" })) + 100);
    expect(await total({})).toBe((await counted({})) + 100);
    // 18:00 UTC is 23:30 in India: that hour is counted one by one in India's days.
    expect(await total({ partnerId: "ptn_a", timeZone: "Asia/Kolkata" })).toBe(
      await counted({ partnerId: "ptn_a", timeZone: "Asia/Kolkata" }),
    );
    expect(await total({ timeZone: "America/New_York" })).toBe((await counted({})) + 100);
    // A recount of those hours sets them right again.
    await rollUpClickHours({ db: database.db, clock }, { recountFrom: new Date(hour) });
    await expectRowByRow();
  });

  test("a late batch in the hours just rolled up is counted by the next run; older clicks with recountFrom", async () => {
    // A click of 09:59 committed after the run of 10:25 counted its hour: the next run recounts from 08:00.
    await addClick("clk_late", "prg_b", "ptn_b", "2026-03-12T09:59:59.999Z");
    clock.set(new Date("2026-03-12T10:30:00Z"));
    expect(await rollUpClickHours({ db: database.db, clock })).toMatchObject({ partnerHours: 1 });
    await expectRowByRow();
    // Hours later, a click written into 4 March (the demo's history) is not counted by the job's recount…
    await addClick("clk_history", "prg_c", "ptn_c", "2026-03-04T12:34:00Z");
    clock.set(new Date("2026-03-12T13:10:00Z"));
    await rollUpClickHours({ db: database.db, clock });
    const week = { from: new Date("2026-03-03T00:00:00Z"), to: new Date("2026-03-10T00:00:00Z"), interval: "day" };
    const series = await performanceSeries(ctx, { ...week, partnerId: "ptn_c", programId: "prg_c" } as SeriesQuery);
    const counted = await rowByRow({ ...week, partnerId: "ptn_c", programId: "prg_c" } as SeriesQuery);
    expect(series.totals.clicks).toBe(counted.reduce((n, line) => n + Number(line.split(" ")[1]), 0) - 1);
    // …until the hours are recounted from its time.
    await rollUpClickHours({ db: database.db, clock }, { recountFrom: new Date("2026-03-04T12:34:00Z") });
    await expectRowByRow();
  });

  test("on an installation whose clicks were rolled up per program before, the first run counts every partner's hour", async () => {
    await rowsOf(database, "delete from click_partner_hours");
    await rowsOf(database, "delete from settings where key = 'click_partner_hours_through'");
    // Until then a partner's charts are counted one by one.
    await expectRowByRow();
    clock.set(new Date("2026-03-12T13:25:00Z"));
    const run = await rollUpClickHours({ db: database.db, clock });
    expect(run.partnerHours).toBe(await count("click_partner_hours"));
    expect(run.partnerHours).toBeGreaterThan(500);
    await expectRowByRow();
  });
});
