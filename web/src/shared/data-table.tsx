import type { HTMLAttributes, ReactNode } from "react";
import { Button } from "./button.js";
import { ChevronRightIcon } from "./icons.js";
import { type QueryLike, QueryState } from "./query-state.js";

/** One column: its header and what each row shows in it. */
export interface DataColumn<Row> {
  /** Stable and unique within the table. */
  id: string;
  header: ReactNode;
  /** Only screen readers read the header (checkbox and action columns). */
  headerHidden?: boolean;
  /** Classes of both the header and the cells, e.g. `col-amount`, `col-check`, `nowrap`. */
  className?: string;
  /** Classes of the cells only, e.g. `cell-actions`. */
  cellClassName?: string;
  cell: (row: Row) => ReactNode;
  /** A tooltip for the cell, e.g. the exact time behind "3 hours ago". */
  cellTitle?: (row: Row) => string | undefined;
}

/**
 * The last column of a list whose rows open a drawer: a chevron button named for each row (the row itself is
 * clickable too; the button is what a keyboard or a screen reader reaches).
 */
export function openerColumn<Row>({
  header,
  label,
  title,
  onOpen,
}: {
  /** What the drawer shows, read by screen readers only: "Explanation", "Details". */
  header: string;
  label: (row: Row) => string;
  title?: string;
  onOpen: (row: Row) => void;
}): DataColumn<Row> {
  return {
    id: "open",
    header,
    headerHidden: true,
    cellClassName: "cell-actions",
    cell: (row) => (
      <Button
        size="sm"
        variant="ghost"
        className="btn-icon"
        title={title}
        aria-label={label(row)}
        onClick={(event) => {
          event.stopPropagation();
          onOpen(row);
        }}
      >
        <ChevronRightIcon size={16} />
      </Button>
    ),
  };
}

const classes = (...names: (string | undefined)[]) => names.filter(Boolean).join(" ") || undefined;

/**
 * The console's and the portal's tables: a header row and one row per item, with `table` styling. Columns a
 * viewer does not get (no write permission, another filter) are left out by passing `false` in their place.
 * Given a `query`, it also shows the loading, error and empty states (see QueryState).
 */
export function DataTable<Row>({
  rows,
  columns,
  rowKey,
  className,
  busy,
  rowProps,
  query,
  empty,
  skeleton,
}: {
  rows: readonly Row[];
  columns: readonly (DataColumn<Row> | false | null | undefined)[];
  rowKey: (row: Row) => string;
  /** Classes added to `table`, e.g. `table-compact ledger-table`. */
  className?: string;
  /** True while a new page loads with the previous one still shown. */
  busy?: boolean;
  /** Per-row attributes: a class, a click handler. */
  rowProps?: (row: Row) => HTMLAttributes<HTMLTableRowElement>;
  query?: QueryLike;
  empty?: ReactNode;
  skeleton?: { rows?: number; columns?: number };
}) {
  const shown = columns.filter((c): c is DataColumn<Row> => Boolean(c));
  // A table with money in it reflows into one card per row on a phone, the amount top right (components.css):
  // scrolled sideways, its amount column would start off-screen.
  const cards = shown.some((c) => c.className?.split(" ").includes("col-amount")) ? "table-cards" : undefined;
  const table = (
    <table className={classes("table", cards, className)} aria-busy={busy}>
      <thead>
        <tr>
          {shown.map((column) => (
            <th key={column.id} scope="col" className={column.className}>
              {column.headerHidden ? <span className="visually-hidden">{column.header}</span> : column.header}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={rowKey(row)} {...rowProps?.(row)}>
            {shown.map((column) => (
              <td
                key={column.id}
                className={classes(column.className, column.cellClassName)}
                title={column.cellTitle?.(row)}
              >
                {column.cell(row)}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
  if (!query) return table;
  return (
    <QueryState query={query} empty={empty} isEmpty={rows.length === 0} skeleton={skeleton}>
      {table}
    </QueryState>
  );
}
