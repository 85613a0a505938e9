import { expect, test } from "vitest";
import { withScheme } from "../../web/src/shared/web-address.js";

test.each([
  ["acme.example/pricing", "https://acme.example/pricing"],
  ["  www.acme.example  ", "https://www.acme.example"],
  ["https://acme.example/", "https://acme.example/"],
  ["http://acme.example/", "http://acme.example/"],
  ["HTTPS://acme.example/", "HTTPS://acme.example/"],
  // Left for the server to refuse, by name: not an address a browser would open as https.
  ["mailto:team@acme.example", "mailto:team@acme.example"],
  ["/pricing", "/pricing"],
  ["//acme.example", "//acme.example"],
  ["", ""],
])("%j is sent as %j", (typed, sent) => {
  expect(withScheme(typed)).toBe(sent);
});
