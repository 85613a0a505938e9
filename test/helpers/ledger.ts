import { randomBytes } from "node:crypto";
import { type SQL, sql } from "drizzle-orm";
import { type Db, selectRows } from "../../src/db/client.js";
import { type CommissionEntryKind, type CommissionStatus, commissionEntries } from "../../src/db/schema/index.js";
import { keepFinalTotals, keepingFinalTotals } from "../../src/domain/commissions/final-totals.js";

export interface EntryFixture {
  programId: string;
  partnerId: string;
  amount: bigint;
  currency?: string;
  kind?: CommissionEntryKind;
  status?: CommissionStatus;
  /** When earned (the statement and NET-x schedules date entries by this). */
  occurredAt: string | Date;
  /** When the entry became approved (status_changed_at); defaults to occurredAt. */
  approvedAt?: string | Date;
  /** When a pending entry's holding period ends (hold_until); none by default. */
  holdUntil?: string | Date;
  /** Defaults to a unique `fixture:` key. */
  dedupeKey?: string;
}

/**
 * Ledger rows written straight into commission_entries, as the commission engine would append them: the
 * table's contract (signed amount, kind, status, dedupe key) is what payouts build on. A paid or rejected fixture
 * is added to the kept totals of final money too, as the statements that pay or reject entries do.
 */
export async function seedEntries(db: Db, fixtures: EntryFixture[]): Promise<string[]> {
  const rows = fixtures.map((f) => {
    const id = `com_${randomBytes(10).toString("hex")}`;
    const occurredAt = new Date(f.occurredAt);
    return {
      id,
      programId: f.programId,
      partnerId: f.partnerId,
      kind: f.kind ?? "commission",
      amountMinor: f.amount,
      currency: f.currency ?? "USD",
      status: f.status ?? "approved",
      explanation: { summary: `${f.kind ?? "commission"} ${f.amount}`, steps: [] },
      dedupeKey: f.dedupeKey ?? `fixture:${id}`,
      occurredAt,
      createdAt: occurredAt,
      statusChangedAt: new Date(f.approvedAt ?? f.occurredAt),
      holdUntil: f.holdUntil ? new Date(f.holdUntil) : null,
    };
  });
  for (let i = 0; i < rows.length; i += 1000) await db.insert(commissionEntries).values(rows.slice(i, i + 1000));
  await keepFinalTotals(db, rows);
  return rows.map((r) => r.id);
}

/**
 * The unpaid entries `where` picks, paid in payout `payoutId` as marking a payout paid pays them (settle-payouts.ts):
 * their money goes to the kept totals in the same statement. For tests that need paid entries without running a
 * payout; an update of the status alone would leave the ledger totals short of that money. Returns how many.
 */
export async function markEntriesPaid(db: Db, where: SQL, payoutId: string): Promise<number> {
  const [paid] = await selectRows<{ n: number }>(
    db,
    keepingFinalTotals(
      sql`update commission_entries set status = 'paid', payout_id = ${payoutId}
          where (${where}) and status in ('pending', 'approved', 'held')
          returning program_id, partner_id, currency, status, amount_minor`,
      sql`count(*)::int as n`,
    ),
  );
  return paid?.n ?? 0;
}
