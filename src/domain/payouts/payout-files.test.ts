import { parse } from "csv-parse/sync";
import { describe, expect, test } from "vitest";
import { bankCsv, bankReference, type PayoutFileRow, paypalPayoutsCsv, wiseBatchCsv } from "./payout-files.js";

const row = (overrides: Partial<PayoutFileRow>): PayoutFileRow => ({
  payoutId: "pay_01jabcdefghjkmnpqrstvwxyz0",
  partnerId: "ptn_1",
  partnerName: 'Pat, "Partner" Media',
  amountMinor: 123_456n,
  currency: "USD",
  details: {},
  ...overrides,
});

describe("payout files", () => {
  test("PayPal Payouts: no header, recipient, amount in major units, currency, payout id, note, wallet", () => {
    const csv = paypalPayoutsCsv(
      [
        row({ details: { email: "jo@example.com" } }),
        row({ amountMinor: 5n, currency: "JPY", details: { email: "x@y.jp" } }),
      ],
      "Acme partner payout",
    );
    expect(parse(csv)).toEqual([
      ["jo@example.com", "1234.56", "USD", "pay_01jabcdefghjkmnpqrstvwxyz0", "Acme partner payout", "PAYPAL"],
      ["x@y.jp", "5", "JPY", "pay_01jabcdefghjkmnpqrstvwxyz0", "Acme partner payout", "PAYPAL"],
    ]);
  });

  test("Wise batch: header, fixed source amount, IBAN or email transfers, quoting", () => {
    const csv = wiseBatchCsv([
      row({ details: { holderName: "Jo Doe", iban: "DE89370400440532013000", bic: "COBADEFFXXX", currency: "EUR" } }),
      row({
        details: { email: "jo@example.com", holderName: "=HYPERLINK(1)", currency: "GBP", receiverType: "business" },
      }),
    ]);
    const [a, b] = parse(csv, { columns: true }) as Record<string, string>[];
    expect(a).toMatchObject({
      name: "Jo Doe",
      paymentReference: "TRBJKMNPQRSTVWXYZ0",
      receiverType: "PRIVATE",
      amountCurrency: "source",
      amount: "1234.56",
      sourceCurrency: "USD",
      targetCurrency: "EUR",
      type: "",
      IBAN: "DE89370400440532013000",
    });
    expect(b).toMatchObject({
      type: "EMAIL",
      recipientEmail: "jo@example.com",
      name: "'=HYPERLINK(1)",
      receiverType: "BUSINESS",
    });
  });

  test("the bank reference fits every scheme (≤ 18 letters and digits), is the payout id's end, and differs per payout", () => {
    const ids = ["pay_01jabcdefghjkmnpqrstvwxyz0", "pay_01jabcdefghjkmnpqrstvwxyz1"];
    const refs = ids.map(bankReference);
    for (const [i, ref] of refs.entries()) {
      expect(ref).toMatch(/^[A-Z0-9]{1,18}$/);
      expect(ids[i]!.toUpperCase().endsWith(ref.slice(3))).toBe(true);
    }
    expect(new Set(refs).size).toBe(2);
  });

  test("bank CSV: one row per payout with every bank field", () => {
    const csv = bankCsv([
      row({
        details: {
          holderName: "Jo",
          accountNumber: "12345678",
          routingNumber: "026009593",
          accountType: "checking",
          country: "US",
          currency: "USD",
        },
      }),
    ]);
    const [r] = parse(csv, { columns: true }) as Record<string, string>[];
    expect(r).toMatchObject({
      partner_name: 'Pat, "Partner" Media',
      account_number: "12345678",
      routing_number: "026009593",
      amount: "1234.56",
      currency: "USD",
      reference: "TRBJKMNPQRSTVWXYZ0",
      payout_id: "pay_01jabcdefghjkmnpqrstvwxyz0",
    });
  });
});
