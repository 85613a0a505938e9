import type { HTMLAttributes, ReactNode } from "react";
import { Button } from "./button.js";
import { ChevronRightIcon } from "./icons.js";
import { type QueryLike, QueryState } from "./query-state.js";
import { tableRoles } from "./table-roles.js";

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
 * Where a column's cells go in a row's card on a phone: a checkbox on the left, an amount top right, a row's
 * buttons on the right or a line of their own; every other cell is a field, the first of them the card's title.
 */
const cardPart = <Row,>(column: DataColumn<Row>) => {
  const names = `${column.className ?? ""} ${column.cellClassName ?? ""}`.split(" ");
  if (names.includes("col-check")) return "check";
  if (names.includes("col-amount")) return "amount";
  if (names.includes("cell-actions") || column.headerHidden) return "actions";
  return "field";
};

/** The label a field shows beside its value in a card, its header in words (the title and the other parts show none). */
const cardLabel = <Row,>(column: DataColumn<Row>) =>
  cardPart(column) === "field" && typeof column.header === "string" ? column.header : undefined;

/**
 * The console's and the portal's tables: a header row and one row per item, with `table` styling. Columns a
 * viewer does not get (no write permission, another filter) are left out by passing `false` in their place.
 * Given a `query`, it also shows the loading, error and empty states (see QueryState).
 *
 * On a phone each row is a card (`table-cards`, components.css), so that nothing scrolls sideways: the first
 * field is its title, an amount sits top right, and every other field shows its column's label (`data-label`,
 * drawn by CSS and hidden from screen readers, which keep the real table and its headers: see tableRoles).
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
  const primary = shown.find((c) => cardPart(c) === "field");
  const table = (
    <table {...tableRoles.table} className={classes("table", "table-cards", className)} aria-busy={busy}>
      <thead {...tableRoles.rowgroup}>
        <tr {...tableRoles.row}>
          {shown.map((column) => (
            <th key={column.id} {...tableRoles.columnheader} scope="col" className={column.className}>
              {column.headerHidden ? <span className="visually-hidden">{column.header}</span> : column.header}
            </th>
          ))}
        </tr>
      </thead>
      <tbody {...tableRoles.rowgroup}>
        {rows.map((row) => (
          <tr key={rowKey(row)} {...tableRoles.row} {...rowProps?.(row)}>
            {shown.map((column) => (
              <td
                key={column.id}
                {...tableRoles.cell}
                className={classes(
                  column.className,
                  column.cellClassName,
                  column === primary ? "cell-primary" : undefined,
                )}
                title={column.cellTitle?.(row)}
                data-label={column === primary ? undefined : cardLabel(column)}
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
