import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, expect, test } from "vitest";
import type { Database } from "../../src/db/client.js";
import { migrateDatabase, migrationsFolder } from "../../src/db/migrate.js";
import { ledgerTotals } from "../../src/domain/commissions/ledger-totals.js";
import { ManualClock } from "../../src/lib/clock.js";
import { expectLedgerTotalsOfEveryEntry } from "../helpers/ledger-totals-from-every-entry.js";
import { createTestDb } from "../helpers/test-db.js";

/**
 * An installation upgraded to migration 0024 has a ledger already: the migration fills the kept totals of paid and
 * rejected money from it, so the ledger totals are right from the first read.
 */
const FIRST_WITH_KEPT_TOTALS = "0024_final_totals";

let database: Database;
let before: string;

beforeAll(async () => {
  database = await createTestDb({ migrated: false });
  // The migrations as they were before the kept totals: the same files, the journal cut before 0024.
  before = mkdtempSync(join(tmpdir(), "tributary-migrations-"));
  mkdirSync(join(before, "meta"));
  const journal = JSON.parse(readFileSync(join(migrationsFolder, "meta", "_journal.json"), "utf8"));
  const cut = journal.entries.findIndex((e: { tag: string }) => e.tag === FIRST_WITH_KEPT_TOTALS);
  expect(cut).toBeGreaterThan(0);
  journal.entries = journal.entries.slice(0, cut);
  writeFileSync(join(before, "meta", "_journal.json"), JSON.stringify(journal));
  for (const { tag } of journal.entries) copyFileSync(join(migrationsFolder, `${tag}.sql`), join(before, `${tag}.sql`));
  await migrateDatabase(database, before);
});
afterAll(async () => {
  await database?.close();
  if (before) rmSync(before, { recursive: true, force: true });
});

test("upgrading fills the kept totals from the ledger, and a paid or rejected entry keeps its status", async () => {
  // Two programs in two currencies; three partners; entries in every status, some of them in payouts.
  await database.db.execute(sql`
    insert into programs (id, name, slug, type, status, currency, cookie_window_days, allowed_domains,
      payout_schedule, created_at, updated_at)
    values ('prg_usd', 'USD', 'usd', 'affiliate', 'active', 'USD', 30, '{}', 'monthly', now(), now()),
      ('prg_eur', 'EUR', 'eur', 'affiliate', 'active', 'EUR', 30, '{}', 'net_30', now(), now())`);
  await database.db.execute(sql`
    insert into commission_entries (id, program_id, partner_id, kind, amount_minor, currency, status, explanation,
      dedupe_key, occurred_at, hold_until, created_at, status_changed_at, payout_id)
    select 'com_' || g, program_id, 'ptn_' || g % 3, case when g % 7 = 0 then 'reversal' else 'commission' end,
      case when g % 7 = 0 then -g else 100 * g end, currency,
      (array['pending', 'approved', 'held', 'rejected', 'paid'])[1 + g % 5], '{}', 'fixture:' || g,
      timestamptz '2026-01-01' + g * interval '1 day', timestamptz '2026-01-31' + g * interval '1 day',
      timestamptz '2026-01-01', timestamptz '2026-02-01' + g * interval '1 day',
      case when g % 5 = 4 or (g % 5 = 1 and g % 2 = 0) then 'pay_' || g % 4 end
    from generate_series(1, 120) g, lateral (select case when g % 4 = 0 then 'prg_eur' else 'prg_usd' end
      as program_id, case when g % 4 = 0 then 'EUR' else 'USD' end as currency) p`);

  await migrateDatabase(database);

  const ctx = { db: database.db, clock: new ManualClock("2026-04-15T00:00:00Z") };
  const filters = [
    {},
    { programId: "prg_usd" },
    { programId: "prg_eur" },
    ...["ptn_0", "ptn_1", "ptn_2"].flatMap((partnerId) => [
      { partnerId },
      { programId: "prg_usd", partnerId },
      { programId: "prg_eur", partnerId },
    ]),
  ];
  for (const filter of filters) await expectLedgerTotalsOfEveryEntry(ctx, filter);
  const [eur, usd] = await ledgerTotals(ctx, {});
  expect([eur!.paid, eur!.rejected, usd!.paid, usd!.rejected].every((amount) => amount !== 0)).toBe(true);

  // The kept totals only ever add what enters a final status: the ledger refuses to take an entry out of one.
  for (const status of ["paid", "rejected"]) {
    const refused = await database.db
      .execute(sql`update commission_entries set status = 'approved' where status = ${status}`)
      .then(
        () => "updated",
        (error: Error) => String((error.cause as Error | undefined)?.message ?? error.message),
      );
    expect(refused).toMatch(/is (paid|rejected): a paid or rejected entry keeps its status/);
  }
});
