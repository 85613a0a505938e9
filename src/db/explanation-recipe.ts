import { currencyDigits } from "../lib/currency-digits.js";
import { formatBps, formatMinor } from "../lib/money.js";

/**
 * The engine's explanation of a commission as the numbers it was written from. The engine renders its text from
 * a recipe (so the text is the recipe's by construction) and the ledger stores the recipe, about 100 bytes as a
 * jsonb string, instead of the text (about 250 bytes of jsonb even with short keys): the explanation was half a
 * ledger row, and the engine's insert and the payout run's claim write every row. Reading renders the same text.
 * The wording lives here, next to its stored form, because both writing and reading need it.
 */

/** 0: a calendar month, 1: rolling 30 days. */
export type PeriodCode = 0 | 1;

/** One step of the arithmetic; a plain string is a step stored as its text (e.g. a currency conversion). */
export type StepToken =
  /** Tier by count: sale number, period, level index, first and last sale of the level (-1: no range; null: open). */
  | ["c", number, PeriodCode, number, number, number | null]
  /** Tier by revenue: credited revenue before, period, level index. */
  | ["r", Amount, PeriodCode, number]
  | ["n"]
  /** Flat amount in full. */
  | ["f", Amount]
  /** Flat amount split by the credit share: flat, share bps, split. */
  | ["s", Amount, number, Amount]
  /** Percentage: bps, base, value. */
  | ["p", number, Amount, Amount]
  /** Hybrid total. */
  | ["t", Amount]
  /** Cap: cap, period, earned before, amount, capped amount. */
  | ["k", Amount, PeriodCode, Amount, Amount, Amount]
  | string;

/** Minor units: a number when exact in a double, else its decimal string. */
export type Amount = number | string;

export const amount = (value: bigint): Amount => {
  const n = Number(value);
  return Number.isSafeInteger(n) ? n : value.toString();
};
const big = (value: Amount): bigint => BigInt(value);

export interface ExplanationRecipe {
  currency: string;
  ruleName: string;
  amount: Amount;
  steps: StepToken[];
  /** "lead", "recurring sale" or "first sale". */
  event: string;
  saleAmount: Amount | null;
  creditedAmount: Amount | null;
  shareBps: number;
  products: string[] | null;
  country: string | null;
  partnerTier: string | null;
  /** `${plan name} v${version}`, added by the engine. */
  plan: string | null;
  skipped: { ruleId: string; ruleName: string; reason: string }[];
}

const periodName = (period: PeriodCode) => (period === 0 ? "month" : "30 days");

export function moneyIn(currency: string): (value: Amount | bigint) => string {
  const digits = currencyDigits(currency);
  return (value) => formatMinor(typeof value === "bigint" ? value : big(value), currency, digits);
}

function renderStep(step: StepToken, money: (value: Amount) => string): string {
  if (typeof step === "string") return step;
  switch (step[0]) {
    case "c": {
      const [, position, period, index, from, to] = step;
      const range = from < 0 ? "" : to === null ? ` (sales ${from}+)` : ` (sales ${from}–${to})`;
      return `sale #${position} this ${periodName(period)} → tier level ${index + 1}${range}`;
    }
    case "r":
      return `${money(step[1])} credited revenue earlier this ${periodName(step[2])} → tier level ${step[3] + 1}`;
    case "n":
      return "rule has no reward";
    case "f":
      return `flat ${money(step[1])}`;
    case "s":
      return `flat ${money(step[1])} × credit share ${formatBps(step[2])} = ${money(step[3])}`;
    case "p":
      return `${formatBps(step[1])} of ${money(step[2])} = ${money(step[3])}`;
    case "t":
      return `total ${money(step[1])}`;
    case "k": {
      const [, cap, period, earned, before, capped] = step;
      return `cap ${money(cap)} per ${periodName(period)}, ${money(earned)} already earned: ${money(before)} → ${money(capped)}`;
    }
  }
}

/** The inputs object, keys in the order the engine has always written them. */
export function renderInputs(
  r: Pick<
    ExplanationRecipe,
    "event" | "saleAmount" | "creditedAmount" | "shareBps" | "products" | "country" | "partnerTier" | "plan"
  >,
  money: (value: Amount) => string,
): Record<string, unknown> {
  return {
    event: r.event,
    ...(r.saleAmount !== null ? { saleAmount: money(r.saleAmount) } : {}),
    ...(r.creditedAmount !== null ? { creditedAmount: money(r.creditedAmount) } : {}),
    creditShare: formatBps(r.shareBps),
    ...(r.products ? { products: r.products } : {}),
    ...(r.country ? { country: r.country } : {}),
    ...(r.partnerTier ? { partnerTier: r.partnerTier } : {}),
    ...(r.plan !== null ? { plan: r.plan } : {}),
  };
}

export function renderRecipe(r: ExplanationRecipe) {
  const money = moneyIn(r.currency);
  return {
    summary: `${r.ruleName}: ${money(r.amount)}`,
    steps: r.steps.map((s) => renderStep(s, money)),
    inputs: renderInputs(r, money),
    skipped: r.skipped,
  };
}

const EVENT_CODES = new Map([
  ["lead", "l"],
  ["first sale", "f"],
  ["recurring sale", "r"],
]);
const EVENT_NAMES = new Map([...EVENT_CODES].map(([name, code]) => [code, name]));

/** Marks the stored form: the first element of the stored array. */
const RECIPE_V1 = 1;

/** The stored text: a JSON array, kept in the column as a jsonb string. */
export function encodeRecipe(r: ExplanationRecipe): string {
  return JSON.stringify([
    RECIPE_V1,
    r.currency,
    r.ruleName,
    r.amount,
    r.steps,
    EVENT_CODES.get(r.event) ?? r.event,
    r.saleAmount,
    r.creditedAmount,
    r.shareBps,
    r.products,
    r.country,
    r.partnerTier,
    r.plan,
    r.skipped.map((s) => [s.ruleId, s.ruleName, s.reason]),
  ]);
}

/** The recipe from its stored array, or undefined when the value is not one. */
export function decodeRecipe(value: unknown): ExplanationRecipe | undefined {
  if (!Array.isArray(value) || value[0] !== RECIPE_V1 || value.length !== 14) return undefined;
  const [, currency, ruleName, total, steps, event, sale, credited, shareBps, products, country, tier, plan, skipped] =
    value;
  return {
    currency,
    ruleName,
    amount: total,
    steps,
    event: EVENT_NAMES.get(event) ?? event,
    saleAmount: sale,
    creditedAmount: credited,
    shareBps,
    products,
    country,
    partnerTier: tier,
    plan,
    skipped: (skipped as [string, string, string][]).map(([ruleId, ruleName, reason]) => ({
      ruleId,
      ruleName,
      reason,
    })),
  };
}
