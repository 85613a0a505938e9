import { randomBytes } from "node:crypto";
import { describe, expect, test } from "vitest";
import { generateKeySpec, Keyring, keyIdOf, parseKeyList } from "./secret-box.js";

const key = (id: string) => ({ id, key: randomBytes(32) });

describe("secret box (AES-256-GCM keyring)", () => {
  test("round trip; the ciphertext names its key and hides the plaintext", () => {
    const ring = new Keyring([key("k1")]);
    const sealed = ring.seal('{"email":"jo@example.com"}', "ptn_1");
    expect(sealed).toMatch(/^v1\.k1\./);
    expect(sealed).not.toContain("example");
    expect(keyIdOf(sealed)).toBe("k1");
    expect(ring.open(sealed, "ptn_1")).toBe('{"email":"jo@example.com"}');
    expect(ring.seal("x", "a")).not.toBe(ring.seal("x", "a"));
  });

  test("bound to its associated data; tampering is detected", () => {
    const ring = new Keyring([key("k1")]);
    const sealed = ring.seal("secret", "ptn_1");
    expect(() => ring.open(sealed, "ptn_2")).toThrow();
    const parts = sealed.split(".");
    parts[4] = Buffer.from("other").toString("base64url");
    expect(() => ring.open(parts.join("."), "ptn_1")).toThrow();
    expect(() => ring.open("garbage", "ptn_1")).toThrow(/not a sealed value/);
  });

  test("rotation: the first key writes, every key reads; an unknown key is named", () => {
    const old = key("old");
    const next = key("new");
    const sealedOld = new Keyring([old]).seal("v", "a");
    const rotated = new Keyring([next, old]);
    expect(rotated.open(sealedOld, "a")).toBe("v");
    expect(keyIdOf(rotated.seal("v", "a"))).toBe("new");
    expect(() => new Keyring([next]).open(sealedOld, "a")).toThrow(/no key old/);
  });

  test("key lists", () => {
    const spec = generateKeySpec("local");
    const [parsed] = parseKeyList(spec);
    expect(parsed?.id).toBe("local");
    expect(parsed?.key.length).toBe(32);
    const b64 = randomBytes(32).toString("base64");
    expect(parseKeyList(`a:${b64}, b:${randomBytes(32).toString("base64url")}`).map((k) => k.id)).toEqual(["a", "b"]);
    expect(() => parseKeyList("a:short")).toThrow(/32 bytes/);
    expect(() => parseKeyList(`:${b64}`)).toThrow(/id:base64key/);
    expect(() => parseKeyList(`a:${b64},a:${b64}`)).toThrow(/twice/);
    expect(() => parseKeyList(" , ")).toThrow(/at least one/);
  });
});
