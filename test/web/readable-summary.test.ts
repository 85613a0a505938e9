import { expect, test } from "vitest";
import { readableSummary } from "../../web/src/admin/readable-summary.js";

test("an engine sentence (partners and programs named by the server) reads with money as the pages write it", () => {
  expect(readableSummary("refunded USD 49.50 of a USD 129.00 sale, back from Ada Media")).toBe(
    "Refunded $49.50 of a $129.00 sale, back from Ada Media",
  );
  // Three capitals that are no amount stay.
  expect(readableSummary("belongs to program Shop Affiliates, not Outlet; VIP 100")).toBe(
    "Belongs to program Shop Affiliates, not Outlet; VIP 100",
  );
});

test("names from the server are not looked up again: a name that reads like an id, or an id nothing has, stays", () => {
  expect(readableSummary("belongs to program prg_gone, not prg_launch 2026")).toBe(
    "Belongs to program prg_gone, not prg_launch 2026",
  );
});
