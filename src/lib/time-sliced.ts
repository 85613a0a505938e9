import { setImmediate as nextTurn } from "node:timers/promises";

/** How long a pass runs before it lets the event loop answer what is waiting. */
export const SLICE_MS = 8;

/**
 * Calls `each` on every item in order, yielding to the event loop whenever it has run for `sliceMs` since it last
 * did. A long in-memory pass in the server's process (a commission batch of 10,000 credits takes a few hundred
 * milliseconds) would otherwise hold every request — redirects among them — for all that time; sliced, a request
 * waits at most a slice. Slices are measured in time, not items, so they stay short on a slow machine too.
 */
export async function forEachTimeSliced<T>(
  items: Iterable<T>,
  each: (item: T) => void,
  sliceMs: number = SLICE_MS,
): Promise<void> {
  let sliceStarted = performance.now();
  for (const item of items) {
    each(item);
    if (performance.now() - sliceStarted >= sliceMs) {
      await nextTurn();
      sliceStarted = performance.now();
    }
  }
}
