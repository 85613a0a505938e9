import { expect, test } from "vitest";
import { isUsableDateTime } from "./date-time-format.js";

test("date-times the API takes are RFC 3339 instants JavaScript parses and PostgreSQL stores", () => {
  expect(isUsableDateTime("2026-06-30T23:59:59Z")).toBe(true);
  expect(isUsableDateTime("2026-06-30T12:00:00.123+02:00")).toBe(true);
  expect(isUsableDateTime("1900-01-01T00:00:00Z")).toBe(true);
  expect(isUsableDateTime("9999-12-31T23:59:59Z")).toBe(true);
  // Valid RFC 3339, but an Invalid Date in JavaScript.
  expect(isUsableDateTime("2026-06-30T23:59:60Z")).toBe(false);
  // Year 0 does not exist in PostgreSQL; years 1-99 would come back as 1950-2049; the last is in year 10000 in UTC.
  expect(isUsableDateTime("0000-01-01T00:00:00Z")).toBe(false);
  expect(isUsableDateTime("0026-05-01T00:00:00Z")).toBe(false);
  expect(isUsableDateTime("1899-12-31T23:59:59Z")).toBe(false);
  expect(isUsableDateTime("9999-12-31T23:59:59-14:00")).toBe(false);
  expect(isUsableDateTime("2026-02-30T00:00:00Z")).toBe(false);
  expect(isUsableDateTime("2026-06-30T12:00:00")).toBe(false);
  expect(isUsableDateTime("5")).toBe(false);
});
