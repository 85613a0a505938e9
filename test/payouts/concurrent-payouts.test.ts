import { randomBytes } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { type Database, openDatabase, selectRows } from "../../src/db/client.js";
import { commissionEntries, partners, payoutMethods, payouts } from "../../src/db/schema/index.js";
import { type Ctx, systemActor } from "../../src/domain/context.js";
import { createPayoutBatch } from "../../src/domain/payouts/create-payout-batch.js";
import { markBatchPaid } from "../../src/domain/payouts/mark-batch-paid.js";
import { loadKeyring, type PayoutRuntime } from "../../src/domain/payouts/payout-runtime.js";
import { runPayouts } from "../../src/domain/payouts/run-payouts.js";
import { createProgram } from "../../src/domain/programs/create-program.js";
import { ManualClock } from "../../src/lib/clock.js";
import { AppError } from "../../src/lib/errors.js";
import { type EntryFixture, seedEntries } from "../helpers/ledger.js";
import { sealedPaypalMethods } from "../helpers/payout-methods.js";
import { createTestDb } from "../helpers/test-db.js";

/**
 * Two app instances against one database run the same payout work at the same moment. On PostgreSQL each
 * "instance" has its own connection pool; on PGlite both share the one embedded database and interleave
 * in-process. Whatever the interleaving, every entry ends up in exactly one live payout and is paid once.
 */
let first: Database;
let second: Database;
let runtime: PayoutRuntime;
const clock = new ManualClock("2026-03-02T10:00:00Z");
const silent = { info: () => undefined, warn: () => undefined, error: () => undefined, debug: () => undefined };
const ctxOn = (database: Database, label: string): Ctx => ({
  db: database.db,
  clock,
  log: silent as unknown as Ctx["log"],
  actor: { ...systemActor, label },
  config: { sessionTtlHours: 1 },
  payouts: runtime,
});

const PARTNERS = 40;
const ENTRIES_PER_PARTNER = 25;
let programId: string;
let partnerIds: string[] = [];

beforeAll(async () => {
  first = await createTestDb();
  second = first.kind === "postgres" ? await openDatabase({ databaseUrl: first.connectionString, poolSize: 5 }) : first;
  runtime = { keyring: await loadKeyring(first.db, undefined) };
  const ctx = ctxOn(first, "setup");
  programId = (await createProgram(ctx, { name: "Race", slug: "race", type: "affiliate", currency: "USD" })).id;
  const now = clock.now();
  partnerIds = Array.from({ length: PARTNERS }, (_, i) => `ptn_race${String(i).padStart(4, "0")}`);
  await first.db
    .insert(partners)
    .values(partnerIds.map((id) => ({ id, name: id, type: "affiliate" as const, createdAt: now, updatedAt: now })));
  await first.db.insert(payoutMethods).values(sealedPaypalMethods(runtime.keyring, partnerIds, now));
});
afterAll(async () => {
  if (second !== first) await second.close();
  await first.close();
});

/** Approved entries for every partner (a few clawbacks among them), plus held ones that must stay out. */
function ledger(month: string): EntryFixture[] {
  const fixtures: EntryFixture[] = [];
  for (const partnerId of partnerIds) {
    for (let i = 0; i < ENTRIES_PER_PARTNER; i++) {
      const amount = i % 10 === 9 ? -BigInt(100 + i) : BigInt(1_000 + randomBytes(1)[0]!);
      fixtures.push({
        programId,
        partnerId,
        amount,
        occurredAt: `${month}-${String((i % 27) + 1).padStart(2, "0")}T12:00:00Z`,
      });
    }
    fixtures.push({ programId, partnerId, amount: 5_000n, status: "held", occurredAt: `${month}-02T00:00:00Z` });
  }
  return fixtures;
}

async function invariants() {
  const items = sql`(select pi.payout_id, i.entry_id, i.amount_minor
    from payout_items pi, unnest(pi.entry_ids, pi.amounts_minor) as i(entry_id, amount_minor))`;
  const twice = await selectRows<{ entry_id: string }>(
    first.db,
    sql`select pi.entry_id from ${items} pi join payouts p on p.id = pi.payout_id
        where p.status <> 'failed' group by pi.entry_id having count(*) > 1`,
  );
  expect(twice).toEqual([]);
  // Every entry that points at a payout is one of that payout's items, and the payout adds up to its items.
  const mismatched = await selectRows<{ id: string }>(
    first.db,
    sql`select ce.id from commission_entries ce
        left join ${items} pi on pi.entry_id = ce.id and pi.payout_id = ce.payout_id
        where ce.payout_id is not null and pi.entry_id is null`,
  );
  expect(mismatched).toEqual([]);
  const sums = await selectRows<{ id: string }>(
    first.db,
    sql`select p.id from payouts p join ${items} pi on pi.payout_id = p.id
        group by p.id, p.amount_minor, p.entry_count
        having sum(pi.amount_minor) <> p.amount_minor or count(*) <> p.entry_count`,
  );
  expect(sums).toEqual([]);
}

describe("concurrent payout work", () => {
  test("two payout runs started at the same moment pay every entry exactly once", async () => {
    await seedEntries(first.db, ledger("2026-01"));
    const [a, b] = await Promise.all([
      runPayouts(ctxOn(first, "instance A"), {}),
      runPayouts(ctxOn(second, "instance B"), {}),
    ]);
    expect(a.payoutsCreated + b.payoutsCreated).toBe(PARTNERS);
    const made = await first.db.select().from(payouts).where(eq(payouts.programId, programId));
    expect(new Set(made.map((p) => p.partnerId)).size).toBe(PARTNERS);
    const entries = await first.db.select().from(commissionEntries).where(eq(commissionEntries.programId, programId));
    const approved = entries.filter((e) => e.status === "approved");
    expect(approved.every((e) => e.payoutId !== null)).toBe(true);
    expect(entries.filter((e) => e.status === "held").every((e) => e.payoutId === null)).toBe(true);
    const total = made.reduce((s, p) => s + p.amountMinor, 0n);
    expect(total).toBe(approved.reduce((s, e) => s + e.amountMinor, 0n));
    await invariants();
  });

  test("a second round: concurrent runs, concurrent batches, concurrent mark-paid; nothing is paid twice", async () => {
    await seedEntries(first.db, ledger("2026-02"));
    const runs = await Promise.all([
      runPayouts(ctxOn(first, "instance A"), { programId }),
      runPayouts(ctxOn(second, "instance B"), { programId }),
      runPayouts(ctxOn(second, "instance B again"), { programId }),
    ]);
    expect(runs.reduce((n, r) => n + r.payoutsCreated, 0)).toBe(PARTNERS);
    await invariants();

    const batches = await Promise.allSettled([
      createPayoutBatch(ctxOn(first, "finance A"), { programId, methodKind: "paypal" }),
      createPayoutBatch(ctxOn(second, "finance B"), { programId, methodKind: "paypal" }),
    ]);
    const created = batches.filter((r) => r.status === "fulfilled").map((r) => r.value);
    const refused = batches.filter((r) => r.status === "rejected").map((r) => r.reason);
    // Both rounds' payouts are pending: one batch takes all of them, the other finds none left.
    expect(created).toHaveLength(1);
    expect(created[0]!.payoutCount).toBe(PARTNERS * 2);
    expect(refused).toEqual([expect.any(AppError)]);
    expect((refused[0] as AppError).code).toBe("invalid_state");

    const batchId = created[0]!.id;
    const paid = await Promise.allSettled([
      markBatchPaid(ctxOn(first, "finance A"), batchId, { reference: "A" }),
      markBatchPaid(ctxOn(second, "finance B"), batchId, { reference: "B" }),
    ]);
    expect(paid.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(paid.filter((r) => r.status === "rejected").map((r) => (r.reason as AppError).code)).toEqual([
      "invalid_state",
    ]);
    const entries = await first.db.select().from(commissionEntries).where(eq(commissionEntries.programId, programId));
    for (const e of entries) expect(e.status === "paid").toBe(e.payoutId !== null);
    expect(entries.filter((e) => e.status === "paid")).toHaveLength(PARTNERS * ENTRIES_PER_PARTNER * 2);
    const all = await first.db.select().from(payouts).where(eq(payouts.programId, programId));
    expect(all.every((p) => p.status === "paid")).toBe(true);
    expect(all.reduce((s, p) => s + p.amountMinor, 0n)).toBe(
      entries.filter((e) => e.status === "paid").reduce((s, e) => s + e.amountMinor, 0n),
    );
    await invariants();
    // Nothing is left to pay.
    const last = await Promise.all([runPayouts(ctxOn(first, "A"), {}), runPayouts(ctxOn(second, "B"), {})]);
    expect(last.map((r) => r.payoutsCreated)).toEqual([0, 0]);
  });
});
