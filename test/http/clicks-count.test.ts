import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { clickHours, clicks } from "../../src/db/schema/index.js";
import { CommissionWorker } from "../../src/domain/commissions/commission-worker.js";
import { rollUpClickHours } from "../../src/domain/stats/click-hours.js";
import { rollUpClickHoursJob } from "../../src/jobs/definitions/roll-up-click-hours.js";
import { startJobs } from "../../src/jobs/job-runner.js";
import { newId } from "../../src/lib/ids.js";
import { pageThroughClicks } from "../helpers/click-pages.js";
import { click, type ProgramSetup, programWithPartners } from "../helpers/program-setup.js";
import { type Agent, createTestApp, type TestApp } from "../helpers/test-app.js";

const GOOGLEBOT = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)";
const silent = { info() {}, warn() {}, error() {}, debug() {} };

let t: TestApp;
let owner: Agent;
let setup: ProgramSetup;
let custom: { id: string; slug: string };
/** 10:00Z the day after the test app's clock: the clicks are minutes after it. */
const start = Date.parse("2026-03-03T10:00:00Z");
const at = (minutes: number) => new Date(start + minutes * 60_000).toISOString();

/** Real clicks through the redirect, one at each of these minutes after `start`, of a partner's link. */
async function clicksAt(slug: string, minutes: number[], userAgent?: string) {
  for (const m of minutes) {
    t.clock.set(new Date(at(m)));
    await click(t, slug, userAgent ? { "user-agent": userAgent } : {});
  }
}

/** The ids of every click the list shows for a filter, paged through. */
const listed = async (filter: string) => (await pageThroughClicks(owner, filter)).map((c) => c.id);

const total = async (filter: string) => {
  const r = await owner.get(`/v1/clicks/count?${filter}`);
  expect(r.statusCode, r.body).toBe(200);
  return r.json().count as number;
};

beforeAll(async () => {
  t = await createTestApp();
  owner = await t.team("owner");
  setup = await programWithPartners(t, owner, 2);
  const [first] = setup.partners;
  custom = (
    await first!.agent.post(`/v1/portal/enrollments/${first!.enrollmentId}/links`, {
      destinationUrl: "https://acme.example/pricing",
    })
  ).json();
});
afterAll(() => t?.close());

describe("the clicks list's total", () => {
  test("agrees with the clicks paged through, for every filter, across hours rolled up and hours not", async () => {
    const [first, second] = setup.partners;
    // 10:00–13:00: clicks of both partners and both of the first partner's links, and bots, which are not stored.
    await clicksAt(first!.slug, [5, 40, 70, 71, 130]);
    await clicksAt(custom.slug, [45, 125, 175]);
    await clicksAt(second!.slug, [20, 100, 150]);
    await clicksAt(first!.slug, [50, 160], GOOGLEBOT);
    await t.app.tracking.writer.drain();

    // The real job, at 13:10: it rolls up 10:00 to 13:00 (an hour is rolled up 5 minutes after it ends).
    t.clock.set(new Date(at(190)));
    const commissions = new CommissionWorker({ db: t.database.db, clock: t.clock, log: silent });
    const runner = await startJobs(
      t.database,
      { db: t.database.db, clock: t.clock, log: silent, commissions, intake: t.app.intake.worker },
      [rollUpClickHoursJob],
    );
    try {
      expect(await runner.runNow("roll-up-click-hours")).toEqual({
        hours: 3,
        partnerHours: 6,
        through: at(180),
        partnerDays: 0,
      });
    } finally {
      await runner.stop();
    }

    // 13:00 on, not rolled up yet.
    await clicksAt(first!.slug, [200, 250]);
    await clicksAt(custom.slug, [210]);
    await clicksAt(second!.slug, [235, 236]);
    await clicksAt(second!.slug, [240], GOOGLEBOT);
    await t.app.tracking.writer.drain();

    const program = `programId=${setup.program.id}`;
    const expected: [string, number][] = [
      [program, 16],
      // Partial hours at both ends, whole hours rolled up between, and the hours since.
      [`${program}&from=${at(30)}&before=${at(230)}`, 11],
      [`${program}&from=${at(60)}`, 12],
      [`${program}&before=${at(150)}`, 9],
      [`${program}&from=${at(65)}&before=${at(200)}`, 7],
      // Within one hour: nothing of it can be read from the rollup.
      [`${program}&from=${at(61)}&before=${at(119)}`, 3],
      [`${program}&from=${at(240)}`, 1],
      [`partnerId=${first!.id}`, 11],
      [`${program}&partnerId=${second!.id}&from=${at(100)}&before=${at(236)}`, 3],
      [`linkId=${custom.id}`, 4],
      [`${program}&linkId=${custom.id}&before=${at(180)}`, 3],
      ["linkId=lnk_00000000000000000000000000", 0],
    ];
    const totals: [string, number][] = [];
    for (const [filter] of expected) {
      const rows = await listed(filter);
      expect(await total(filter), filter).toBe(rows.length);
      totals.push([filter, rows.length]);
    }
    expect(totals).toEqual(expected);

    // The program's ended hours are read from the rollup, not counted again: an hour's count there is the total's.
    await t.database.db
      .update(clickHours)
      .set({ clicks: 1_001 })
      .where(and(eq(clickHours.programId, setup.program.id), eq(clickHours.hour, new Date(at(60)))));
    expect(await total(program)).toBe(16 - 3 + 1_001);
    expect(await total(`partnerId=${first!.id}`)).toBe(11);
  });

  test("clicks written into hours rolled up long ago count once those hours are recounted from their time", async () => {
    const program = `programId=${setup.program.id}`;
    const listedBefore = (await listed(program)).length;
    // A click of 10:30 written at 13:10, as the demo writes its history: the hour was rolled up without it.
    const late = new Date(at(30));
    await t.database.db.insert(clicks).values({
      id: newId("link", late).replace(/^lnk_/, "clk_"),
      programId: setup.program.id,
      partnerId: setup.partners[1]!.id,
      at: late,
      source: "redirect",
    });
    // The job recounts only the last two hours it rolled up (a batch that committed late), not 10:00.
    await rollUpClickHours({ db: t.database.db, clock: t.clock });
    expect(await total(program)).toBe(listedBefore);
    await rollUpClickHours({ db: t.database.db, clock: t.clock }, { recountFrom: late });
    expect(await total(program)).toBe(listedBefore + 1);
    expect((await listed(program)).length).toBe(listedBefore + 1);
  });

  test("bad filters are problems naming the field; a program the caller cannot see is not found", async () => {
    const program = `programId=${setup.program.id}`;
    for (const [query, field] of [
      ["", "querystring:/programId"],
      [`${program}&from=${at(60)}&before=${at(60)}`, "querystring:/from"],
      [`${program}&from=yesterday`, "querystring:/from"],
      [`${program}&before=soon`, "querystring:/before"],
      // The list's paging is not the total's.
      [`${program}&limit=10`, "querystring:/limit"],
    ] as const) {
      const r = await owner.get(`/v1/clicks/count?${query}`);
      expect(r.statusCode, query).toBe(422);
      expect(r.headers["content-type"]).toContain("application/problem+json");
      expect(r.json().errors.map((e: { field: string }) => e.field)).toEqual([field]);
    }
    const unknown = await owner.get("/v1/clicks/count?programId=prg_unknown");
    expect(unknown.statusCode).toBe(404);
    expect(unknown.headers["content-type"]).toContain("application/problem+json");
  });
});
