import { forEachTimeSliced } from "../lib/time-sliced.js";

const NEEDS_ESCAPE = /["\\]/g;

/** What an array literal holds: text, numbers and booleans as PostgreSQL reads them, times as ISO 8601. */
export type ArrayElement = string | number | bigint | boolean | Date | null | undefined;

/** One element as the literal spells it, or undefined for what no literal element is (an object, a nested array). */
const element = (v: unknown): string | undefined => {
  if (v === null || v === undefined) return "NULL";
  switch (typeof v) {
    case "string":
      return `"${v.includes('"') || v.includes("\\") ? v.replace(NEEDS_ESCAPE, "\\$&") : v}"`;
    case "number":
    case "bigint":
    case "boolean":
      return String(v);
    default:
      return v instanceof Date ? `"${v.toISOString()}"` : undefined;
  }
};

/**
 * A PostgreSQL array literal (`{"a","b",NULL}`) for a column of values sent as one text parameter and cast in
 * SQL (`$1::text[]`). The drivers' own array encoding costs about 1.5 µs per element in Node, which for a
 * ledger batch of thousands of rows × a dozen columns cost more than the database's work of inserting them.
 */
export function arrayLiteral(values: readonly ArrayElement[]): string {
  const parts = new Array<string>(values.length);
  for (let i = 0; i < values.length; i++) parts[i] = element(values[i])!;
  return `{${parts.join(",")}}`;
}

/**
 * One array literal per column of `rows` (as `arrayLiteral` would make each), built row by row in time slices
 * (forEachTimeSliced): a ledger batch's thousands of rows × twenty columns, explanations included, took a
 * hundred milliseconds or more in one go, which every request of the process would have waited through.
 */
export async function arrayLiteralsTimeSliced<T>(
  rows: readonly T[],
  columns: readonly ((row: T) => ArrayElement)[],
): Promise<string[]> {
  const parts = columns.map(() => new Array<string>(rows.length));
  let i = 0;
  await forEachTimeSliced(rows, (row) => {
    for (let c = 0; c < columns.length; c++) parts[c]![i] = element(columns[c]!(row))!;
    i += 1;
  });
  return parts.map((column) => `{${column.join(",")}}`);
}

/**
 * A statement's parameter as the driver should get it: an array of plain values as its literal (the same text the
 * drivers would send, made for about half their CPU: node-postgres checks each element for buffers, dates and
 * objects and escapes it with two regular expressions), anything else as it is — including an array holding an
 * object or another array, which the driver encodes its own way.
 */
export function parameter(value: unknown): unknown {
  if (!Array.isArray(value)) return value;
  const parts = new Array<string>(value.length);
  for (let i = 0; i < value.length; i++) {
    const part = element(value[i]);
    if (part === undefined) return value;
    parts[i] = part;
  }
  return `{${parts.join(",")}}`;
}
