/**
 * What a Wise recipient needs, by the currency it receives: the portal's form asks for exactly these fields and
 * the server (`src/domain/payouts/payout-method-details.ts`) checks the same rules; a test holds them together.
 */
export type WiseRoute = "iban" | "gbp" | "usd" | "swift";
export type WiseVia = "bank" | "email";
export type WiseField = "email" | "iban" | "bic" | "accountNumber" | "routingNumber" | "sortCode" | "accountType";

const IBAN_CURRENCIES = ["EUR", "CHF", "SEK", "NOK", "DKK", "PLN", "CZK", "HUF", "RON", "BGN"];

export const wiseRoute = (currency: string): WiseRoute => {
  const code = currency.trim().toUpperCase();
  if (code === "GBP") return "gbp";
  if (code === "USD") return "usd";
  return IBAN_CURRENCIES.includes(code) ? "iban" : "swift";
};

/**
 * The fields to ask for. `required` must all be given; `either` lists alternatives, one of which must be
 * complete (GBP: sort code and account number, or an IBAN).
 */
export function wiseFields(
  route: WiseRoute,
  via: WiseVia,
): { required: WiseField[]; optional: WiseField[]; either?: WiseField[][] } {
  if (via === "email") return { required: ["email"], optional: [] };
  if (route === "iban") return { required: ["iban"], optional: ["bic"] };
  if (route === "usd") return { required: ["routingNumber", "accountNumber", "accountType"], optional: [] };
  if (route === "gbp") return { required: [], optional: [], either: [["sortCode", "accountNumber"], ["iban"]] };
  return { required: [], optional: [], either: [["accountNumber", "bic"], ["iban"]] };
}

/** The sentence under the bank fields: what Wise needs for this currency. */
export const wiseRouteHint: Record<WiseRoute, string> = {
  iban: "Wise pays accounts in this currency by IBAN.",
  gbp: "A UK sort code and account number, or an IBAN.",
  usd: "A US account: the 9-digit ACH routing number, the account number and its type.",
  swift: "An account number with your bank's SWIFT/BIC code, or an IBAN where your bank has one.",
};
