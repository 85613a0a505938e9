import { describe, expect, test } from "vitest";
import type { SourceEntry } from "../../src/domain/commissions/load-calculation-context.js";
import { reverseForRefund } from "../../src/domain/commissions/reverse-for-refund.js";
import { currencyDigits as serverDigits } from "../../src/lib/currency-digits.js";
import { formatMinor } from "../../src/lib/money.js";
import { auditValueText } from "../../web/src/admin/audit-diff.js";
import { formatMoney } from "../../web/src/shared/money.js";
import { readableNote, withPageMoney } from "../../web/src/shared/note-text.js";

describe("a server note's amounts read as the pages write money", () => {
  // The server's own formatter writes each note's amounts: whatever it writes, the web reads back exactly.
  test.each([
    [4_900, "USD"],
    [-4_900, "USD"],
    [0, "USD"],
    [5, "EUR"],
    [123_456_789, "EUR"],
    [500, "JPY"],
    [-1_234, "KWD"],
    [100_000, "HUF"],
  ])("%i %s", (minor, currency) => {
    const server = formatMinor(BigInt(minor), currency, serverDigits(currency));
    expect(withPageMoney(`refund before payout: ${server} reverses part of the commission`)).toBe(
      `refund before payout: ${formatMoney(minor, currency)} reverses part of the commission`,
    );
  });

  test("the summary of a refund stored before this change: $49.00 as on the pages, not USD 49.00", () => {
    const note = readableNote("refund before payout: -USD 49.00 reverses part of the commission");
    expect(note).toBe(`Refund before payout: ${formatMoney(-4_900, "USD")} reverses part of the commission`);
    expect(note).not.toContain("USD");
  });

  test("every amount of a sentence, in each currency it names", () => {
    expect(withPageMoney("USD 10.00 × 4900/4900 − USD 10.00 × 0/4900 = USD 10.00")).toBe(
      `${formatMoney(1_000, "USD")} × 4900/4900 − ${formatMoney(1_000, "USD")} × 0/4900 = ${formatMoney(1_000, "USD")}`,
    );
    expect(withPageMoney("EUR 1,000.00 at 1.08 (2026-03-01) = USD 1,080.00")).toBe(
      `${formatMoney(100_000, "EUR")} at 1.08 (2026-03-01) = ${formatMoney(108_000, "USD")}`,
    );
  });

  test.each([
    ["three capitals that are no currency", "VIP 100.00 bonus"],
    ["an amount without its currency's cents", "USD 100 flat"],
    ["more decimals than the currency has", "USD 12.345"],
    ["a code inside a word", "XUSD 1.00"],
    ["digits that run on", "USD 1.005"],
    ["no amount at all", "sales in USD this month"],
  ])("leaves alone %s: %s", (_, text) => {
    expect(withPageMoney(text)).toBe(text);
  });

  test("a refund's reversal as the engine writes it reads without a currency code", () => {
    const source: SourceEntry = {
      id: "com_1",
      programId: "prg_1",
      partnerId: "ptn_1",
      enrollmentId: "enr_1",
      kind: "commission",
      amountMinor: 4_900n,
      status: "paid",
      payoutId: "pay_1",
      holdUntil: null,
      conversionId: "cnv_1",
      sourceEntryId: null,
      planVersionId: null,
      ruleId: null,
      occurredAt: new Date("2026-03-01T00:00:00Z"),
      countedSales: 1,
      countedRevenueMinor: 49_000n,
    };
    const entry = reverseForRefund(
      source,
      // A sale in another currency than the program's: its step names the sale's own money.
      { amountMinor: 49_000n, currency: "EUR", refunds: [{ id: "cnv_refund", amountMinor: 49_000n }] },
      "cnv_refund",
      new Date("2026-03-02T00:00:00Z"),
      "USD",
    )!;
    const summary = (entry.explanation as { summary: string }).summary;
    expect(readableNote(summary)).toBe(
      `Refund after payout: ${formatMoney(-4_900, "USD")} clawed back from the next payout`,
    );
    const steps = (entry.explanation as { steps: string[] }).steps;
    expect(steps[0]).toBe("refunded EUR 490.00 of a EUR 490.00 sale (EUR 0.00 before this refund)");
    expect(readableNote(steps[0]!)).toBe(
      `Refunded ${formatMoney(49_000, "EUR")} of a ${formatMoney(49_000, "EUR")} sale (${formatMoney(0, "EUR")} before this refund)`,
    );
    for (const step of steps) expect(readableNote(step)).not.toMatch(/(USD|EUR) \d/);
  });

  test("the audit log shows a stored note's amounts the same way, inside a snapshot too", () => {
    const snapshot = { explanation: { summary: "manual adjustment USD 25.00: goodwill", steps: ["by ana@team.test"] } };
    expect(auditValueText(snapshot.explanation)).toBe(
      `{ "summary": "manual adjustment ${formatMoney(2_500, "USD")}: goodwill", "steps": [ "by ana@team.test" ] }`,
    );
    expect(auditValueText("manual adjustment -EUR 3.50: typo")).toBe(
      `manual adjustment ${formatMoney(-350, "EUR")}: typo`,
    );
  });
});
