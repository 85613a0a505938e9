import { expect, test } from "vitest";
import { type ArrayElement, arrayLiteral, arrayLiteralsTimeSliced, parameter } from "./array-literal.js";

test.each([
  { values: [], literal: "{}" },
  { values: ["a", null, undefined, ""], literal: '{"a",NULL,NULL,""}' },
  { values: [1, 2n, -3n], literal: "{1,2,-3}" },
  { values: ['{"k": "v\\\\"}', "NULL", "a,b"], literal: '{"{\\"k\\": \\"v\\\\\\\\\\"}","NULL","a,b"}' },
])("$literal", ({ values, literal }) => expect(arrayLiteral(values)).toBe(literal));

test("booleans and times: as PostgreSQL reads them, times in ISO 8601 whatever the process's zone", () => {
  expect(arrayLiteral([true, false, null])).toBe("{true,false,NULL}");
  expect(arrayLiteral([new Date(Date.UTC(2026, 10, 23, 17, 5, 1, 20))])).toBe('{"2026-11-23T17:05:01.020Z"}');
});

test("a parameter: an array of plain values becomes its literal, anything else stays as the driver takes it", () => {
  expect(parameter(["a\\b", 'say "hi"', null, 7, 8n, true])).toBe('{"a\\\\b","say \\"hi\\"",NULL,7,8,true}');
  expect(parameter([])).toBe("{}");
  for (const value of ["{1,2}", 3, null, undefined, '{"json": true}', Buffer.from("x")])
    expect(parameter(value)).toBe(value);
  // Objects, nested arrays and bytes are the driver's to encode (node-postgres writes nested arrays and JSON).
  for (const value of [[{ id: 1 }], [[1, 2]], ["a", Buffer.from("x")]]) expect(parameter(value)).toBe(value);
});

test("columns built in time slices are each column's literal, however many slices they took", async () => {
  const rows = Array.from({ length: 3_000 }, (_, i) => ({
    id: `e${i}`,
    note: i % 7 === 0 ? null : `say "${i}" \\ ok`,
    amount: BigInt(i) * 1_000_000_007n,
    at: new Date(Date.UTC(2026, 0, 1) + i * 1000),
  }));
  type Row = (typeof rows)[number];
  const columns: ((r: Row) => ArrayElement)[] = [
    (r: Row) => r.id,
    (r: Row) => r.note,
    (r: Row) => r.amount,
    (r: Row) => r.at,
  ];
  const expected = columns.map((pick) => arrayLiteral(rows.map(pick)));
  let turns = 0;
  const counting = setInterval(() => {
    turns += 1;
  }, 0);
  const slow = columns.map((pick) => (r: Row) => {
    // About 3 ms of work a row for the first rows: the pass has to yield several times on the way.
    if (Number(r.id.slice(1)) < 10) for (const until = performance.now() + 3; performance.now() < until; );
    return pick(r);
  });
  expect(await arrayLiteralsTimeSliced(rows, slow)).toEqual(expected);
  clearInterval(counting);
  expect(turns).toBeGreaterThan(0);
  expect(await arrayLiteralsTimeSliced([], columns)).toEqual(["{}", "{}", "{}", "{}"]);
});
