import { formatDateTime } from "../shared/format.js";
import { sentenceCase } from "../shared/sentence-case.js";

const PARTNER_ID = /ptn_[0-9a-z]+/g;
const PROGRAM_ID = /prg_[0-9a-z]+/g;
const ISO_TIME = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z/g;

/** The partner ids an engine sentence mentions, so that their names can be looked up. */
export const partnerIdsIn = (text: string): string[] => text.match(PARTNER_ID) ?? [];

/** Engine sentences name partners and programs by id and times in ISO form; people read names and dates. */
export function readableSummary(
  text: string,
  partnerName: (partnerId: string) => string,
  programName: (programId: string) => string | undefined = () => undefined,
): string {
  const readable = text
    .replace(PARTNER_ID, (id) => {
      const name = partnerName(id);
      return name === "…" ? id : name;
    })
    .replace(PROGRAM_ID, (id) => programName(id) ?? id)
    .replace(ISO_TIME, (iso) => formatDateTime(iso));
  return sentenceCase(readable);
}
