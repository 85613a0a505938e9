import { describe, expect, test } from "vitest";
import { normalizeMethod } from "../../src/domain/payouts/payout-method-details.js";
import type { AppError } from "../../src/lib/errors.js";
import { type WiseField, wiseFields, wiseRoute } from "../../web/src/shared/wise-fields.js";

/** Values the form would send for each field. */
const SAMPLE: Record<WiseField, string> = {
  email: "jo@example.com",
  iban: "DE89370400440532013000",
  bic: "COBADEFFXXX",
  accountNumber: "12345678",
  routingNumber: "026009593",
  sortCode: "404784",
  accountType: "checking",
};

const check = (currency: string, fields: WiseField[]) => {
  try {
    normalizeMethod({
      kind: "wise",
      holderName: "Jo Doe",
      currency,
      ...Object.fromEntries(
        fields.map((f) => [f, f === "iban" && currency === "GBP" ? "GB82WEST12345698765432" : SAMPLE[f]]),
      ),
    } as Parameters<typeof normalizeMethod>[0]);
    return [];
  } catch (error) {
    return ((error as AppError).fields ?? []).map((f) => f.field);
  }
};

// The portal's Wise form and the server's validation must agree: what the form asks for is accepted, and
// leaving out any field the form marks as needed is refused with that field named.
describe("the Wise form asks for what the server requires", () => {
  test.each(["EUR", "CHF", "GBP", "USD", "SGD", "AUD"])("%s", (currency) => {
    const route = wiseRoute(currency);
    for (const via of ["bank", "email"] as const) {
      const { required, either } = wiseFields(route, via);
      const alternatives = either ?? [[]];
      for (const alternative of alternatives) {
        const complete = [...required, ...alternative];
        expect({ currency, via, complete, problems: check(currency, complete) }).toMatchObject({ problems: [] });
        for (const left of complete) {
          const without = complete.filter((f) => f !== left);
          // Another alternative may still be complete without it (GBP: an IBAN instead of the sort code).
          if (without.length === 0 && via === "bank") continue;
          const problems = check(currency, without);
          expect({ currency, via, left, problems }).toMatchObject({ problems: expect.arrayContaining([`/${left}`]) });
        }
      }
    }
  });
});
