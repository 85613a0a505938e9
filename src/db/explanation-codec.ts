import { decodeRecipe, renderRecipe } from "./explanation-recipe.js";
import type { CommissionExplanation } from "./schema/commissions.js";

/**
 * The ledger stores each entry's explanation in a compact, lossless form: one-letter keys and skipped rules as
 * tuples (the engine's usual explanation in jsonb: 327 → 261 bytes). The explanation was over half of a ledger row, and the
 * engine's insert and the payout run's claim write every ledger page: a narrower row is fewer pages to write. Reading expands it back to exactly the object that was stored, with
 * its keys in the order a jsonb column returns them, so every response that shows an explanation is unchanged.
 * Rows written before (with a `summary` key) are returned as they are.
 */

const INPUT_KEYS = new Map([
  ["event", "e"],
  ["saleAmount", "a"],
  ["creditedAmount", "c"],
  ["creditShare", "r"],
  ["plan", "p"],
  ["products", "d"],
  ["country", "o"],
  ["partnerTier", "t"],
  ["level", "l"],
  ["recruitedPartnerId", "q"],
]);
const INPUT_NAMES = new Map([...INPUT_KEYS].map(([name, key]) => [key, name]));

interface Compact {
  s: string;
  t: string[];
  i?: Record<string, unknown>;
  k?: [string, string, string][];
}

const isSkipped = (s: unknown): s is { ruleId: string; ruleName: string; reason: string } =>
  !!s &&
  typeof s === "object" &&
  Object.keys(s).length === 3 &&
  typeof (s as Record<string, unknown>).ruleId === "string" &&
  typeof (s as Record<string, unknown>).ruleName === "string" &&
  typeof (s as Record<string, unknown>).reason === "string";

/** The stored form; an explanation of another shape is stored as it is. Runs once per ledger row: plain loops. */
export function compactExplanation(e: CommissionExplanation): unknown {
  for (const k in e) if (k !== "summary" && k !== "steps" && k !== "inputs" && k !== "skipped") return e;
  if (typeof e.summary !== "string" || !Array.isArray(e.steps)) return e;
  const out: Compact = { s: e.summary, t: e.steps };
  const inputs = e.inputs as Record<string, unknown> | undefined;
  if (inputs !== undefined) {
    if (typeof inputs !== "object" || inputs === null || Array.isArray(inputs)) return e;
    const i: Record<string, unknown> = {};
    for (const k in inputs) {
      // A key spelled like a short key would read back renamed: keep such an explanation as it is.
      if (INPUT_NAMES.has(k)) return e;
      i[INPUT_KEYS.get(k) ?? k] = inputs[k];
    }
    out.i = i;
  }
  if (e.skipped !== undefined) {
    if (!Array.isArray(e.skipped) || !e.skipped.every(isSkipped)) return e;
    out.k = e.skipped.map((s) => [s.ruleId, s.ruleName, s.reason]);
  }
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
  let value = typeof stored === "string" ? JSON.parse(stored) : stored;
  // A recipe is a jsonb string holding a JSON array (a driver returning jsonb unparsed adds one level of quoting).
  if (typeof value === "string") value = JSON.parse(value);
  const recipe = decodeRecipe(value);
  if (recipe) {
    const e = renderRecipe(recipe);
    return jsonbOrder({
      ...e,
      inputs: jsonbOrder(e.inputs),
      skipped: e.skipped.map((s) => jsonbOrder({ ...s })),
    }) as unknown as CommissionExplanation;
  }
  if (!value || typeof value !== "object" || "summary" in value || !("s" in value)) return value;
  const c = value as Compact;
  const out: Record<string, unknown> = { summary: c.s, steps: c.t };
  if (c.i) {
    out.inputs = jsonbOrder(Object.fromEntries(Object.entries(c.i).map(([k, v]) => [INPUT_NAMES.get(k) ?? k, v])));
  }
  if (c.k) out.skipped = c.k.map(([ruleId, ruleName, reason]) => jsonbOrder({ ruleId, ruleName, reason }));
  return jsonbOrder(out) as unknown as CommissionExplanation;
}
