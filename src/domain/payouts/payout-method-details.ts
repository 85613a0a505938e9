import type { PayoutMethodKind } from "../../db/schema/index.js";
import { AppError, type FieldError } from "../../lib/errors.js";
import type { SetPayoutMethodInput } from "./payouts.schemas.js";

/** The decrypted details of a payout method: the input fields that apply to its kind, normalised. */
export type PayoutMethodDetails = Omit<SetPayoutMethodInput, "kind">;

type Field = keyof PayoutMethodDetails;

const BANK_FIELDS: Field[] = [
  "holderName",
  "iban",
  "bic",
  "accountNumber",
  "routingNumber",
  "sortCode",
  "accountType",
  "bankName",
  "country",
  "currency",
];
const ALLOWED: Record<PayoutMethodKind, Field[]> = {
  paypal: ["email"],
  wise: ["email", "receiverType", ...BANK_FIELDS],
  bank: BANK_FIELDS,
  stripe_connect: ["accountId"],
};

/** ISO 13616: move the country and check digits to the end, letters to numbers, mod 97 must be 1. */
export function ibanValid(iban: string): boolean {
  if (!/^[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}$/.test(iban)) return false;
  const rearranged = iban.slice(4) + iban.slice(0, 4);
  let remainder = 0;
  for (const ch of rearranged) {
    const value = ch >= "A" ? String(ch.charCodeAt(0) - 55) : ch;
    for (const digit of value) remainder = (remainder * 10 + Number(digit)) % 97;
  }
  return remainder === 1;
}

const compact = (value: string) => value.replace(/[\s-]+/g, "").toUpperCase();

/** Checks that a kind gets the fields it needs and no others, and normalises them (IBAN, BIC, sort code). */
export function normalizeMethod(input: SetPayoutMethodInput): { kind: PayoutMethodKind; details: PayoutMethodDetails } {
  const { kind, ...given } = input;
  const errors: FieldError[] = [];
  const allowed = ALLOWED[kind];
  for (const key of Object.keys(given) as Field[]) {
    if (given[key] !== undefined && !allowed.includes(key))
      errors.push({ field: `/${key}`, message: `is not used by ${kind} payout methods` });
  }
  const details: PayoutMethodDetails = {};
  for (const key of allowed) if (given[key] !== undefined) Object.assign(details, { [key]: given[key] });
  if (typeof details.email === "string") details.email = details.email.trim();
  if (details.iban !== undefined) {
    details.iban = compact(details.iban);
    if (!ibanValid(details.iban))
      errors.push({ field: "/iban", message: "is not a valid IBAN (country code, check digits, account)" });
  }
  if (details.bic !== undefined) details.bic = details.bic.toUpperCase();
  if (details.sortCode !== undefined) details.sortCode = details.sortCode.replace(/-/g, "");
  if (details.accountNumber !== undefined) details.accountNumber = details.accountNumber.replace(/[\s-]+/g, "");

  const required = (field: Field, why: string) => {
    if (details[field] === undefined) errors.push({ field: `/${field}`, message: `is required ${why}` });
  };
  if (kind === "paypal") required("email", "for PayPal");
  if (kind === "stripe_connect") required("accountId", "for Stripe Connect");
  if (kind === "bank" || kind === "wise") {
    required("holderName", `for ${kind === "bank" ? "bank transfers" : "Wise"}`);
    required("currency", "(the currency the account receives)");
    const hasAccount = details.iban !== undefined || details.accountNumber !== undefined;
    if (kind === "bank" && !hasAccount) errors.push({ field: "/iban", message: "give an IBAN or an account number" });
    if (
      kind === "bank" &&
      details.accountNumber !== undefined &&
      details.iban === undefined &&
      details.country === "US"
    )
      required("routingNumber", "for US accounts");
    if (kind === "wise") errors.push(...wiseProblems(details));
  }
  if (errors.length) {
    throw new AppError("validation", errors.map((e) => `${e.field} ${e.message}`).join("; "), { fields: errors });
  }
  return { kind, details };
}

/** Currencies Wise pays to an IBAN and nothing else (the euro area and Europe's other IBAN currencies). */
export const WISE_IBAN_CURRENCIES = ["EUR", "CHF", "SEK", "NOK", "DKK", "PLN", "CZK", "HUF", "RON", "BGN"] as const;

/**
 * Which bank details Wise needs to pay an account in `currency`: an IBAN (euro and other IBAN currencies), a
 * sort code and account number or an IBAN (GBP), an ACH routing number, account number and account type (USD),
 * else an IBAN or an account number with the bank's SWIFT/BIC. The web form asks for the same fields.
 */
export type WiseRoute = "iban" | "gbp" | "usd" | "swift";
export const wiseRoute = (currency: string | undefined): WiseRoute =>
  currency === "GBP"
    ? "gbp"
    : currency === "USD"
      ? "usd"
      : (WISE_IBAN_CURRENCIES as readonly string[]).includes(currency ?? "")
        ? "iban"
        : "swift";

/**
 * A Wise recipient is always a name and a currency, then either only an email (Wise emails the recipient for
 * the bank details; no bank field is given) or the bank details the currency's route needs.
 */
function wiseProblems(d: PayoutMethodDetails): FieldError[] {
  const bankGiven = [d.iban, d.accountNumber, d.sortCode, d.routingNumber, d.bic, d.accountType].some(
    (v) => v !== undefined,
  );
  if (!bankGiven) {
    return d.email === undefined
      ? [
          {
            field: "/email",
            message: "give the recipient's email (Wise asks them for their bank details), or the bank details",
          },
        ]
      : [];
  }
  const missing = (field: Field, why: string): FieldError[] =>
    d[field] === undefined ? [{ field: `/${field}`, message: `is required ${why}` }] : [];
  const currency = d.currency ?? "this currency";
  switch (wiseRoute(d.currency)) {
    case "iban":
      return missing("iban", `for ${currency} accounts (Wise pays them by IBAN)`);
    case "gbp":
      if (d.iban !== undefined) return [];
      return [
        ...missing("sortCode", "for GBP accounts (or give an IBAN)"),
        ...missing("accountNumber", "for GBP accounts (or give an IBAN)"),
      ];
    case "usd":
      return [
        ...missing("accountNumber", "for USD accounts"),
        ...missing("routingNumber", "for USD accounts (the 9-digit ACH routing number)"),
        ...missing("accountType", "for USD accounts (checking or savings)"),
      ];
    case "swift":
      if (d.iban !== undefined) return [];
      return [
        ...missing("accountNumber", `for ${currency} accounts (or give an IBAN)`),
        ...missing("bic", `for ${currency} accounts paid by account number (the bank's SWIFT/BIC)`),
      ];
  }
}

const last4 = (value: string) => value.slice(-4);

export function maskEmail(email: string): string {
  const at = email.lastIndexOf("@");
  if (at <= 0) return "***";
  return `${email[0]}***${email.slice(at)}`;
}

/** What the portal and the console show: enough to recognise the account, never enough to use it. */
export function maskMethod(kind: PayoutMethodKind, d: PayoutMethodDetails): string {
  if (kind === "paypal") return `PayPal ${maskEmail(d.email ?? "")}`;
  if (kind === "stripe_connect") return `Stripe acct_••••${last4(d.accountId ?? "")}`;
  const prefix = kind === "wise" ? "Wise" : "Bank";
  if (d.iban) return `${prefix} IBAN ${d.iban.slice(0, 2)}••••${last4(d.iban)}`;
  if (d.accountNumber) return `${prefix} account ••••${last4(d.accountNumber)}`;
  return `${prefix} ${maskEmail(d.email ?? "")}`;
}

const METHOD_NAMES: Record<PayoutMethodKind, string> = {
  paypal: "PayPal",
  wise: "Wise",
  bank: "bank transfer",
  stripe_connect: "Stripe Connect",
};

/** A method kind in words, for messages. */
export const payoutMethodName = (kind: PayoutMethodKind) => METHOD_NAMES[kind];
