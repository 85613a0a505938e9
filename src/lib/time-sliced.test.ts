import { describe, expect, test } from "vitest";
import { forEachTimeSliced } from "./time-sliced.js";

/** Work that holds the thread for `ms`, as a batch's computing does. */
const busy = (ms: number) => {
  const until = performance.now() + ms;
  while (performance.now() < until);
};

describe("forEachTimeSliced", () => {
  test("visits every item once, in order", async () => {
    const seen: number[] = [];
    await forEachTimeSliced([1, 2, 3, 4, 5], (n) => seen.push(n));
    expect(seen).toEqual([1, 2, 3, 4, 5]);
  });

  test("lets waiting callbacks run between slices, not only after the pass", async () => {
    const handled: number[] = [];
    let handledWhenCallbackRan: number | undefined;
    setImmediate(() => {
      handledWhenCallbackRan = handled.length;
    });
    await forEachTimeSliced(
      Array.from({ length: 10 }, (_, i) => i),
      (i) => {
        busy(3);
        handled.push(i);
      },
      5,
    );
    // The callback waited one slice (two items of 3 ms), not the whole pass of 30 ms.
    expect(handledWhenCallbackRan).toBeDefined();
    expect(handledWhenCallbackRan).toBeLessThan(10);
    expect(handled).toHaveLength(10);
  });

  test("a short pass does not yield at all", async () => {
    let ran = false;
    setImmediate(() => {
      ran = true;
    });
    await forEachTimeSliced([1, 2, 3], () => undefined, 1_000);
    expect(ran).toBe(false);
  });
});
