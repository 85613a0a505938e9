import { decodeTime } from "ulidx";
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

  test("the time part is the moment, to the millisecond; the random part differs between moments", () => {
    const moments = [0, 1, 1_700_000_000_123, 4_102_444_800_000].map((ms) => new Date(ms));
    const ids = moments.map((at) => newId("conversion", at).slice(4));
    expect(ids.map((id) => decodeTime(id.toUpperCase()))).toEqual(moments.map((m) => m.getTime()));
    const randoms = Array.from({ length: 1000 }, (_, i) =>
      newId("conversion", new Date(4_102_444_800_001 + i)).slice(14),
    );
    expect(new Set(randoms).size).toBe(1000);
  });

  test("an id for an earlier moment sorts at that moment, not after the latest id", () => {
    const later = newId("audit", new Date("2031-01-01T00:00:00Z"));
    const earlier = newId("audit", new Date("2020-06-01T00:00:00Z"));
    expect(earlier < later).toBe(true);
  });
});
