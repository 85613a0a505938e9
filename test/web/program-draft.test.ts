import { describe, expect, test } from "vitest";
import { errorAt } from "../../web/src/admin/program-draft.js";

describe("errorAt: the errors of a field that edits a list", () => {
  test("names every bad line, in line order, after an error about the whole list", () => {
    const errors = {
      "/allowedDomains/10": '"k l" is not a hostname like example.com',
      "/allowedDomains/2": '"a b" is not a hostname like example.com',
      "/allowedDomains": "at most 50 domains",
      "/allowedDomainsExtra": "another field",
      "/defaultLandingUrl": "not allowed",
    };
    expect(errorAt(errors, "/allowedDomains")).toBe(
      'at most 50 domains; "a b" is not a hostname like example.com; "k l" is not a hostname like example.com',
    );
  });

  test("the same message twice is said once; no error is undefined", () => {
    expect(errorAt({ "/options/0": "is required", "/options/3": "is required" }, "/options")).toBe("is required");
    expect(errorAt({ "/name": "is required" }, "/options")).toBeUndefined();
  });
});
