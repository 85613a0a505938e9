import { fullFormats } from "ajv-formats/dist/formats.js";

const rfc3339 = fullFormats["date-time"] as { validate: (text: string) => boolean };
const EARLIEST = Date.parse("1900-01-01T00:00:00Z");
const LATEST = Date.parse("9999-12-31T23:59:59.999Z");

/**
 * RFC 3339 date-times that are also instants the server can work with: JavaScript must parse it (a leap second,
 * 23:59:60, is valid RFC 3339 and an Invalid Date) and PostgreSQL must store it and give it back as it was: years
 * 1900 to 9999 in UTC. Year 0 does not exist in PostgreSQL, 9999-12-31T23:59:59-14:00 is in year 10000, and a
 * timestamp of years 1–99 read back from the database parses in JavaScript as 1950–2049 (a typo like 0026 would be
 * stored as year 26 and read as 2026). Nothing this API dates happened before 1900.
 */
export function isUsableDateTime(text: string): boolean {
  if (!rfc3339.validate(text)) return false;
  const at = Date.parse(text);
  return at >= EARLIEST && at <= LATEST;
}
