import { fieldError } from "../../lib/errors.js";

/** How far ahead of the server's clock an event's time may be: clocks drift, but not by days. */
export const FUTURE_TOLERANCE_MS = 24 * 60 * 60 * 1000;

/**
 * When a lead, sale or refund happened: the time the caller gave, or now. A time more than a day ahead of the
 * server's clock is a mistake (a wrong time zone, milliseconds sent as seconds) that would skew the attribution
 * window and hold commissions until then, so it is a 422 naming `/occurredAt`.
 */
export function eventTime(given: string | undefined, now: Date): Date {
  if (given === undefined) return now;
  const at = new Date(given);
  if (at.getTime() > now.getTime() + FUTURE_TOLERANCE_MS)
    throw fieldError("/occurredAt", `is in the future (the server's clock says ${now.toISOString()})`);
  return at;
}
