import { setImmediate as nextTurn } from "node:timers/promises";
import { type SQL, sql } from "drizzle-orm";
import { arrayLiteral } from "../../db/array-literal.js";
import { type Db, selectRows } from "../../db/client.js";

/**
 * The payout run's passes over the ledger, a slice of a program's approved entries at a time, with a turn of the
 * event loop between slices. For PGlite: it runs in the server's own thread and answers a statement without a turn
 * of the event loop, so the run's two statements over the whole ledger (the balances and the claim) held every
 * request, redirects among them, for the whole run (12.4 s of a 12.7 s run at a million entries). A slice is the next
 * payable entries in id order, read from the program's approved ones (commission_entries_program_status_id_idx), so
 * paid and rejected entries, most of a mature ledger, are not read, as the single statements do not read them either.
 *
 * Only PGlite needs this. There the run's transaction holds the database's only connection, so nothing else writes
 * the ledger meanwhile and the slices see the same rows that a single statement would. On PostgreSQL the single
 * statements run in another process and are faster (see run-payouts.ts).
 */

/** How a pass is cut: that many payable entries a slice, or "timed" — slices sized to take about SLICE_TARGET_MS. */
export type Slicing = "timed" | number;

/** What a timed slice aims at: long enough that a statement's fixed cost is a small share, short for a request. */
const SLICE_TARGET_MS = 40;
const FIRST_SLICE_ENTRIES = 1_000;

/**
 * The next `size` payable entries (`payable`, over `ce`) after entry id `after`, as a CTE `slice` (with each row's
 * ctid, so a statement finds them again without another index lookup).
 */
const sliceOf = (payable: SQL, after: string, size: number): SQL =>
  sql`slice as (
    select ce.ctid as at, ce.id, ce.partner_id, ce.amount_minor from commission_entries ce
    where ${payable} and ce.id > ${after} order by ce.id limit ${size}
  )`;

/** What a slice's statement reports besides its work: its last entry id and its number of entries. */
interface SliceEnd {
  last: string | null;
  n: number;
}

/**
 * Calls `work` on consecutive slices of the payable entries (see sliceOf) until one comes back short, with a turn of
 * the event loop after each. Timed slices grow or shrink towards SLICE_TARGET_MS (at most doubling, at least a
 * quarter, per step): how fast the machine is is not known in advance.
 */
async function forEachSlice(
  tx: Db,
  slicing: Slicing,
  work: (after: string, size: number) => Promise<SliceEnd>,
): Promise<void> {
  // A slice must be read in id order from an index, stopping after `size` entries. With statistics that say few
  // entries are approved (taken before the holding release approved a month's worth), the planner would rather
  // gather every approved entry after `after` in a bitmap and sort them, for each slice: quadratic in the entries.
  // Sorts and bitmaps are off while the slices run; the run's other statements plan as usual.
  // (A failed slice aborts the transaction, and the settings go with it.)
  await tx.execute(sql`set local enable_sort = off`);
  await tx.execute(sql`set local enable_bitmapscan = off`);
  await sliceBySlice(slicing, work);
  await tx.execute(sql`set local enable_sort = on`);
  await tx.execute(sql`set local enable_bitmapscan = on`);
}

async function sliceBySlice(slicing: Slicing, work: (after: string, size: number) => Promise<SliceEnd>): Promise<void> {
  let size = slicing === "timed" ? FIRST_SLICE_ENTRIES : slicing;
  for (let after = ""; ; ) {
    const started = performance.now();
    const end = await work(after, size);
    if (end.n < size || end.last === null) return;
    after = end.last;
    if (slicing === "timed") {
      const scale = SLICE_TARGET_MS / Math.max(performance.now() - started, 1);
      size = Math.max(1, Math.round(size * Math.min(2, Math.max(0.25, scale))));
    }
    await nextTurn();
  }
}

/** Each partner's sum of the payable entries (`payable`, over `ce`), slice by slice. */
export async function balancesInSlices(
  tx: Db,
  payable: SQL,
  slicing: Slicing,
): Promise<{ partner_id: string; total: string }[]> {
  const totals = new Map<string, bigint>();
  await forEachSlice(tx, slicing, async (after, size) => {
    const rows = await selectRows<{ partner_id: string; total: string } & SliceEnd>(
      tx,
      sql`with ${sliceOf(payable, after, size)}
          select partner_id, sum(amount_minor)::text as total,
            (select max(id) from slice) as last, (select count(*)::int from slice) as n
          from slice group by partner_id`,
    );
    for (const row of rows) totals.set(row.partner_id, (totals.get(row.partner_id) ?? 0n) + BigInt(row.total));
    return rows[0] ?? { last: null, n: 0 };
  });
  return [...totals]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([partner_id, total]) => ({ partner_id, total: total.toString() }));
}

/** Entry ids per payout_items statement: a few hundred kilobytes of array literals. */
const ITEMS_PER_STATEMENT = 10_000;

/**
 * The claim of claimAndPay, slice by slice: each due partner's payable entries point at its payout (`payoutOf`,
 * partner id → payout id), and each payout's item list, gathered over the slices, is written once they are all
 * done. Returns what each payout claimed, as the single statement does.
 */
export async function claimInSlices(
  tx: Db,
  payable: SQL,
  payoutOf: Map<string, string>,
  slicing: Slicing,
): Promise<{ payout_id: string; total: string; entries: number }[]> {
  // The partners' payouts as a table, written once: sent with every slice as the single statement sends them (a
  // JSON object and an array of thousands of partners), parsing them was most of a slice's time.
  await tx.execute(sql`create temporary table payout_of (partner_id text primary key, payout_id text not null)
    on commit drop`);
  await tx.execute(sql`insert into payout_of (partner_id, payout_id)
    select * from unnest(${arrayLiteral([...payoutOf.keys()])}::text[], ${arrayLiteral([...payoutOf.values()])}::text[])`);
  await tx.execute(sql`analyze payout_of`);
  const items = new Map<string, { ids: string[]; amounts: string[] }>();
  await forEachSlice(tx, slicing, async (after, size) => {
    // One row whatever was claimed: a slice of blocked partners' entries claims nothing and is not the last for it.
    const [slice] = await selectRows<SliceEnd & { payouts: { payout: string; ids: string[]; amounts: string[] }[] }>(
      tx,
      sql`with ${sliceOf(payable, after, size)},
          claimed as (
            update commission_entries ce set payout_id = po.payout_id from slice, payout_of po
            where ce.ctid = slice.at and po.partner_id = ce.partner_id and ${payable}
            returning ce.payout_id, ce.id, ce.amount_minor
          )
          select (select max(id) from slice) as last, (select count(*)::int from slice) as n,
            (select coalesce(json_agg(json_build_object('payout', payout_id, 'ids', ids, 'amounts', amounts)), '[]')
             from (select payout_id, array_agg(id) as ids, array_agg(amount_minor::text) as amounts
                   from claimed group by payout_id) as per_payout) as payouts`,
    );
    for (const { payout, ids, amounts } of slice!.payouts) {
      const list = items.get(payout);
      if (!list) items.set(payout, { ids, amounts });
      // One at a time: a spread of a large slice's ids would overflow the call stack.
      else
        for (let i = 0; i < ids.length; i++) {
          list.ids.push(ids[i]!);
          list.amounts.push(amounts[i]!);
        }
    }
    return slice!;
  });
  await tx.execute(sql`drop table payout_of`);
  await writeItems(tx, items);
  return [...items].map(([payout_id, { ids, amounts }]) => ({
    payout_id,
    total: amounts.reduce((sum, amount) => sum + BigInt(amount), 0n).toString(),
    entries: ids.length,
  }));
}

/** payout_items, a row per payout, in statements of about ITEMS_PER_STATEMENT entries. */
async function writeItems(tx: Db, items: Map<string, { ids: string[]; amounts: string[] }>): Promise<void> {
  let rows: SQL[] = [];
  let entries = 0;
  const flush = async () => {
    if (rows.length === 0) return;
    await tx.execute(
      sql`insert into payout_items (payout_id, entry_ids, amounts_minor) values ${sql.join(rows, sql`, `)}`,
    );
    rows = [];
    entries = 0;
    await nextTurn();
  };
  for (const [payoutId, { ids, amounts }] of items) {
    rows.push(sql`(${payoutId}, ${arrayLiteral(ids)}::text[], ${arrayLiteral(amounts)}::bigint[])`);
    entries += ids.length;
    if (entries >= ITEMS_PER_STATEMENT) await flush();
  }
  await flush();
}
