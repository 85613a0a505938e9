/**
 * Spreadsheet apps run a cell starting with = + - @ (or a tab or carriage return) as a formula; a leading quote
 * keeps text that partners, visitors or customers typed inert (OWASP's "CSV injection"). For text columns only:
 * a negative amount must stay a number.
 */
export const inert = (value: string | null | undefined): string =>
  value && /^[=+\-@\t\r]/.test(value) ? `'${value}` : (value ?? "");
