/**
 * The roles a table's elements have anyway, given explicitly to a table that becomes cards on a phone (`table-cards`:
 * display grid and block, components.css): Safari leaves such a table out of the accessibility tree unless its
 * elements carry their roles, and screen readers should keep reading a table with its column headers.
 */
export const tableRoles = {
  table: { role: "table" },
  rowgroup: { role: "rowgroup" },
  row: { role: "row" },
  columnheader: { role: "columnheader" },
  cell: { role: "cell" },
} as const;
