import { randomBytes } from "node:crypto";

/**
 * Random bytes for the redirect's hot path (click ids, device ids): one getrandom() call per 4 KiB instead of
 * one per click. Same source as randomBytes; the bytes are handed out once each.
 */
let pool = randomBytes(4096);
let offset = 0;

/** Copies `length` (at most 4096) fresh random bytes into `target` at `at`. */
export function randomInto(target: Buffer, at: number, length: number): void {
  if (offset + length > pool.length) {
    pool = randomBytes(4096);
    offset = 0;
  }
  pool.copy(target, at, offset, offset + length);
  offset += length;
}
