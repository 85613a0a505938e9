import { expect, test } from "vitest";
import { taggedUrl } from "../../web/src/portal/tagged-link-builder.js";
import type { TrackingLink } from "../../web/src/shared/types.js";

// The builder runs in the portal's page; its origin is the Tributary server's.
(globalThis as { window?: unknown }).window = { location: { origin: "https://partners.acme.example" } };
const link = { path: "/r/northwind" } as TrackingLink;

test("a tagged link is the link with its non-blank sub-ids as query parameters, encoded", () => {
  expect(taggedUrl(link, {})).toBe("https://partners.acme.example/r/northwind");
  expect(taggedUrl(link, { sub1: " newsletter ", sub2: "", sub3: "may & june" })).toBe(
    "https://partners.acme.example/r/northwind?sub1=newsletter&sub3=may+%26+june",
  );
});
