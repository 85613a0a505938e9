import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse as parseQuery } from "fast-querystring";
import { describe, expect, test } from "vitest";
import { adClickParams } from "../../db/schema/index.js";
import { packageRoot } from "../../lib/package-root.js";
import { adClickInQuery, adClickNamed } from "./ad-click.js";

const read = (query: string) => adClickInQuery(parseQuery(query) as Record<string, unknown>);

describe("ad click ids", () => {
  test.each([
    ["gclid=Cj0KCQiA", "google_ads", "gclid"],
    ["gbraid=0AAAAADhb", "google_ads", "gbraid"],
    ["wbraid=CkcKCQiA", "google_ads", "wbraid"],
    ["gad_source=1", "google_ads", "gad_source"],
    ["dclid=CJrL9", "google_display", "dclid"],
    ["msclkid=5f1c0e0a", "microsoft_ads", "msclkid"],
    ["yclid=8123456789", "yandex_or_yahoo_japan", "yclid"],
    // A click id comes before gad_source, which Google adds beside it; sub-ids and UTMs change nothing.
    ["sub1=x&gad_source=1&gclid=abc&utm_source=google", "google_ads", "gclid"],
    ["gclid=a&gclid=b", "google_ads", "gclid"],
  ])("?%s → %s (%s)", (query, network, param) => expect(read(query)).toEqual({ network, param }));

  test.each([
    "",
    "sub1=x",
    "fbclid=IwAR0",
    "srsltid=AfmBOo",
    "ysclid=lq1",
    "gclid=",
    "utm_source=google&utm_medium=cpc",
  ])("?%s is no ad click", (query) => expect(read(query)).toBeUndefined());

  test("no query, no lookups; the same answer object for every click with the same parameter (nothing allocated)", () => {
    expect(adClickInQuery(undefined)).toBeUndefined();
    expect(read("gclid=a")).toBe(read("gclid=b"));
    expect(adClickNamed("gclid")).toBe(read("gclid=c"));
  });

  test("the snippet names a parameter: only the known ones count", () => {
    expect(adClickNamed("msclkid")).toEqual({ network: "microsoft_ads", param: "msclkid" });
    for (const name of ["fbclid", "constructor", "toString", "__proto__", "", 1, null, undefined, ["gclid"]])
      expect(adClickNamed(name)).toBeUndefined();
  });

  test("the site snippet looks for every parameter the redirect reads", () => {
    const snippet = readFileSync(join(packageRoot, "src", "snippet", "t.js"), "utf8");
    const listed = /\["gclid"[^\]]*\]/.exec(snippet)?.[0];
    expect(JSON.parse(listed ?? "[]").sort()).toEqual([...adClickParams].sort());
  });
});
