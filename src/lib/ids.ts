import { monotonicFactory } from "ulidx";

const ulid = monotonicFactory();

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
} as const;

export type IdKind = keyof typeof idPrefixes;

/** Prefixed, time-sortable ids (`prg_01j…`): the prefix tells what an id is in logs and support tickets. */
export function newId(kind: IdKind, at: Date = new Date()): string {
  return `${idPrefixes[kind]}_${ulid(at.getTime()).toLowerCase()}`;
}
