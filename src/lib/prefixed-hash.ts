import { hash } from "node:crypto";

/**
 * SHA-256 of a fixed prefix followed by a short string, base64url, cut to 22 characters — for the redirect's
 * per-click hashes (IP, device cookie): the prefix and the value go into one reused buffer, so hashing a click's
 * value allocates nothing. A value longer than the room kept (64 bytes) is hashed whole all the same.
 */
export class PrefixedHash {
  #input: Buffer;
  #prefixLength: number;

  constructor(prefix: Buffer) {
    this.#prefixLength = prefix.length;
    this.#input = Buffer.alloc(prefix.length + 64);
    prefix.copy(this.#input);
  }

  /** Replaces the prefix (the IP hash's salt changes daily); its length may change. */
  setPrefix(prefix: Buffer): void {
    if (prefix.length !== this.#prefixLength) this.#input = Buffer.alloc(prefix.length + 64);
    this.#prefixLength = prefix.length;
    prefix.copy(this.#input);
  }

  digest(value: string): string {
    const start = this.#prefixLength;
    const input =
      Buffer.byteLength(value) <= this.#input.length - start
        ? this.#input.subarray(0, start + this.#input.write(value, start))
        : Buffer.concat([this.#input.subarray(0, start), Buffer.from(value)]);
    return hash("sha256", input, "base64url").slice(0, 22);
  }
}
