import { afterAll, beforeAll, expect, test } from "vitest";
import type { Database } from "../../src/db/client.js";
import { rollUpCreditDays } from "../../src/domain/stats/credit-days.js";
import { creditsByPartner } from "../../src/domain/stats/credits-by-partner.js";
import { ManualClock } from "../../src/lib/clock.js";
import { newId } from "../../src/lib/ids.js";
import { rowsOf } from "../helpers/plans.js";
import { runScript } from "../helpers/seeded-db.js";
import { creditsOfPartners, straightforwardCredits } from "../helpers/straightforward-credits.js";
import { createTestDb } from "../helpers/test-db.js";

/**
 * Top partners reads a program's whole UTC days and weeks of credited conversions from credit_partner_periods and
 * counts the rest: every answer must be the straightforward count of the program's conversions and their credits,
 * whatever the window's edges, and before and after the job for conversions recorded late — dated in the past,
 * or committed with an id from long ago (an intake that waited).
 */
const NOW = new Date("2026-06-04T13:20:00Z");
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

let database: Database;
let clock: ManualClock;
let seq = 0;

interface Conversion {
  program: "prg_a" | "prg_b";
  kind: "lead" | "sale" | "refund";
  currency: "USD" | "EUR" | null;
  amount: number | null;
  /** Partners and their share of the amount, in basis points; empty for an unattributed conversion. */
  credits: [string, number][];
  occurredAt: Date;
  receivedAt: Date;
}

const insertScript = (conversions: Conversion[]) => {
  const values: string[] = [];
  const credits: string[] = [];
  for (const c of conversions) {
    const id = newId("conversion", c.receivedAt);
    seq++;
    values.push(
      `('${id}', '${c.program}', '${c.kind}', 'k${seq}', ${c.amount ?? "null"}, ${c.currency ? `'${c.currency}'` : "null"}, ` +
        `true, '{}', '${c.occurredAt.toISOString()}', '${c.receivedAt.toISOString()}')`,
    );
    for (const [partner, bps] of c.credits) {
      const share = c.amount === null ? "null" : String(((c.kind === "refund" ? -1 : 1) * c.amount * bps) / 10_000);
      credits.push(`('${id}', '${c.program}', '${partner}', ${bps}, ${share}, '${c.occurredAt.toISOString()}')`);
    }
  }
  return `
    set session_replication_role = replica;
    insert into conversions (id, program_id, kind, idempotency_key, amount_minor, currency, attributed, decision,
      occurred_at, received_at) values ${values.join(",\n")};
    ${credits.length ? `insert into conversion_credits (conversion_id, program_id, partner_id, weight_bps, amount_minor, occurred_at) values ${credits.join(",\n")};` : ""}
    set session_replication_role = origin;`;
};

/** 1,400 conversions from 2 May to 4 June noon, one every 33 minutes: both programs, every kind, split and not. */
function history(): Conversion[] {
  const start = new Date("2026-05-02T00:05:00Z").getTime();
  return Array.from({ length: 1400 }, (_, i): Conversion => {
    const at = new Date(start + i * 33 * 60_000);
    const kind = (["lead", "sale", "sale", "refund", "sale"] as const)[i % 5]!;
    const partners = ["ptn_a", "ptn_b", "ptn_c"];
    const first = partners[i % 3]!;
    const credits: [string, number][] =
      i % 11 === 0
        ? []
        : i % 4 === 0
          ? [
              [first, 6000],
              [partners[(i + 1) % 3]!, 4000],
            ]
          : [[first, 10_000]];
    return {
      program: i % 3 === 2 ? "prg_b" : "prg_a",
      kind,
      currency: kind === "lead" ? null : i % 7 === 0 ? "EUR" : "USD",
      amount: kind === "lead" ? null : i % 13 === 0 ? null : 1000 + (i % 17) * 100,
      credits,
      occurredAt: at,
      // Most arrive at once; one in ten an hour later, one in twenty a week later (dated by the vendor).
      receivedAt: new Date(at.getTime() + (i % 20 === 0 ? 7 * DAY : i % 10 === 0 ? HOUR : 0)),
    };
  }).filter((c) => c.receivedAt < NOW);
}

beforeAll(async () => {
  database = await createTestDb();
  clock = new ManualClock(NOW);
  // The two programs (the job counts each program's ended days, conversions or none).
  await runScript(
    database,
    `insert into programs (id, name, slug, type, status, currency, cookie_window_days, allowed_domains, created_at,
       updated_at)
     select id, id, id, 'affiliate', 'active', 'USD', 30, '{}', '2026-01-01', '2026-01-01'
     from unnest(array['prg_a', 'prg_b']) as p(id)`,
  );
  await runScript(database, insertScript(history()));
});
afterAll(async () => database?.close());

/** Whole weeks and days, partial days at either end, within a day, from a New York midnight, up to now. */
const windows = [
  { from: "2026-05-05T00:00:00Z", to: "2026-06-04T13:20:00Z" },
  { from: "2026-05-04T00:00:00Z", to: "2026-06-01T00:00:00Z" },
  { from: "2026-05-03T17:45:00Z", to: "2026-05-29T06:10:00Z" },
  { from: "2026-05-20T04:00:00Z", to: "2026-05-27T04:00:00Z" },
  { from: "2026-05-21T10:00:00Z", to: "2026-05-21T19:00:00Z" },
  { from: "2026-05-30T23:59:00Z", to: "2026-06-01T00:01:00Z" },
  { from: "2026-05-06T04:00:00Z", to: "2026-06-04T13:20:00Z" },
  { from: "2026-03-01T00:00:00Z", to: "2026-06-04T13:20:00Z" },
];

async function expectStraightforward() {
  for (const programId of ["prg_a", "prg_b"])
    for (const w of windows) {
      const query = { programId, from: new Date(w.from), to: new Date(w.to) };
      const got = creditsOfPartners(await creditsByPartner(database.db, query));
      expect({ ...w, programId, credits: got }).toEqual({
        ...w,
        programId,
        credits: await straightforwardCredits(database.db, query),
      });
    }
}

test("before the job's first run, every window is counted from conversions", async () => {
  await expectStraightforward();
});

test("after it, whole days and weeks come from credit_partner_periods, and every window is the same", async () => {
  const run = await rollUpCreditDays({ db: database.db, clock });
  expect(run.from).toBeNull();
  expect(run.days).toBeGreaterThan(60);
  const [rows] = await rowsOf<{ days: number; weeks: number }>(
    database,
    "select count(*) filter (where days = 1)::int as days, count(*) filter (where days = 7)::int as weeks from credit_partner_periods",
  );
  expect(rows!.weeks).toBeGreaterThan(0);
  await expectStraightforward();
});

test("the rolled-up days are what is read: a changed count shows, so the comparisons above were not all counted", async () => {
  const query = { programId: "prg_a", from: new Date("2026-05-04T00:00:00Z"), to: new Date("2026-06-01T00:00:00Z") };
  await rowsOf(
    database,
    "update credit_partner_periods set leads = leads + 1000 where program_id = 'prg_a' and start = '2026-05-11T00:00:00Z' and days = 7 and partner_id = 'ptn_a' and currency = ''",
  );
  const tampered = creditsOfPartners(await creditsByPartner(database.db, query));
  await rowsOf(
    database,
    "update credit_partner_periods set leads = leads - 1000 where program_id = 'prg_a' and start = '2026-05-11T00:00:00Z' and days = 7 and partner_id = 'ptn_a' and currency = ''",
  );
  const straightforward = await straightforwardCredits(database.db, query);
  expect(tampered.ptn_a!.leads).toBe(straightforward.ptn_a!.leads + 1000);
});

test("conversions recorded into days already counted are counted at once, and rolled up by the next run", async () => {
  clock.set(new Date(NOW.getTime() + 10 * 60_000));
  const late: Conversion[] = [
    // Dated three weeks back by the vendor, received now.
    {
      program: "prg_a",
      kind: "sale",
      currency: "USD",
      amount: 5000,
      credits: [
        ["ptn_b", 5000],
        ["ptn_c", 5000],
      ],
      occurredAt: new Date("2026-05-14T08:00:00Z"),
      receivedAt: clock.now(),
    },
    // A refund of a sale of last week, in euros.
    {
      program: "prg_b",
      kind: "refund",
      currency: "EUR",
      amount: 700,
      credits: [["ptn_a", 10_000]],
      occurredAt: new Date("2026-05-28T10:00:00Z"),
      receivedAt: clock.now(),
    },
    // Committed now with an id from two days ago (an intake that waited): no run reads that far back.
    {
      program: "prg_a",
      kind: "lead",
      currency: null,
      amount: null,
      credits: [["ptn_a", 10_000]],
      occurredAt: new Date("2026-05-19T23:59:59Z"),
      receivedAt: new Date(NOW.getTime() - 2 * DAY),
    },
    // A new partner's first sale, at the first instant of a day.
    {
      program: "prg_a",
      kind: "sale",
      currency: "EUR",
      amount: 1234,
      credits: [["ptn_d", 10_000]],
      occurredAt: new Date("2026-05-21T00:00:00Z"),
      receivedAt: clock.now(),
    },
  ];
  await runScript(database, insertScript(late));
  await expectStraightforward();
  clock.set(new Date(NOW.getTime() + 15 * 60_000));
  const run = await rollUpCreditDays({ db: database.db, clock });
  expect(run.from).toBe(new Date(NOW.getTime() - HOUR).toISOString());
  expect(run.days).toBe(3);
  await expectStraightforward();
  // Run again with nothing new: the arrivals read again are of days whose number of conversions is unchanged.
  clock.set(new Date(NOW.getTime() + 20 * 60_000));
  expect((await rollUpCreditDays({ db: database.db, clock })).days).toBe(0);
  // The days the run read arrivals for were recounted; the late lead's day, which nothing else arrived for, is still
  // counted from conversions (its number of conversions differs from the one counted).
  const days = await rowsOf<{ day: string; conversions: number; actual: number }>(
    database,
    `select d.day::text, d.conversions, (select count(*)::int from conversions c where c.program_id = d.program_id
       and c.occurred_at >= d.day and c.occurred_at < d.day + interval '24 hours') as actual
     from conversion_days d where d.program_id = 'prg_a' and d.day in ('2026-05-14', '2026-05-19', '2026-05-21')
     order by 1`,
  );
  expect(days.map((d) => d.conversions === d.actual)).toEqual([true, false, true]);
});

test("a day still going is never rolled up (every ranking reads it); the first run after it ends counts it", async () => {
  const today = "2026-06-04T00:00:00Z";
  const counted = async () =>
    rowsOf<{ program_id: string; conversions: number }>(
      database,
      `select program_id, conversions from conversion_days where day = '${today}' order by 1`,
    );
  // The runs above read this day's arrivals while it was going: nothing of it was counted.
  expect(await counted()).toEqual([]);
  clock.set(new Date("2026-06-05T00:10:00Z"));
  const run = await rollUpCreditDays({ db: database.db, clock });
  expect(run.days).toBeGreaterThanOrEqual(2);
  const [actual] = await rowsOf<{ a: number; b: number }>(
    database,
    `select count(*) filter (where program_id = 'prg_a')::int as a, count(*) filter (where program_id = 'prg_b')::int as b
     from conversions where occurred_at >= '${today}' and occurred_at < '2026-06-05T00:00:00Z'`,
  );
  expect(await counted()).toEqual([
    { program_id: "prg_a", conversions: actual!.a },
    { program_id: "prg_b", conversions: actual!.b },
  ]);
  // Read from the roll-up now, and still the straightforward count.
  for (const programId of ["prg_a", "prg_b"]) {
    const query = { programId, from: new Date(today), to: new Date("2026-06-05T00:00:00Z") };
    expect(creditsOfPartners(await creditsByPartner(database.db, query))).toEqual(
      await straightforwardCredits(database.db, query),
    );
  }
});

test("a sale the intake held for hours is rolled up once recorded: runs read arrivals back to what still waited", async () => {
  const accepted = new Date("2026-06-05T01:00:00Z");
  const sale: Conversion = {
    program: "prg_b",
    kind: "sale",
    currency: "USD",
    amount: 4321,
    credits: [["ptn_c", 10_000]],
    occurredAt: new Date("2026-05-25T12:00:00Z"),
    receivedAt: accepted,
  };
  const day = "2026-05-25T00:00:00Z";
  const id = newId("conversion", accepted);
  await runScript(
    database,
    `insert into conversion_intake (id, program_id, kind, idempotency_key, input, actor, received_at)
     values ('${id}', 'prg_b', 'sale', 'held-sale', '{}', '{}', '${accepted.toISOString()}')`,
  );
  // The worker is stopped for three hours; the job runs meanwhile, each time past the hour it reads back.
  for (const minutes of [5, 65, 125, 185]) {
    clock.set(new Date(accepted.getTime() + minutes * 60_000));
    await rollUpCreditDays({ db: database.db, clock });
  }
  // Then the sale is recorded, under the id it was accepted with (three hours old), and leaves the intake.
  await runScript(
    database,
    `${insertScript([sale]).replace(/'cnv_[0-9a-z]+'/g, `'${id}'`)}
     delete from conversion_intake where id = '${id}';`,
  );
  clock.set(new Date(accepted.getTime() + 190 * 60_000));
  const run = await rollUpCreditDays({ db: database.db, clock });
  expect(run.from).toBe(accepted.toISOString());
  const [counted] = await rowsOf<{ conversions: number; actual: number }>(
    database,
    `select d.conversions, (select count(*)::int from conversions c where c.program_id = 'prg_b'
       and c.occurred_at >= '${day}' and c.occurred_at < '2026-05-26T00:00:00Z') as actual
     from conversion_days d where d.program_id = 'prg_b' and d.day = '${day}'`,
  );
  expect(counted!.conversions).toBe(counted!.actual);
  await expectStraightforward();
  // Nothing waits any more: the next run reads back its hour only.
  clock.set(new Date(accepted.getTime() + 195 * 60_000));
  expect((await rollUpCreditDays({ db: database.db, clock })).from).toBe(
    new Date(accepted.getTime() + 130 * 60_000).toISOString(),
  );
});
