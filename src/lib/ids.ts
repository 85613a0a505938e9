import { randomBytes } from "node:crypto";

/** Crockford base32, lower case (ids are shown and compared lower-cased). */
const ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz";

// Random bits come from a pool refilled 4 KiB at a time: one getrandom() per 400 ids rather than one per character.
let pool = randomBytes(4096);
let poolOffset = 0;

/** 80 fresh random bits as sixteen base32 digits. */
function freshRandom(digits: Uint8Array): void {
  if (poolOffset + 10 > pool.length) {
    pool = randomBytes(4096);
    poolOffset = 0;
  }
  for (let group = 0; group < 2; group++) {
    // 5 bytes = 40 bits = 8 digits; split in two 20-bit halves to stay within 32-bit integer arithmetic.
    const b = poolOffset + group * 5;
    const high = (pool[b]! << 12) | (pool[b + 1]! << 4) | (pool[b + 2]! >> 4);
    const low = ((pool[b + 2]! & 0x0f) << 16) | (pool[b + 3]! << 8) | pool[b + 4]!;
    for (let i = 0; i < 4; i++) {
      digits[group * 8 + i] = (high >> (15 - 5 * i)) & 31;
      digits[group * 8 + 4 + i] = (low >> (15 - 5 * i)) & 31;
    }
  }
  poolOffset += 10;
}

const CODES = Array.from(ALPHABET, (c) => c.charCodeAt(0));
const chars: number[] = new Array(16).fill(0);
let timeOf = -1;
let timePart = "";

const encode = (time: number, digits: Uint8Array): string => {
  if (time !== timeOf) {
    // 48-bit time as ten digits, most significant first (division: bit operators stop at 32 bits).
    let out = "";
    for (let i = 9, t = time; i >= 0; i--, t = Math.floor(t / 32)) out = ALPHABET[t % 32]! + out;
    timeOf = time;
    timePart = out;
  }
  for (let i = 0; i < 16; i++) chars[i] = CODES[digits[i]!]!;
  return timePart + String.fromCharCode(...chars);
};

let latest = 0;
/** The last id made at `latest`: the next one in the same millisecond is this random part plus one. */
const lastRandom = new Uint8Array(16);
const scratch = new Uint8Array(16);

export const idPrefixes = {
  program: "prg",
  partner: "ptn",
  partnerUser: "pus",
  teamUser: "usr",
  enrollment: "enr",
  apiKey: "key",
  invitation: "inv",
  audit: "aud",
  question: "q",
  link: "lnk",
  coupon: "cpn",
  customer: "cus",
  conversion: "cnv",
  commission: "com",
  plan: "cpl",
  planVersion: "cpv",
  referralReward: "rrw",
  payout: "pay",
  payoutBatch: "pbt",
  payoutRun: "prn",
  fraudDecision: "frd",
  fraudReport: "frp",
  partnerAction: "pac",
} as const;

export type IdKind = keyof typeof idPrefixes;

/** Prefixed, time-sortable ids (`prg_01j…`): the prefix tells what an id is in logs and support tickets. */
export function newId(kind: IdKind, at: Date = new Date()): string {
  const t = at.getTime();
  // Monotonic while time stands still or moves on (ids made in one millisecond keep their order); an id for an
  // earlier moment (a backfill, the demo's history) gets that moment's time instead of jumping ahead of it.
  if (!Number.isInteger(t) || t < 0 || t > 2 ** 48 - 1) throw new Error(`cannot make an id for time ${t}`);
  if (t < latest) {
    freshRandom(scratch);
    return `${idPrefixes[kind]}_${encode(t, scratch)}`;
  }
  if (t === latest) {
    let i = 15;
    while (i >= 0 && lastRandom[i] === 31) lastRandom[i--] = 0;
    if (i < 0) throw new Error("ran out of ids in this millisecond");
    lastRandom[i]! += 1;
  } else freshRandom(lastRandom);
  latest = t;
  return `${idPrefixes[kind]}_${encode(t, lastRandom)}`;
}
