import { eq } from "drizzle-orm";
import { drizzle as drizzlePg } from "drizzle-orm/node-postgres";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Database, Db } from "../../src/db/client.js";
import * as schema from "../../src/db/schema/index.js";
import { conversions } from "../../src/db/schema/index.js";
import { explainAttribution, listConversions } from "../../src/domain/conversions/list-conversions.js";
import { programWithPartners as arrangeProgram, click as clickThrough } from "../helpers/program-setup.js";
import { type Agent, apiKeyAgent, createTestApp, type TestApp } from "../helpers/test-app.js";

const DAY = 86_400_000;

let t: TestApp;
let owner: Agent;
let api: Agent;

beforeAll(async () => {
  t = await createTestApp();
  owner = await t.team("owner");
  api = await apiKeyAgent(t, owner, ["track:write", "partners:read"]);
});
afterAll(() => t.close());

const programWithPartners = (overrides: Record<string, unknown>, count: number) =>
  arrangeProgram(t, owner, count, overrides);
const click = (slug: string) => clickThrough(t, slug);
let orders = 0;
const sale = (programId: string, extra: Record<string, unknown>) =>
  api.post("/v1/track/sale", { programId, orderId: `n-${++orders}`, amount: 10_000, currency: "USD", ...extra });
const explain = async (id: string) => (await api.get(`/v1/conversions/${id}/attribution`)).json();

describe("explanations name partners", () => {
  test("a credited sale's summary and touch explanation name the partner; the ids stay in the fields", async () => {
    const { program, partners } = await programWithPartners({}, 1);
    const [ada] = partners as [(typeof partners)[0]];
    const clickId = await click(ada.slug);
    t.clock.advance(3 * DAY);
    const r = await sale(program.id, { clickId });
    expect(r.statusCode).toBe(201);
    // The tracking API's answer, the one conversion and the list all read alike.
    for (const view of [
      r.json(),
      (await api.get(`/v1/conversions/${r.json().id}`)).json(),
      (await api.get(`/v1/conversions?programId=${program.id}`)).json().items[0],
    ]) {
      expect(view.summary).toMatch(new RegExp(`^Last click: 100% to ${ada.name} \\(click at `));
      expect(view.summary).not.toContain("ptn_");
      expect(view.credits).toEqual([expect.objectContaining({ partnerId: ada.id, partnerName: ada.name })]);
    }
    const why = await explain(r.json().id);
    expect(why.summary).toBe(r.json().summary);
    expect(why.credits).toEqual([expect.objectContaining({ partnerId: ada.id, partnerName: ada.name })]);
    expect(why.touchpoints).toEqual([
      expect.objectContaining({
        partnerId: ada.id,
        partnerName: ada.name,
        explanation: `${ada.name}, clicked 3 days before the sale: last click takes all the credit → 100%`,
      }),
    ]);
  });

  test("a multi-partner split names each partner, in the summary and in each touch", async () => {
    const { program, partners } = await programWithPartners({ attributionModel: "linear" }, 3);
    const touchpoints = [];
    for (const p of partners) {
      touchpoints.push(await click(p.slug));
      t.clock.advance(DAY);
    }
    const r = await sale(program.id, { touchpoints });
    const [a, b, c] = partners as [(typeof partners)[0], (typeof partners)[0], (typeof partners)[0]];
    const summary = `Linear over 3 touches: 33.34% to ${a.name} (1 touch), 33.33% to ${b.name} (1 touch), 33.33% to ${c.name} (1 touch)`;
    expect(r.json().summary).toBe(summary);
    expect(r.json().credits.map((k: { partnerName: string }) => k.partnerName)).toEqual([a.name, b.name, c.name]);
    const why = await explain(r.json().id);
    expect(why.summary).toBe(summary);
    expect(why.touchpoints.map((x: { explanation: string }) => x.explanation.split(",")[0])).toEqual([
      a.name,
      b.name,
      c.name,
    ]);
  });

  test("names are read when asked: a renamed partner reads with its new name, and the stored words keep the id", async () => {
    const { program, partners } = await programWithPartners({}, 1);
    const [ada] = partners as [(typeof partners)[0]];
    const r = await sale(program.id, { clickId: await click(ada.slug) });
    expect((await owner.patch(`/v1/partners/${ada.id}`, { name: "Ada Renamed Ltd" })).statusCode).toBe(200);
    const why = await explain(r.json().id);
    expect(why.summary).toContain("100% to Ada Renamed Ltd (");
    expect(why.touchpoints[0].partnerName).toBe("Ada Renamed Ltd");
    expect((await api.get(`/v1/conversions/${r.json().id}`)).json().credits[0].partnerName).toBe("Ada Renamed Ltd");
    const [stored] = await t.database.db.select().from(conversions).where(eq(conversions.id, r.json().id));
    expect((stored!.decision as { summary: string }).summary).toContain(`100% to ${ada.id} (`);
  });

  test("a decision stored by an earlier version is explained with names; a partner no longer there keeps its id", async () => {
    const { program, partners } = await programWithPartners({}, 1);
    const [ada] = partners as [(typeof partners)[0]];
    const r = await sale(program.id, { clickId: await click(ada.slug) });
    const gone = "ptn_01gone0000000000000000000";
    // Stored before summaries opened as sentences (a lower-case clause), without the refused click ids this version
    // reads as optional, and with a touch of a partner no longer there.
    const decision = {
      attributed: true,
      model: "last_click",
      credits: [{ partnerId: ada.id, weightBps: 10_000 }],
      considered: [
        {
          touch: {
            clickId: "c1",
            partnerId: gone,
            programId: program.id,
            at: "2026-03-01T10:00:00.000Z",
            source: "cookie",
          },
          included: true,
          weightBps: 0,
          explanation: `${gone}, clicked 1 day before the sale: not the last click → 0%`,
        },
        {
          touch: {
            clickId: "c2",
            partnerId: ada.id,
            programId: program.id,
            at: "2026-03-02T09:00:00.000Z",
            source: "click_id",
          },
          included: true,
          weightBps: 10_000,
          explanation: `${ada.id}, clicked 1 hour before the sale: last click takes all the credit → 100%`,
        },
      ],
      summary: `last click: 100% to ${ada.id} (click at 2026-03-02T09:00:00.000Z, 1 hour before the sale; 1 other valid touch got no credit)`,
    };
    await t.database.db.update(conversions).set({ decision }).where(eq(conversions.id, r.json().id));
    const why = await explain(r.json().id);
    expect(why.summary).toBe(
      `Last click: 100% to ${ada.name} (click at 2026-03-02T09:00:00.000Z, 1 hour before the sale; 1 other valid touch got no credit)`,
    );
    expect(why.rejectedClickIds).toEqual([]);
    expect(why.credits).toEqual([{ partnerId: ada.id, partnerName: ada.name, weightBps: 10_000 }]);
    expect(
      why.touchpoints.map((x: { partnerName: string; explanation: string }) => [x.partnerName, x.explanation]),
    ).toEqual([
      [gone, `${gone}, clicked 1 day before the sale: not the last click → 0%`],
      [ada.name, `${ada.name}, clicked 1 hour before the sale: last click takes all the credit → 100%`],
    ]);
    expect((await api.get(`/v1/conversions/${r.json().id}`)).json().summary).toBe(why.summary);
  });
});

describe("explanations name programs", () => {
  let programs = 0;
  /** A sale in `home` that was also presented a click of a partner of `away`: that touch is excluded, by program. */
  async function saleWithForeignTouch() {
    const n = ++programs;
    const home = { ...(await programWithPartners({ name: `Home Shop ${n}` }, 1)), name: `Home Shop ${n}` };
    const away = { ...(await programWithPartners({ name: `Away Shop ${n}` }, 1)), name: `Away Shop ${n}` };
    const foreign = await click(away.partners[0]!.slug);
    const own = await click(home.partners[0]!.slug);
    const r = await sale(home.program.id, { touchpoints: [foreign, own] });
    expect(r.statusCode).toBe(201);
    return { home, away, id: r.json().id as string };
  }
  type Touch = { reason: string | null; programName: string; explanation: string };
  const foreignTouch = (why: { touchpoints: Touch[] }) => why.touchpoints.find((x) => x.reason === "other_program")!;

  test("a touch of another program names both programs, and each touch its program beside the id", async () => {
    const { home, away, id } = await saleWithForeignTouch();
    const why = await explain(id);
    expect(foreignTouch(why)).toEqual(
      expect.objectContaining({
        included: false,
        programId: away.program.id,
        programName: away.name,
        partnerName: away.partners[0]!.name,
        explanation: `belongs to program ${away.name}, not ${home.name}`,
      }),
    );
    expect(why.touchpoints.map((x: { programName: string }) => x.programName)).toEqual([away.name, home.name]);
    expect(
      JSON.stringify([why.summary, why.touchpoints.map((x: { explanation: string }) => x.explanation)]),
    ).not.toMatch(/prg_|ptn_/);
  });

  test("a renamed program reads with its new name; the stored words keep the ids", async () => {
    const { home, away, id } = await saleWithForeignTouch();
    expect((await owner.patch(`/v1/programs/${away.program.id}`, { name: "Away Renamed" })).statusCode).toBe(200);
    expect((await owner.patch(`/v1/programs/${home.program.id}`, { name: "Home Renamed" })).statusCode).toBe(200);
    const touch = foreignTouch(await explain(id));
    expect(touch.explanation).toBe("belongs to program Away Renamed, not Home Renamed");
    expect(touch.programName).toBe("Away Renamed");
    const [stored] = await t.database.db.select().from(conversions).where(eq(conversions.id, id));
    const considered = (stored!.decision as { considered: { explanation: string }[] }).considered;
    expect(considered.map((c) => c.explanation)).toContain(
      `belongs to program ${away.program.id}, not ${home.program.id}`,
    );
  });

  test("a program no longer there keeps its id, in the sentence and beside it", async () => {
    const { home, id } = await saleWithForeignTouch();
    const gone = "prg_01gone0000000000000000000";
    const [stored] = await t.database.db.select().from(conversions).where(eq(conversions.id, id));
    const decision = stored!.decision as { considered: { touch: { programId: string }; explanation: string }[] };
    const touch = decision.considered.find((c) => c.explanation.startsWith("belongs to program"))!;
    touch.touch.programId = gone;
    touch.explanation = `belongs to program ${gone}, not ${home.program.id}`;
    await t.database.db.update(conversions).set({ decision }).where(eq(conversions.id, id));
    const why = foreignTouch(await explain(id));
    expect(why.programName).toBe(gone);
    expect(why.explanation).toBe(`belongs to program ${gone}, not ${home.name}`);
  });

  test("an explanation is named with one query, partners and programs together", async () => {
    const { home, away, id } = await saleWithForeignTouch();
    const counting = countingDb(t.database);
    const why = await explainAttribution({ ...t.ctx, db: counting.db }, id);
    expect(why.touchpoints.map((x) => [x.partnerName, x.programName])).toEqual([
      [away.partners[0]!.name, away.name],
      [home.partners[0]!.name, home.name],
    ]);
    // The conversion, then the names of all the partners and programs it mentions.
    expect(counting.count()).toBe(2);
  });
});

/** The same database through a Drizzle instance of its own that counts the statements it sends. */
function countingDb(database: Database): { db: Db; count: () => number } {
  let n = 0;
  const logger = { logQuery: () => void n++ };
  const db = (database.pglite
    ? drizzlePglite(database.pglite, { schema, logger })
    : drizzlePg(database.pool!, { schema, logger })) as unknown as Db;
  return { db, count: () => n };
}

test("a page of 100 conversions is named with one query, however many partners it credits", async () => {
  const { program, partners } = await programWithPartners({}, 3);
  const clicks = await Promise.all(partners.map((p) => click(p.slug)));
  for (let i = 0; i < 100; i++) expect((await sale(program.id, { clickId: clicks[i % 3] })).statusCode).toBe(201);
  const counting = countingDb(t.database);
  const page = await listConversions({ ...t.ctx, db: counting.db }, { programId: program.id, limit: 100 });
  expect(page.items).toHaveLength(100);
  for (const item of page.items) {
    const partner = partners.find((p) => p.id === item.credits[0]!.partnerId)!;
    expect(item.credits[0]!.partnerName).toBe(partner.name);
    expect(item.summary).toContain(`100% to ${partner.name} (`);
  }
  // The page, its credits, and the names of all their partners.
  expect(counting.count()).toBe(3);
});
