import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";

/**
 * AES-256-GCM with a keyring: the first key encrypts, every key decrypts, so keys rotate without downtime
 * (add the new key first everywhere, re-encrypt, then drop the old one). A sealed value names its key:
 * `v1.<key id>.<iv>.<tag>.<ciphertext>` (base64url). The associated data binds a value to its owner, so a
 * ciphertext copied onto another record does not decrypt.
 */
export interface EncryptionKey {
  id: string;
  key: Buffer;
}

const VERSION = "v1";
export const KEY_ID_PATTERN = /^[A-Za-z0-9_-]{1,32}$/;

export class Keyring {
  readonly #keys: Map<string, Buffer>;
  readonly current: EncryptionKey;

  constructor(keys: readonly EncryptionKey[]) {
    const [first] = keys;
    if (!first) throw new Error("a keyring needs at least one key");
    this.current = first;
    this.#keys = new Map();
    for (const { id, key } of keys) {
      if (!KEY_ID_PATTERN.test(id)) throw new Error(`invalid key id ${JSON.stringify(id)}`);
      if (key.length !== 32) throw new Error(`key ${id} must be 32 bytes`);
      // The first occurrence of an id wins: configured keys come before the generated one.
      if (!this.#keys.has(id)) this.#keys.set(id, key);
    }
  }

  get keyIds(): string[] {
    return [...this.#keys.keys()];
  }

  seal(plaintext: string, associatedData: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv("aes-256-gcm", this.current.key, iv);
    cipher.setAAD(Buffer.from(associatedData, "utf8"));
    const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
    const tag = cipher.getAuthTag();
    return [
      VERSION,
      this.current.id,
      iv.toString("base64url"),
      tag.toString("base64url"),
      ciphertext.toString("base64url"),
    ].join(".");
  }

  open(sealed: string, associatedData: string): string {
    const parts = sealed.split(".");
    const [version, keyId, iv, tag, ciphertext] = parts;
    if (parts.length !== 5 || version !== VERSION || !keyId || !iv || !tag || ciphertext === undefined)
      throw new Error("not a sealed value");
    const key = this.#keys.get(keyId);
    if (!key) throw new Error(`no key ${keyId} in the keyring (PAYOUT_ENCRYPTION_KEYS)`);
    const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64url"));
    decipher.setAAD(Buffer.from(associatedData, "utf8"));
    decipher.setAuthTag(Buffer.from(tag, "base64url"));
    return Buffer.concat([decipher.update(Buffer.from(ciphertext, "base64url")), decipher.final()]).toString("utf8");
  }
}

export const keyIdOf = (sealed: string): string | undefined => sealed.split(".")[1];

/** `id:base64key[,id:base64key…]` → keys, first first. Throws a message that never echoes key material. */
export function parseKeyList(value: string): EncryptionKey[] {
  const keys: EncryptionKey[] = [];
  for (const item of value.split(",").map((s) => s.trim())) {
    if (!item) continue;
    const colon = item.indexOf(":");
    const id = colon > 0 ? item.slice(0, colon) : "";
    if (!KEY_ID_PATTERN.test(id))
      throw new Error("each key must be written id:base64key (id: letters, digits, - or _)");
    const material = item.slice(colon + 1);
    const key = Buffer.from(material, material.includes("-") || material.includes("_") ? "base64url" : "base64");
    if (key.length !== 32) throw new Error(`key ${id} must be 32 bytes, base64-encoded (openssl rand -base64 32)`);
    if (keys.some((k) => k.id === id)) throw new Error(`key id ${id} appears twice`);
    keys.push({ id, key });
  }
  if (keys.length === 0) throw new Error("expected at least one id:base64key");
  return keys;
}

/** A fresh key in the `id:base64key` form, for the generated installation key. */
export const generateKeySpec = (id: string): string => `${id}:${randomBytes(32).toString("base64")}`;
