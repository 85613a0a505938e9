import { monotonicFactory, ulid } from "ulidx";

const monotonic = monotonicFactory();
let latest = 0;

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
  const id = t >= latest ? monotonic(t) : ulid(t);
  latest = Math.max(latest, t);
  return `${idPrefixes[kind]}_${id.toLowerCase()}`;
}
