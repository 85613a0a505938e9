import { expect, test } from "vitest";
import { readableSummary } from "../../web/src/admin/readable-summary.js";

test("an engine sentence (partners named by the server) reads with program names, and money as the pages write it", () => {
  const names: Record<string, string> = { prg_shop: "Shop Affiliates" };
  const programName = (id: string) => names[id];
  expect(readableSummary("refunded USD 49.50 of a USD 129.00 sale, back from Ada Media", programName)).toBe(
    "Refunded $49.50 of a $129.00 sale, back from Ada Media",
  );
  // An unknown program keeps its id; three capitals that are no amount stay.
  expect(readableSummary("belongs to program prg_gone, not prg_shop; VIP 100", programName)).toBe(
    "Belongs to program prg_gone, not Shop Affiliates; VIP 100",
  );
});
