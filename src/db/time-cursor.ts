import { type AnyColumn, lt, lte, or, type SQL } from "drizzle-orm";
import { fieldError } from "../lib/errors.js";

/**
 * A page's end in a list ordered newest first by time, then id (ids break ties within a millisecond): opaque to
 * clients, so a list can be read from whichever (…, time) index its filter has.
 */
export const encodeTimeCursor = (at: Date, id: string) =>
  Buffer.from(`${at.toISOString()}|${id}`).toString("base64url");

/** What encodeTimeCursor writes: toISOString's form of a year 1900–9999 instant, and an id of our alphabet. */
const CURSOR = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)\|([a-z]+_[0-9a-z]+)$/;

/** The time and id a cursor holds; a string no list returned (or an id of another kind) is a 422 on `cursor`. */
export function decodeTimeCursor(cursor: string, idPrefix: string): { at: Date; id: string } {
  const [, at, id] = CURSOR.exec(Buffer.from(cursor, "base64url").toString()) ?? [];
  const time = at ? new Date(at) : undefined;
  if (!time || Number.isNaN(time.getTime()) || time.getUTCFullYear() < 1900 || !id?.startsWith(idPrefix))
    throw fieldError("querystring:/cursor", "is not a cursor this list returned");
  return { at: time, id };
}

/** Rows after a cursor's position, newest first: (time, id) < (at, id), with the time bound an index condition. */
export const olderThan = (time: AnyColumn, id: AnyColumn, after: { at: Date; id: string }): SQL[] => [
  lte(time, after.at),
  or(lt(time, after.at), lt(id, after.id))!,
];
