import { describe, expect, test } from "vitest";
import { payoutSchedules } from "../../db/schema/index.js";
import { defaultTaxFormExpiry, payableFrom, payoutCutoff, taxFormBlock } from "./payout-rules.js";

describe("payout eligibility cut-off", () => {
  test.each([
    ["monthly", "2026-03-02T10:00:00Z", "approved", "2026-03-01T00:00:00.000Z"],
    ["monthly", "2026-03-01T00:00:00Z", "approved", "2026-03-01T00:00:00.000Z"],
    ["monthly", "2026-02-28T23:59:59Z", "approved", "2026-02-01T00:00:00.000Z"],
    // NET-15: January (ended 1 Feb 00:00) is payable from 16 Feb 00:00.
    ["net_15", "2026-02-16T00:00:00Z", "earned", "2026-02-01T00:00:00.000Z"],
    ["net_15", "2026-02-15T23:59:59Z", "earned", "2026-01-01T00:00:00.000Z"],
    ["net_30", "2026-03-03T00:00:00Z", "earned", "2026-02-01T00:00:00.000Z"],
    ["net_30", "2026-03-02T23:59:59Z", "earned", "2026-01-01T00:00:00.000Z"],
    ["net_60", "2026-04-02T00:00:00Z", "earned", "2026-02-01T00:00:00.000Z"],
    ["net_60", "2026-04-01T23:59:59Z", "earned", "2026-01-01T00:00:00.000Z"],
    ["net_30", "2026-01-15T00:00:00Z", "earned", "2025-12-01T00:00:00.000Z"],
  ] as const)("%s at %s pays %s entries before %s", (schedule, asOf, basis, before) => {
    expect(payoutCutoff(schedule, new Date(asOf))).toEqual({ basis, before: new Date(before) });
  });
});

describe("when an entry becomes payable", () => {
  test.each([
    ["monthly", "2026-03-12T09:30:00Z", "2026-04-01T00:00:00.000Z"],
    ["monthly", "2026-12-31T23:59:59Z", "2027-01-01T00:00:00.000Z"],
    ["net_15", "2026-01-20T00:00:00Z", "2026-02-16T00:00:00.000Z"],
    ["net_30", "2026-01-01T00:00:00Z", "2026-03-03T00:00:00.000Z"],
    ["net_30", "2028-01-31T23:59:59Z", "2028-03-02T00:00:00.000Z"],
    ["net_60", "2026-01-15T00:00:00Z", "2026-04-02T00:00:00.000Z"],
  ] as const)("%s, dated %s: from %s", (schedule, dated, from) => {
    expect(payableFrom(schedule, new Date(dated))).toEqual(new Date(from));
  });

  // The inverse of the cut-off: a run at that instant pays the entry, one a millisecond earlier does not.
  test.each(payoutSchedules)("%s agrees with the payout cut-off", (schedule) => {
    for (const dated of [
      "2026-01-01T00:00:00Z",
      "2026-02-14T12:00:00Z",
      "2026-02-28T23:59:59.999Z",
      "2028-02-29T08:00:00Z",
    ]) {
      const at = new Date(dated);
      const from = payableFrom(schedule, at);
      expect(payoutCutoff(schedule, from).before.getTime()).toBeGreaterThan(at.getTime());
      expect(payoutCutoff(schedule, new Date(from.getTime() - 1)).before.getTime()).toBeLessThanOrEqual(at.getTime());
    }
  });
});

describe("tax form gate", () => {
  const at = new Date("2026-03-02T10:00:00Z");
  test("missing, lapsed, valid, not required", () => {
    expect(taxFormBlock(undefined, at)?.reason).toBe("tax_form_missing");
    expect(taxFormBlock({ form: "w8ben", validUntil: new Date("2026-01-01T00:00:00Z") }, at)).toMatchObject({
      reason: "tax_form_expired",
      message: expect.stringContaining("W-8BEN lapsed on 2026-01-01"),
    });
    expect(taxFormBlock({ form: "w8ben", validUntil: new Date("2027-01-01T00:00:00Z") }, at)).toBeNull();
    expect(taxFormBlock({ form: "w9", validUntil: null }, at)).toBeNull();
    expect(taxFormBlock({ form: "not_required", validUntil: null }, at)).toBeNull();
  });
  test("W-8 forms lapse at the end of the third calendar year after signing", () => {
    expect(defaultTaxFormExpiry("w8ben_e", at)).toEqual(new Date("2030-01-01T00:00:00Z"));
    expect(defaultTaxFormExpiry("w9", at)).toBeNull();
  });
});
