import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { type Database, selectRows } from "../../src/db/client.js";
import type { CommissionStatus } from "../../src/db/schema/index.js";
import { partners, payoutMethods } from "../../src/db/schema/index.js";
import { type Ctx, systemActor } from "../../src/domain/context.js";
import { loadKeyring, type PayoutRuntime } from "../../src/domain/payouts/payout-runtime.js";
import { runPayouts } from "../../src/domain/payouts/run-payouts.js";
import { createProgram } from "../../src/domain/programs/create-program.js";
import { ManualClock } from "../../src/lib/clock.js";
import { type EntryFixture, seedEntries } from "../helpers/ledger.js";
import { sealedPaypalMethods } from "../helpers/payout-methods.js";
import { createTestDb } from "../helpers/test-db.js";

/**
 * The payout run reads the ledger in slices of entries on PGlite (src/domain/payouts/ledger-slices.ts) and in one
 * statement per pass on PostgreSQL. Two programs get the same ledger, their rows interleaved; one is paid a few
 * entries at a time, the other in one pass, on each database: the two runs must pay, skip and list the same entries.
 */
let database: Database;
let runtime: PayoutRuntime;
const clock = new ManualClock("2026-05-10T10:00:00Z");
const silent = { info: () => undefined, warn: () => undefined, error: () => undefined, debug: () => undefined };
const ctx = (): Ctx => ({
  db: database.db,
  clock,
  log: silent as unknown as Ctx["log"],
  actor: systemActor,
  config: { sessionTtlHours: 1 },
  payouts: runtime,
});

const PARTNERS = 24;
/** Payable entries per slice in the sliced run: a few dozen slices. */
const SLICE = 8;
const partnerIds = Array.from({ length: PARTNERS }, (_, i) => `ptn_slice${String(i).padStart(3, "0")}`);
let sliced: string;
let whole: string;

beforeAll(async () => {
  database = await createTestDb();
  runtime = { keyring: await loadKeyring(database.db, undefined) };
  const program = (slug: string) =>
    createProgram(ctx(), {
      name: slug,
      slug,
      type: "affiliate",
      currency: "USD",
      payoutSchedule: "net_15",
      payoutMinimum: 10_000,
    });
  sliced = (await program("sliced")).id;
  whole = (await program("whole")).id;
  const now = clock.now();
  await database.db
    .insert(partners)
    .values(partnerIds.map((id) => ({ id, name: id, type: "affiliate" as const, createdAt: now, updatedAt: now })));
  // Every fourth partner has no payout method: skipped, as in a single pass.
  await database.db.insert(payoutMethods).values(
    sealedPaypalMethods(
      runtime.keyring,
      partnerIds.filter((_, i) => i % 4 !== 3),
      now,
    ),
  );
});
afterAll(async () => {
  await database?.close();
});

const STATUSES: CommissionStatus[] = ["approved", "approved", "approved", "pending", "held", "rejected"];

/** Entry `n` of a partner: mostly approved, some not payable yet or ever, a few clawbacks; partner 5 earns little. */
function entry(programId: string, partner: number, n: number): EntryFixture {
  const small = partner === 5;
  return {
    programId,
    partnerId: partnerIds[partner]!,
    amount: n % 9 === 8 ? -BigInt(150 + n) : BigInt(small ? 10 + n : 1_000 + ((partner * 37 + n * 11) % 500)),
    status: STATUSES[(n + partner) % STATUSES.length]!,
    // NET-15 as of 10 May pays what was earned before April: March is due, April is not.
    occurredAt:
      n % 7 === 6
        ? `2026-04-${String((n % 28) + 1).padStart(2, "0")}T08:00:00Z`
        : `2026-03-${String((n % 28) + 1).padStart(2, "0")}T08:00:00Z`,
    dedupeKey: `fixture:${partner}:${n}`,
  };
}

/** Per partner: the payout's amount and count, and the dedupe keys of the entries it lists; the skips. */
async function outcome(programId: string) {
  const paid = await selectRows<{ partner_id: string; amount: string; entries: number; keys: string[] }>(
    database.db,
    sql`select p.partner_id, p.amount_minor::text as amount, p.entry_count as entries,
          (select array_agg(ce.dedupe_key order by ce.dedupe_key) from unnest(pi.entry_ids) as i(id)
             join commission_entries ce on ce.id = i.id and ce.payout_id = p.id) as keys
        from payouts p join payout_items pi on pi.payout_id = p.id
        where p.program_id = ${programId} order by p.partner_id`,
  );
  const skipped = await selectRows<{ partner_id: string; reason: string; amount: string }>(
    database.db,
    sql`select partner_id, reason, amount_minor::text as amount from payout_skips
        where program_id = ${programId} order by partner_id`,
  );
  const [unlisted] = await selectRows<{ n: number }>(
    database.db,
    sql`select count(*)::int as n from commission_entries ce where ce.program_id = ${programId}
          and ce.payout_id is not null
          and not exists (select 1 from payout_items pi where pi.payout_id = ce.payout_id and ce.id = any(pi.entry_ids))`,
  );
  return { paid, skipped, unlisted: unlisted!.n };
}

describe("a payout run that reads the ledger a slice of entries at a time", () => {
  test("pays, skips and lists exactly what one pass over the ledger does, and lets the event loop turn", async () => {
    const fixtures: EntryFixture[] = [];
    for (let n = 0; n < 40; n++)
      for (let partner = 0; partner < PARTNERS; partner++)
        fixtures.push(entry(sliced, partner, n), entry(whole, partner, n));
    await seedEntries(database.db, fixtures);
    // NET-15 as of 10 May: approved entries earned in March, and clawbacks whenever.
    const [payable] = await selectRows<{ n: number }>(
      database.db,
      sql`select count(*)::int as n from commission_entries where program_id = ${sliced} and status = 'approved'
            and (amount_minor < 0 or occurred_at < '2026-04-01')`,
    );
    const slices = Math.ceil(payable!.n / SLICE);
    // A last slice shorter than the others, as in any real ledger.
    expect(payable!.n % SLICE).not.toBe(0);
    expect(slices).toBeGreaterThan(20);

    let turns = 0;
    let spinning = true;
    const spin = () => {
      turns++;
      if (spinning) setImmediate(spin);
    };
    setImmediate(spin);
    const slicedRun = await runPayouts(ctx(), { programId: sliced }, { ledgerPass: SLICE });
    spinning = false;
    // A turn at least per slice of the balances and per slice of the claim.
    expect(turns).toBeGreaterThanOrEqual(2 * (slices - 1));
    const wholeRun = await runPayouts(ctx(), { programId: whole }, { ledgerPass: "whole" });

    const a = await outcome(sliced);
    const b = await outcome(whole);
    expect(a.unlisted).toBe(0);
    expect(b.unlisted).toBe(0);
    expect(a.paid.length).toBeGreaterThan(10);
    expect(a.paid).toEqual(b.paid);
    expect(a.skipped).toEqual(b.skipped);
    expect(a.skipped.map((s) => s.reason).sort()).toEqual([
      "below_minimum",
      ...Array(PARTNERS / 4).fill("no_payout_method"),
    ]);
    expect(slicedRun.payoutsCreated).toBe(wholeRun.payoutsCreated);
    // Each payout adds up to the entries it lists, which are exactly the ones pointing at it.
    for (const payout of a.paid) {
      expect(payout.keys).toHaveLength(payout.entries);
    }
    const [sums] = await selectRows<{ wrong: number }>(
      database.db,
      sql`select count(*)::int as wrong from payouts p join payout_items pi on pi.payout_id = p.id
          where p.program_id in (${sliced}, ${whole})
            and p.amount_minor <> (select sum(a) from unnest(pi.amounts_minor) a)`,
    );
    expect(sums!.wrong).toBe(0);

    // Nothing is left to pay: a second run, sliced, finds nothing.
    const again = await runPayouts(ctx(), { programId: sliced }, { ledgerPass: SLICE });
    expect(again.payoutsCreated).toBe(0);
  });
});
