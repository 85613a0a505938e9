import { Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { Type } from "@fastify/type-provider-typebox";
import { stringify } from "csv-stringify";
import type { FastifyReply } from "fastify";
import { responses } from "./schemas.js";

export interface CursorPage<T> {
  items: T[];
  nextCursor: string | null;
}

/** One column of an export: its header and how a row's cell is written. */
export interface CsvColumn<Row> {
  header: string;
  cell: (row: Row) => string | number | boolean | null;
}

/** An export route's documented answers: the CSV (its columns named) or a problem. */
export const csvResponses = (columns: { header: string }[]) =>
  responses({ 200: Type.String({ description: `text/csv: ${columns.map((c) => c.header).join(", ")}` }) });

/**
 * Streams a keyset-paged list as a CSV download, page by page: memory holds one page whatever the list's length,
 * and a slow client slows the reads down instead of filling a buffer. The first page is read before the answer
 * starts, so a bad filter is still a problem+json; a failure later cuts the download short (the answer has started)
 * and is logged. `readPage` turns one page's items into rows (with the names they refer to, say).
 */
export async function sendCsvPages<Item, Row>(
  reply: FastifyReply,
  options: {
    /** The file is `<name>-<today>.csv`. */
    name: string;
    now: Date;
    columns: CsvColumn<Row>[];
    readPage: (cursor: string | undefined) => Promise<CursorPage<Item>>;
    /** Async when a page needs more reading (names of what it refers to). */
    toRows: (items: Item[]) => Row[] | Promise<Row[]>;
  },
) {
  const { columns, readPage, toRows } = options;
  const first = await readPage(undefined);
  const headers = () =>
    reply
      .type("text/csv; charset=utf-8")
      .header(
        "content-disposition",
        `attachment; filename="${options.name}-${options.now.toISOString().slice(0, 10)}.csv"`,
      )
      .header("cache-control", "no-store");
  // HEAD: the filters are checked (the first page read), the rest of the export is not.
  if (reply.request.method === "HEAD") return headers().send();
  const firstRows = await toRows(first.items);
  async function* rows() {
    yield* firstRows;
    let cursor = first.nextCursor;
    while (cursor) {
      const page = await readPage(cursor);
      yield* await toRows(page.items);
      cursor = page.nextCursor;
    }
  }
  const cells = new Transform({
    objectMode: true,
    transform: (row: Row, _encoding, done) =>
      done(
        null,
        columns.map((column) => column.cell(row)),
      ),
  });
  // A byte-order mark first: Excel reads a CSV without one in the machine's legacy code page, garbling names.
  const csv = stringify({ header: true, bom: true, columns: columns.map((c) => c.header), cast: { boolean: String } });
  pipeline(Readable.from(rows()), cells, csv).catch((error: unknown) => {
    // A download the client cancelled is not a failure of ours.
    if ((error as { code?: string }).code === "ERR_STREAM_PREMATURE_CLOSE") return;
    reply.log.error({ err: error }, "CSV export cut short");
  });
  return headers().send(csv);
}
