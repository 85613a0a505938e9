import { describe, expect, test } from "vitest";
import type { FraudRule } from "../../src/db/schema/index.js";
import { effectiveRules, ruleCatalog } from "../../src/domain/fraud/fraud-rules.js";
import { toFraudRuleView } from "../../src/domain/fraud/list-fraud-rules.js";
import { changeOf, describeChanges, draftOf, type FraudRuleView } from "../../web/src/admin/fraud-rule-draft.js";
import {
  fieldLabel,
  fieldUnit,
  formatThreshold,
  hasWords,
  rangeText,
  ruleName,
  ruleRuns,
  thresholdMessage,
} from "../../web/src/admin/fraud-rule-labels.js";

/** The rules as GET /v1/programs/:id/fraud-rules gives them with nothing saved: the catalog through the API's view. */
const views = Object.values(effectiveRules([])).map((r) => toFraudRuleView(r, undefined) as FraudRuleView);
const view = (rule: FraudRule) => structuredClone(views.find((v) => v.rule === rule)!);
const field = (rule: FraudRule, key: string) => view(rule).fields.find((f) => f.key === key)!;

describe("fraud rules in words", () => {
  test.each(Object.keys(ruleCatalog))("%s: its name and every threshold's label and unit are written", (rule) => {
    // A rule added to the catalog shows with words made from its keys; this says which words to add.
    expect(hasWords(rule), `add ${rule} to fraud-rule-labels.ts`).toBe(true);
    for (const f of view(rule as FraudRule).fields) {
      expect(hasWords(rule, f.key), `${rule}.${f.key}`).toBe(true);
      if (f.type === "integer") expect(fieldUnit(rule, f), `${rule}.${f.key} needs a unit`).toBeDefined();
    }
  });

  test("a rule or threshold nothing names yet still reads as words", () => {
    expect(ruleName("brand_new_rule")).toBe("Brand new rule");
    expect(fieldLabel("brand_new_rule", "maxLateShare")).toBe("Max late share");
    expect(fieldUnit("brand_new_rule", { key: "holdDays", type: "integer", description: "" })).toBe("days");
    expect(fieldUnit("brand_new_rule", { key: "minShare", type: "number", description: "" })).toBe("percent");
    expect(ruleRuns("brand_new_rule", "sweep")).toBe("In the sweep, every 30 minutes");
  });

  test("values in their units: time, percentages, choices, booleans", () => {
    expect(formatThreshold("velocity", field("velocity", "windowMinutes"), 1_440)).toBe("1,440 minutes (24 hours)");
    expect(formatThreshold("velocity", field("velocity", "windowMinutes"), 2_880)).toBe("2,880 minutes (2 days)");
    expect(formatThreshold("duplicate_order", field("duplicate_order", "windowMinutes"), 1)).toBe("1 minute");
    expect(formatThreshold("click_spamming", field("click_spamming", "maxLateShare"), 0.6)).toBe("60%");
    expect(formatThreshold("click_spamming", field("click_spamming", "lateHours"), 48)).toBe("48 hours (2 days)");
    expect(formatThreshold("velocity", field("velocity", "scope"), "program")).toBe("anyone in the program");
    expect(formatThreshold("velocity", field("velocity", "byIp"), false)).toBe("off");
    expect(rangeText("cookie_stuffing", field("cookie_stuffing", "minLandingRatio"))).toBe("0% to 100%");
    expect(rangeText("click_injection", field("click_injection", "minSeconds"))).toBe("1 to 3,600");
  });

  test("a share is typed as a percentage and sent as a share; only what changed is sent", () => {
    const spamming = view("click_spamming");
    const draft = draftOf(spamming);
    expect(draft.values.maxLateShare).toBe("60");
    expect(changeOf(spamming, draft)).toBeUndefined();
    expect(changeOf(spamming, { ...draft, values: { ...draft.values, maxLateShare: "7" } })).toEqual({
      thresholds: { maxLateShare: 0.07 },
    });
    spamming.thresholds.maxLateShare = 0.07;
    expect(draftOf(spamming).values.maxLateShare).toBe("7");
    // A blank or unreadable number is sent as null, for the server to name the field.
    expect(changeOf(spamming, { ...draft, action: "reject", values: { ...draft.values, lateHours: " " } })).toEqual({
      action: "reject",
      thresholds: { lateHours: null, maxLateShare: 0.6 },
    });
    expect(
      thresholdMessage("click_spamming", field("click_spamming", "maxLateShare"), "must be a number from 0 to 1"),
    ).toBe("Enter a percentage from 0% to 100%");
    expect(
      thresholdMessage(
        "click_injection",
        field("click_injection", "minSeconds"),
        "must be a whole number from 1 to 3600",
      ),
    ).toBe("Must be a whole number from 1 to 3600");
  });

  test("a save says what changed, in words and units", () => {
    const before = view("velocity");
    const after = {
      ...before,
      enabled: false,
      action: "reject" as const,
      thresholds: { ...before.thresholds, windowMinutes: 2_880, byDevice: false, scope: "program" },
    };
    expect(describeChanges(before, after)).toEqual([
      "Turned off",
      "Action: hold for review → reject",
      "Conversion window: 1,440 minutes (24 hours) → 2,880 minutes (2 days)",
      "Count the conversions credited to: the same partner → anyone in the program",
      "Count by device id: on → off",
    ]);
  });
});
