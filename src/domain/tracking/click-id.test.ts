import { createHmac } from "node:crypto";
import { describe, expect, test } from "vitest";
import { newId } from "../../lib/ids.js";
import { type ClickIdKeys, signClickId, verifyClickId } from "./click-id.js";

const secret = Buffer.alloc(32, 7);
const keys: ClickIdKeys = { current: { id: 1, secret }, accepted: new Map([[1, secret]]) };
const at = new Date("2026-03-02T10:00:00.123Z");
const claims = { programId: newId("program"), partnerId: newId("partner"), linkId: newId("link"), at };

describe("click ids", () => {
  test("round-trip: the id alone says program, partner, link and time", () => {
    const { token, claims: signed } = signClickId(keys, claims);
    expect(token).toMatch(/^[A-Za-z0-9_-]{104}$/);
    const verified = verifyClickId(keys, token);
    expect(verified).toEqual({ ok: true, claims: { ...claims, clickRowId: signed.clickRowId } });
    expect(signed.clickRowId).toMatch(/^clk_[0-9a-z]{26}$/);
  });

  test("the MAC is HMAC-SHA256 of the body, truncated to 12 bytes, for short and long keys", () => {
    for (const key of [secret, Buffer.alloc(100, 3)]) {
      const k: ClickIdKeys = { current: { id: 1, secret: key }, accepted: new Map([[1, key]]) };
      const raw = Buffer.from(signClickId(k, claims).token, "base64url");
      const expected = createHmac("sha256", key).update(raw.subarray(0, 66)).digest().subarray(0, 12);
      expect(raw.subarray(66).equals(expected)).toBe(true);
    }
  });

  test("two clicks in the same millisecond get different ids", () => {
    expect(signClickId(keys, claims).token).not.toBe(signClickId(keys, claims).token);
  });

  test("every single-character tampering is refused", () => {
    const { token } = signClickId(keys, claims);
    for (let i = 0; i < token.length; i++) {
      const c = token[i] === "A" ? "B" : "A";
      const tampered = token.slice(0, i) + c + token.slice(i + 1);
      expect(verifyClickId(keys, tampered).ok, `position ${i}`).toBe(false);
    }
  });

  test.each([
    ["", "malformed"],
    ["abc", "malformed"],
    ["x".repeat(104), "malformed"],
    ["%%%", "malformed"],
  ])("%j is %s", (token, reason) => {
    expect(verifyClickId(keys, token)).toEqual({ ok: false, reason });
  });

  test("another installation's key is refused; rotated keys keep verifying", () => {
    const other = Buffer.alloc(32, 9);
    const { token } = signClickId({ current: { id: 1, secret: other }, accepted: new Map() }, claims);
    expect(verifyClickId(keys, token)).toEqual({ ok: false, reason: "bad_signature" });
    const rotated: ClickIdKeys = {
      current: { id: 2, secret: other },
      accepted: new Map([
        [1, secret],
        [2, other],
      ]),
    };
    const old = signClickId(keys, claims).token;
    expect(verifyClickId(rotated, old).ok).toBe(true);
    expect(verifyClickId(keys, signClickId(rotated, claims).token)).toEqual({ ok: false, reason: "unknown_key" });
  });
});
