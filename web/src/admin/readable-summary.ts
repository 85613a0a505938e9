import { formatDateTime } from "../shared/format.js";
import { readableNote } from "../shared/note-text.js";

const PROGRAM_ID = /prg_[0-9a-z]+/g;
const ISO_TIME = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z/g;

/**
 * Engine sentences come from the API with partners already named; they still name programs by id, times in ISO
 * form and money as the server writes it ("USD 49.50"): people read names, dates and money as the pages write it
 * ("$49.50").
 */
export function readableSummary(
  text: string,
  programName: (programId: string) => string | undefined = () => undefined,
): string {
  const readable = text
    .replace(PROGRAM_ID, (id) => programName(id) ?? id)
    .replace(ISO_TIME, (iso) => formatDateTime(iso));
  return readableNote(readable);
}
