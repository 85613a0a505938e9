import { expect, test } from "vitest";
import { readableSummary } from "../../web/src/admin/readable-summary.js";

test("an engine sentence reads with names, and money as the pages write it", () => {
  const names: Record<string, string> = { ptn_ada: "Ada Media" };
  const named = (id: string) => names[id] ?? "…";
  expect(readableSummary("refunded USD 49.50 of a USD 129.00 sale, -USD 10.00 back from ptn_ada", named)).toBe(
    "Refunded $49.50 of a $129.00 sale, -$10.00 back from Ada Media",
  );
  // An unknown partner keeps its id; three capitals that are no amount stay.
  expect(readableSummary("last click: ptn_bob, VIP 100", named)).toBe("Last click: ptn_bob, VIP 100");
});
