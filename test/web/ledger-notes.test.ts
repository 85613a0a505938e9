import { describe, expect, test } from "vitest";
import { payoutSchedules } from "../../src/db/schema/index.js";
import { emptyLedgerTotals } from "../../src/domain/commissions/ledger-totals.js";
import { payableFrom as serverPayableFrom } from "../../src/domain/payouts/payout-rules.js";
import { approvedNotes, balanceOwed, orderedTotals, pendingNote } from "../../web/src/shared/ledger-notes.js";
import { tileCurrencies } from "../../web/src/shared/ledger-totals.js";
import { formatMoney, revenueEntries } from "../../web/src/shared/money.js";
import { payableFrom } from "../../web/src/shared/payout-schedule.js";
import type { LedgerTotals } from "../../web/src/shared/types.js";

// The server's empty totals, as the API sends them: the web's type is the same shape.
const totals = (currency: string, values: Partial<LedgerTotals> = {}): LedgerTotals => ({
  ...emptyLedgerTotals(currency),
  ...values,
});
const usd = (minor: number) => formatMoney(minor, "USD");
const eur = (minor: number) => formatMoney(minor, "EUR");

describe("what the Approved tile says", () => {
  test("money the schedule has not made due is not promised to the next payout", () => {
    const notes = approvedNotes([totals("USD", { approved: 4_980, notDue: 4_980, dueFrom: "2026-12-01T00:00:00Z" })]);
    expect(notes).toEqual(["Due for payout from 1 Dec 2026"]);
    expect(notes.join(" ")).not.toMatch(/next payout/i);
  });

  test("all of it due now; all of it in a payout on its way", () => {
    expect(approvedNotes([totals("USD", { approved: 990, due: 990 })])).toEqual(["Due for payout now"]);
    expect(approvedNotes([totals("USD", { approved: 2_980, inPayouts: 2_980 })])).toEqual(["In a payout on its way"]);
  });

  test("a mix says how much stands where", () => {
    const notes = approvedNotes([
      totals("USD", {
        approved: 13_800,
        due: 800,
        notDue: 12_000,
        inPayouts: 1_000,
        dueFrom: "2026-04-01T00:00:00.000Z",
      }),
    ]);
    expect(notes).toEqual([
      `${usd(800)} due for payout now`,
      `${usd(12_000)} due from 1 Apr 2026`,
      `${usd(1_000)} in a payout on its way`,
    ]);
  });

  test("lines follow the tiles' order of currencies: the preferred one first, then by code", () => {
    const both = [totals("EUR", { approved: 900, due: 900 }), totals("USD", { approved: 700, due: 700 })];
    const lines = (notes: string[]) => notes.map((n) => (n.includes("€") ? "EUR" : "USD"));
    expect(lines(approvedNotes(both))).toEqual(["USD", "EUR"]);
    expect(lines(approvedNotes(both, "EUR"))).toEqual(["EUR", "USD"]);
    expect(lines(approvedNotes([...both].reverse(), "EUR"))).toEqual(["EUR", "USD"]);
  });

  test("a negative due balance (clawbacks) offsets the next payout", () => {
    expect(
      approvedNotes([totals("USD", { approved: 4_500, due: -500, notDue: 5_000, dueFrom: "2026-04-01T00:00:00Z" })]),
    ).toEqual([`−${usd(500)} offsets the next payout`, `${usd(5_000)} due from 1 Apr 2026`]);
  });

  test("several currencies: each its own amounts, never added", () => {
    const notes = approvedNotes(
      [
        totals("EUR", { approved: 3_500, due: 2_000, notDue: 1_500, dueFrom: "2026-03-03T00:00:00Z" }),
        totals("USD", { approved: 800, due: 800 }),
      ],
      "EUR",
    );
    expect(notes).toEqual([
      `${eur(2_000)} due for payout now`,
      `${eur(1_500)} due from 3 Mar 2026`,
      `${usd(800)} due for payout now`,
    ]);
  });

  test("nothing approved", () => {
    expect(approvedNotes([])).toEqual(["Paid on the program's payout schedule"]);
  });
});

test("the Pending tile names the next end of a holding period, in UTC", () => {
  expect(pendingNote([totals("USD", { pending: 700, pendingUntil: "2026-03-07T23:30:00Z" })])).toBe(
    "Approved as holding periods end; the next on 7 Mar 2026",
  );
  expect(
    pendingNote([
      totals("EUR", { pending: 100, pendingUntil: "2026-03-09T00:00:00Z" }),
      totals("USD", { pending: 700, pendingUntil: "2026-03-07T00:00:00Z" }),
    ]),
  ).toMatch(/7 Mar 2026$/);
  expect(pendingNote([])).toBe("Approved when its holding period ends");
});

describe("currencies in a stable order", () => {
  test("the preferred currency first, then by code, whatever the amounts", () => {
    const list = [
      totals("USD", { approved: 1 }),
      totals("EUR", { approved: 9_999_999 }),
      totals("CHF", { pending: 5 }),
    ];
    expect(orderedTotals(list, "USD").map((t) => t.currency)).toEqual(["USD", "CHF", "EUR"]);
    expect(orderedTotals(list).map((t) => t.currency)).toEqual(["CHF", "EUR", "USD"]);
  });

  test("the tiles show every currency with money in a shown status, and a zero in the fallback when none", () => {
    const list = [totals("USD", { paid: 100 }), totals("EUR", { rejected: 50 }), totals("GBP", { held: 3 })];
    expect(tileCurrencies(list, ["pending", "approved", "held", "paid"], "USD").map((t) => t.currency)).toEqual([
      "USD",
      "GBP",
    ]);
    expect(tileCurrencies([], ["pending"], "EUR")).toEqual([expect.objectContaining({ currency: "EUR", pending: 0 })]);
  });

  test("revenue: the program's currency first, then by code (¥ is never compared with €)", () => {
    expect(revenueEntries({ JPY: 1_000_000, EUR: 5_000, CHF: 10 }, "EUR").map((r) => r.currency)).toEqual([
      "EUR",
      "CHF",
      "JPY",
    ]);
  });
});

test("the balance owed is pending + approved + on hold per currency (the statements' closing balance)", () => {
  expect(balanceOwed([totals("USD", { pending: 1_000, approved: 500, held: 200, paid: 9_000, rejected: 7 })])).toBe(
    usd(1_700),
  );
  expect(balanceOwed([totals("USD", { approved: 500 }), totals("EUR", { held: 100 })], "USD")).toBe(
    `${usd(500)} and ${eur(100)}`,
  );
});

test("the web's payout schedule agrees with the server's rule", () => {
  for (const schedule of payoutSchedules)
    for (const at of ["2026-01-01T00:00:00Z", "2026-02-14T12:00:00Z", "2026-12-31T23:59:59Z", "2028-02-29T08:00:00Z"])
      expect(payableFrom(schedule, new Date(at))).toEqual(serverPayableFrom(schedule, new Date(at)));
});
