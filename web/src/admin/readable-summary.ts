import { formatDateTime } from "../shared/format.js";
import { readableNote } from "../shared/note-text.js";

const ISO_TIME = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z/g;

/**
 * Engine sentences come from the API with partners and programs already named (never named again here: a name may
 * read like an id); they still write times in ISO form and money as the server writes it ("USD 49.50"): people read
 * dates and money as the pages write them ("$49.50").
 */
export const readableSummary = (text: string): string =>
  readableNote(text.replace(ISO_TIME, (iso) => formatDateTime(iso)));
