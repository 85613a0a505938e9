import { randomBytes } from "node:crypto";
import { monotonicFactory } from "ulidx";
import { describe, expect, test } from "vitest";
import { bytesToUlid, ulidToBytes } from "./ulid-bytes.js";

describe("ULID bytes", () => {
  test("round-trips random values both ways", () => {
    for (let i = 0; i < 2_000; i++) {
      const bytes = randomBytes(16);
      const ulid = bytesToUlid(bytes);
      expect(ulid).toMatch(/^[0-7][0-9a-hjkmnp-tv-z]{25}$/);
      expect(ulidToBytes(ulid)).toEqual(bytes);
      expect(ulidToBytes(ulid.toUpperCase())).toEqual(bytes);
    }
  });

  test("agrees with ulidx on the time part", () => {
    const ulid = monotonicFactory()(Date.UTC(2026, 2, 2, 10));
    expect(ulidToBytes(ulid)!.readUIntBE(0, 6)).toBe(Date.UTC(2026, 2, 2, 10));
    expect(bytesToUlid(ulidToBytes(ulid)!)).toBe(ulid.toLowerCase());
  });

  test.each(["", "x", "8zzzzzzzzzzzzzzzzzzzzzzzzz", "01arz3ndektsv4rrffq69g5fau", "01ARZ3NDEKTSV4RRFFQ69G5FA!"])(
    "%j is not a ULID",
    (s) => {
      expect(ulidToBytes(s)).toBeUndefined();
    },
  );
});
