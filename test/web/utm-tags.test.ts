import { expect, test } from "vitest";
import { utmTagsToSend, utmValueProblem } from "../../web/src/portal/utm-tags.js";

test.each([
  ["spring-sale", undefined],
  ["  spring sale & more  ", undefined],
  [` ${"x".repeat(200)} `, undefined],
  ["x".repeat(201), "Use at most 200 characters (this has 201)"],
  ["spring\tsale", "Remove the tab, line break or other control character"],
  ["spring\nsale", "Remove the tab, line break or other control character"],
  ["spring\u0000", "Remove the tab, line break or other control character"],
  ["spring\u0085", "Remove the tab, line break or other control character"],
])("%j: %s", (typed, problem) => expect(utmValueProblem(typed)).toBe(problem));

test("the tags a link carries: in order, trimmed, blank and fixed ones left out", () => {
  expect(
    utmTagsToSend(
      { utm_content: " banner ", utm_source: "blog", utm_medium: " ", utm_campaign: "spring" },
      { utm_campaign: { value: "program-wide" } },
    ),
  ).toEqual([
    ["utm_source", "blog"],
    ["utm_content", "banner"],
  ]);
});
