import type { CommissionExplanation } from "./schema/commissions.js";

/**
 * The ledger stores each entry's explanation in a compact, lossless form: one-letter keys, skipped rules as
 * tuples, and the phrases the engine writes in every explanation replaced by one control character each. An
 * explanation is about half of a ledger row; the engine's insert and the payout run's claim write every ledger
 * page, so a narrower row is less to write. Reading expands it back to exactly the object that was stored, with
 * its keys in the order a jsonb column returns them, so every response that shows an explanation is unchanged.
 * Rows written before (with a `summary` key) are returned as they are.
 */

// At most 31 phrases (U+0001–U+001F); a phrase's index + 1 is its character. Append only: stored rows refer to them.
const PHRASES = [
  " this month → tier level ",
  " this 30 days → tier level ",
  " credited revenue earlier this ",
  " × credit share ",
  "recurring sale",
  "first sale",
  " (sales ",
  "sale #",
  "USD ",
  "EUR ",
  "GBP ",
  " of ",
  " = ",
  "flat ",
  "total ",
  "100.00%",
  "reversal of ",
  "clawback of ",
  " refunded",
  "override",
];
// Built from a string: the characters are the point here (a literal would trip the control-character lint).
const TOKEN_CLASS = "[\\u0001-\\u001f]";
const TOKEN = new RegExp(TOKEN_CLASS);
const TOKENS = new RegExp(TOKEN_CLASS, "g");

const INPUT_KEYS: Record<string, string> = {
  event: "e",
  saleAmount: "a",
  creditedAmount: "c",
  creditShare: "r",
  plan: "p",
  products: "d",
  country: "o",
  partnerTier: "t",
  level: "l",
  recruitedPartnerId: "q",
};
const INPUT_NAMES = Object.fromEntries(Object.entries(INPUT_KEYS).map(([name, key]) => [key, name]));

interface Compact {
  s: string;
  t: string[];
  i?: Record<string, unknown>;
  k?: [string, string, string][];
}

const shrink = (text: string) =>
  PHRASES.reduce((s, phrase, i) => s.replaceAll(phrase, String.fromCharCode(i + 1)), text);
const grow = (text: string) => text.replace(TOKENS, (c) => PHRASES[c.charCodeAt(0) - 1] ?? c);

/** Whether every string of the explanation can be shrunk reversibly (none holds a control character). */
function plain(value: unknown): boolean {
  if (typeof value === "string") return !TOKEN.test(value);
  if (Array.isArray(value)) return value.every(plain);
  if (value && typeof value === "object") return Object.entries(value).every(([k, v]) => plain(k) && plain(v));
  return true;
}

const isSkipped = (s: unknown): s is { ruleId: string; ruleName: string; reason: string } =>
  !!s &&
  typeof s === "object" &&
  Object.keys(s).length === 3 &&
  typeof (s as Record<string, unknown>).ruleId === "string" &&
  typeof (s as Record<string, unknown>).ruleName === "string" &&
  typeof (s as Record<string, unknown>).reason === "string";

/** The stored form; an explanation of another shape is stored as it is. */
export function compactExplanation(e: CommissionExplanation): unknown {
  const keys = Object.keys(e);
  const known = keys.every((k) => k === "summary" || k === "steps" || k === "inputs" || k === "skipped");
  if (!known || typeof e.summary !== "string" || !Array.isArray(e.steps) || !plain(e)) return e;
  if (e.skipped !== undefined && !(Array.isArray(e.skipped) && e.skipped.every(isSkipped))) return e;
  if (e.inputs !== undefined && (typeof e.inputs !== "object" || e.inputs === null || Array.isArray(e.inputs)))
    return e;
  const inputKeys = Object.keys(e.inputs ?? {});
  // A key spelled like a short key would read back renamed: keep such an explanation as it is.
  if (inputKeys.some((k) => k in INPUT_NAMES)) return e;
  const out: Compact = { s: shrink(e.summary), t: e.steps.map(shrink) };
  if (e.inputs) {
    out.i = Object.fromEntries(
      Object.entries(e.inputs).map(([k, v]) => [INPUT_KEYS[k] ?? k, typeof v === "string" ? shrink(v) : v]),
    );
  }
  if (e.skipped) out.k = e.skipped.map((s) => [shrink(s.ruleId), shrink(s.ruleName), shrink(s.reason)]);
  return out;
}

/** jsonb's key order: shorter keys first, then by their bytes. */
function jsonbOrder<T extends Record<string, unknown>>(object: T): T {
  const keys = Object.keys(object).sort((a, b) => {
    const la = Buffer.byteLength(a);
    const lb = Buffer.byteLength(b);
    return la !== lb ? la - lb : Buffer.compare(Buffer.from(a), Buffer.from(b));
  });
  return Object.fromEntries(keys.map((k) => [k, object[k]])) as T;
}

/** The explanation as it was written, from its stored form (either form). */
export function expandExplanation(stored: unknown): CommissionExplanation {
  const value = typeof stored === "string" ? JSON.parse(stored) : stored;
  if (!value || typeof value !== "object" || "summary" in value || !("s" in value)) return value;
  const c = value as Compact;
  const out: Record<string, unknown> = { summary: grow(c.s), steps: c.t.map(grow) };
  if (c.i) {
    out.inputs = jsonbOrder(
      Object.fromEntries(
        Object.entries(c.i).map(([k, v]) => [INPUT_NAMES[k] ?? k, typeof v === "string" ? grow(v) : v]),
      ),
    );
  }
  if (c.k)
    out.skipped = c.k.map(([ruleId, ruleName, reason]) =>
      jsonbOrder({ ruleId: grow(ruleId), ruleName: grow(ruleName), reason: grow(reason) }),
    );
  return jsonbOrder(out) as unknown as CommissionExplanation;
}
