import { describe, expect, test } from "vitest";
import { newId } from "./ids.js";

describe("newId", () => {
  test("prefixed, lower-case, 26-character ULID", () => {
    expect(newId("program")).toMatch(/^prg_[0-9a-z]{26}$/);
  });

  test("ids made in the same millisecond keep their order", () => {
    const at = new Date("2030-01-01T00:00:00Z");
    const ids = Array.from({ length: 100 }, () => newId("conversion", at));
    expect([...ids].sort()).toEqual(ids);
  });

  test("an id for an earlier moment sorts at that moment, not after the latest id", () => {
    const later = newId("audit", new Date("2031-01-01T00:00:00Z"));
    const earlier = newId("audit", new Date("2020-06-01T00:00:00Z"));
    expect(earlier < later).toBe(true);
  });
});
