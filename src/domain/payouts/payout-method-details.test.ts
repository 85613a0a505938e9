import { describe, expect, test } from "vitest";
import type { AppError } from "../../lib/errors.js";
import { ibanValid, maskMethod, normalizeMethod } from "./payout-method-details.js";

const fieldsOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return (error as AppError).fields?.map((f) => f.field);
  }
  throw new Error("expected a validation error");
};

describe("payout method details", () => {
  test.each([
    ["DE89370400440532013000", true],
    ["GB82WEST12345698765432", true],
    ["DE89370400440532013001", false],
    ["XX00", false],
  ])("IBAN %s valid: %s", (iban, valid) => expect(ibanValid(iban)).toBe(valid));

  test("normalises and masks each kind", () => {
    const paypal = normalizeMethod({ kind: "paypal", email: " jo.doe@example.com " });
    expect(maskMethod(paypal.kind, paypal.details)).toBe("PayPal j***@example.com");
    const bank = normalizeMethod({
      kind: "bank",
      holderName: "Jo Doe",
      iban: "de89 3704 0044 0532 0130 00",
      bic: "cobadeffxxx",
      currency: "EUR",
    });
    expect(bank.details).toMatchObject({ iban: "DE89370400440532013000", bic: "COBADEFFXXX" });
    expect(maskMethod(bank.kind, bank.details)).toBe("Bank IBAN DE••••3000");
    const wise = normalizeMethod({
      kind: "wise",
      holderName: "Jo",
      accountNumber: "1234-5678",
      routingNumber: "026009593",
      accountType: "checking",
      country: "US",
      currency: "USD",
    });
    expect(maskMethod(wise.kind, wise.details)).toBe("Wise account ••••5678");
    const stripe = normalizeMethod({ kind: "stripe_connect", accountId: "acct_1Nv0FGQ9RKHgCVdK" });
    expect(maskMethod(stripe.kind, stripe.details)).toBe("Stripe acct_••••CVdK");
  });

  test("each problem names its field", () => {
    expect(fieldsOf(() => normalizeMethod({ kind: "paypal" }))).toEqual(["/email"]);
    expect(
      fieldsOf(() => normalizeMethod({ kind: "paypal", email: "a@b.co", iban: "DE89370400440532013000" })),
    ).toEqual(["/iban"]);
    expect(
      fieldsOf(() => normalizeMethod({ kind: "bank", holderName: "X", currency: "EUR", iban: "DE00123" })),
    ).toEqual(["/iban"]);
    expect(fieldsOf(() => normalizeMethod({ kind: "bank", currency: "EUR" }))?.sort()).toEqual([
      "/holderName",
      "/iban",
    ]);
    expect(
      fieldsOf(() =>
        normalizeMethod({ kind: "wise", holderName: "X", currency: "USD", accountNumber: "123456", country: "US" }),
      ),
    ).toEqual(["/routingNumber", "/accountType"]);
    expect(fieldsOf(() => normalizeMethod({ kind: "stripe_connect" }))).toEqual(["/accountId"]);
  });

  const wise = (fields: Record<string, string>) => () =>
    normalizeMethod({ kind: "wise", holderName: "Jo Doe", ...fields } as Parameters<typeof normalizeMethod>[0]);
  test.each([
    ["an email alone (Wise asks the recipient for the bank details)", { currency: "EUR", email: "jo@example.com" }],
    ["EUR: an IBAN", { currency: "EUR", iban: "DE89370400440532013000" }],
    ["GBP: sort code and account number", { currency: "GBP", sortCode: "40-47-84", accountNumber: "70872490" }],
    ["GBP: an IBAN", { currency: "GBP", iban: "GB82WEST12345698765432" }],
    [
      "USD: account, routing number and type",
      { currency: "USD", accountNumber: "12345678", routingNumber: "026009593", accountType: "savings" },
    ],
    ["another currency: account number and SWIFT", { currency: "SGD", accountNumber: "1234567890", bic: "DBSSSGSG" }],
  ])("Wise accepts %s", (_name, fields) => {
    expect(wise(fields)().kind).toBe("wise");
  });
  test.each([
    ["no currency, no email nor bank details", {}, ["/currency", "/email"]],
    ["a name and currency only", { currency: "EUR" }, ["/email"]],
    ["EUR paid by account number", { currency: "EUR", accountNumber: "12345678" }, ["/iban"]],
    ["GBP account without a sort code", { currency: "GBP", accountNumber: "70872490" }, ["/sortCode"]],
    [
      "USD without routing number and type",
      { currency: "USD", accountNumber: "12345678" },
      ["/routingNumber", "/accountType"],
    ],
    ["another currency without SWIFT", { currency: "SGD", accountNumber: "1234567890" }, ["/bic"]],
  ])("Wise refuses %s, naming the fields", (_name, fields, expected) => {
    expect(fieldsOf(wise(fields))).toEqual(expected);
  });
});
