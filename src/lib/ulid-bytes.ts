const ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
const VALUES = new Map([...ALPHABET].flatMap((c, i) => [[c, i] as const, [c.toLowerCase(), i] as const]));

/** A 26-character ULID (Crockford base32, 128 bits) as 16 bytes; undefined when it is not one. */
export function ulidToBytes(ulid: string): Buffer | undefined {
  if (ulid.length !== 26) return undefined;
  let value = 0n;
  for (const c of ulid) {
    const v = VALUES.get(c);
    if (v === undefined) return undefined;
    value = (value << 5n) | BigInt(v);
  }
  if (value >> 128n !== 0n) return undefined;
  const out = Buffer.alloc(16);
  for (let i = 15; i >= 0; i--) {
    out[i] = Number(value & 0xffn);
    value >>= 8n;
  }
  return out;
}

/** 16 bytes as a lower-case ULID string. */
export function bytesToUlid(bytes: Uint8Array): string {
  let value = 0n;
  for (const b of bytes) value = (value << 8n) | BigInt(b);
  let out = "";
  for (let i = 0; i < 26; i++) {
    out = ALPHABET[Number(value & 31n)]! + out;
    value >>= 5n;
  }
  return out.toLowerCase();
}
