import { expect, test } from "vitest";
import { taggedUrl } from "../../web/src/portal/tagged-url.js";
import type { TrackingLink } from "../../web/src/shared/types.js";

// The builder runs in the portal's page; its origin is the Tributary server's.
(globalThis as { window?: unknown }).window = { location: { origin: "https://partners.acme.example" } };
const link = { path: "/r/northwind" } as TrackingLink;

test("a tagged link is the link with its non-blank sub-ids as query parameters, encoded", () => {
  expect(taggedUrl(link, { subs: {}, utm: {} })).toBe("https://partners.acme.example/r/northwind");
  expect(taggedUrl(link, { subs: { sub1: " newsletter ", sub2: "", sub3: "may & june" }, utm: {} })).toBe(
    "https://partners.acme.example/r/northwind?sub1=newsletter&sub3=may+%26+june",
  );
});

test("the page, the sub-ids and the UTM parameters come in one order, however they were typed", () => {
  const url = taggedUrl(link, {
    page: "https://acme.example/tents",
    subs: { sub3: "footer", sub1: "mail" },
    utm: { utm_content: "banner", utm_campaign: "spring", utm_source: "blog", utm_term: "tents", utm_medium: "email" },
  });
  expect(url).toBe(
    "https://partners.acme.example/r/northwind?url=https%3A%2F%2Facme.example%2Ftents&sub1=mail&sub3=footer" +
      "&utm_source=blog&utm_medium=email&utm_campaign=spring&utm_term=tents&utm_content=banner",
  );
});

test("UTM values are trimmed and encoded; blank ones add nothing", () => {
  const url = taggedUrl(link, {
    subs: {},
    utm: { utm_source: "  ", utm_medium: "", utm_campaign: " spring sale & more ", utm_term: "café/été?#=" },
  });
  expect(url).toBe(
    "https://partners.acme.example/r/northwind?utm_campaign=spring+sale+%26+more&utm_term=caf%C3%A9%2F%C3%A9t%C3%A9%3F%23%3D",
  );
  expect(new URL(url).searchParams.get("utm_term")).toBe("café/été?#=");
});

test("a UTM parameter the landing address sets already is left out: the redirect would drop the partner's", () => {
  const url = taggedUrl(link, {
    subs: { sub1: "mail" },
    utm: { utm_source: "my-blog", utm_campaign: "spring" },
    fixedUtm: { utm_source: { value: "acme-partners", by: "program" } },
  });
  expect(url).toBe("https://partners.acme.example/r/northwind?sub1=mail&utm_campaign=spring");
});
