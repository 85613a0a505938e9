const ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz";
const VALUES = new Int8Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) {
  VALUES[ALPHABET.charCodeAt(i)] = i;
  VALUES[ALPHABET.toUpperCase().charCodeAt(i)] = i;
}

/**
 * A 26-character ULID (Crockford base32, 128 bits) as 16 bytes; undefined when it is not one. Bit arithmetic
 * on plain numbers (5 bits in, 8 out) rather than BigInt: this runs on the redirect hot path.
 */
export function ulidToBytes(ulid: string): Buffer | undefined {
  if (ulid.length !== 26) return undefined;
  const first = VALUES[ulid.charCodeAt(0)] ?? -1;
  // 26 × 5 = 130 bits: the first character may only carry 3.
  if (first < 0 || first > 7) return undefined;
  const out = Buffer.alloc(16);
  let acc = first;
  let bits = 3;
  let o = 0;
  for (let i = 1; i < 26; i++) {
    const v = VALUES[ulid.charCodeAt(i)] ?? -1;
    if (v < 0) return undefined;
    acc = ((acc << 5) | v) & 0x1fff;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >> bits) & 0xff;
    }
  }
  return out;
}

/** 16 bytes as a lower-case ULID string. */
export function bytesToUlid(bytes: Uint8Array): string {
  let out = ALPHABET[(bytes[0]! >> 5) & 7]!;
  let acc = bytes[0]! & 0x1f;
  let bits = 5;
  for (let i = 1; i < 16; i++) {
    acc = ((acc << 8) | bytes[i]!) & 0x1fff;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out += ALPHABET[(acc >> bits) & 31];
    }
  }
  return out;
}
