import { expect, test } from "vitest";
import { deepLinkDestination } from "../../src/domain/tracking/deep-link.js";
import type { RedirectTarget } from "../../src/domain/tracking/link-cache.js";
import { landingPage } from "../../web/src/portal/landing-page.js";

const sites = ["acme.example", "10.0.0.7"];
const target = {
  destination: "https://acme.example/pricing",
  allowedDomains: sites,
  utm: {},
} as unknown as RedirectTarget;

test.each([
  ["https://acme.example/blog?x=1", "https://acme.example/blog?x=1"],
  ["http://shop.acme.example/", "http://shop.acme.example/"],
  ["  https://ACME.example/Case  ", "https://acme.example/Case"],
  ["acme.example/pricing", "https://acme.example/pricing"],
  ["/features#faq", "/features#faq"],
  ["http://10.0.0.7/x", "http://10.0.0.7/x"],
])("%s is a page of the program: the redirect lands there", (typed, page) => {
  const checked = landingPage(typed, sites);
  expect(checked).toEqual({ ok: true, page });
  // What the builder puts in the link, the redirect accepts.
  expect(deepLinkDestination(target, { url: page })).toBeDefined();
});

test.each([
  ["https://evil.example/", "evil.example is not a site of this program (acme.example, 10.0.0.7)"],
  ["https://acme.example.evil.example/", "acme.example.evil.example is not a site of this program"],
  ["//evil.example/x", "evil.example is not a site of this program"],
  ["javascript:alert(1)", "Enter a web address (https://…)"],
  ["ftp://acme.example/f", "Enter a web address (https://…)"],
  ["https://u:p@acme.example/", "Leave out the user name and password"],
  ["https://acme.example:99999/", "Enter a page of acme.example, 10.0.0.7"],
  [`https://acme.example/${"a".repeat(1_800)}`, "Use an address under 1800 characters"],
])("%s is refused with a reason, and the redirect would ignore it too", (typed, message) => {
  const checked = landingPage(typed, sites);
  expect(checked.ok).toBe(false);
  expect(checked.ok ? "" : checked.message).toContain(message);
  if (!typed.startsWith("https://acme.example/a"))
    expect(deepLinkDestination(target, { url: typed.trim() })).toBeUndefined();
});

test("nothing typed: the link's usual page", () => {
  expect(landingPage("  ", sites)).toEqual({ ok: true, page: undefined });
});
