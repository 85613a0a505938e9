import { describe, expect, test } from "vitest";
import { attribute } from "./attribute.js";
import { daysBefore, input, touch } from "./attribution.fixtures.js";
import type { AttributionDecision, AttributionModel } from "./attribution.types.js";

type Case = [
  title: string,
  touches: [partnerId: string, daysBefore: number][],
  /** Per-touch bps, in input order. */
  weights: number[],
  /** Partner credits, largest first. */
  credits: [partnerId: string, bps: number][],
];

// Inputs are deliberately not in time order: the engine sorts them.
const cases: Record<AttributionModel, Case[]> = {
  first_click: [
    ["1 touch", [["ptn_a", 5]], [10_000], [["ptn_a", 10_000]]],
    [
      "2 touches",
      [
        ["ptn_b", 2],
        ["ptn_a", 5],
      ],
      [0, 10_000],
      [["ptn_a", 10_000]],
    ],
    [
      "3 touches",
      [
        ["ptn_a", 5],
        ["ptn_c", 1],
        ["ptn_b", 3],
      ],
      [10_000, 0, 0],
      [["ptn_a", 10_000]],
    ],
    [
      "5 touches",
      [
        ["ptn_b", 1],
        ["ptn_a", 9],
        ["ptn_c", 3],
        ["ptn_a", 7],
        ["ptn_d", 2],
      ],
      [0, 10_000, 0, 0, 0],
      [["ptn_a", 10_000]],
    ],
    [
      "same partner repeated",
      [
        ["ptn_a", 5],
        ["ptn_a", 1],
      ],
      [10_000, 0],
      [["ptn_a", 10_000]],
    ],
    [
      "a time tie goes to the earlier input",
      [
        ["ptn_a", 5],
        ["ptn_b", 5],
      ],
      [10_000, 0],
      [["ptn_a", 10_000]],
    ],
  ],
  last_click: [
    ["1 touch", [["ptn_a", 5]], [10_000], [["ptn_a", 10_000]]],
    [
      "2 touches",
      [
        ["ptn_b", 2],
        ["ptn_a", 5],
      ],
      [10_000, 0],
      [["ptn_b", 10_000]],
    ],
    [
      "3 touches",
      [
        ["ptn_a", 5],
        ["ptn_c", 1],
        ["ptn_b", 3],
      ],
      [0, 10_000, 0],
      [["ptn_c", 10_000]],
    ],
    [
      "5 touches",
      [
        ["ptn_b", 1],
        ["ptn_a", 9],
        ["ptn_c", 3],
        ["ptn_a", 7],
        ["ptn_d", 2],
      ],
      [10_000, 0, 0, 0, 0],
      [["ptn_b", 10_000]],
    ],
    [
      "same partner repeated",
      [
        ["ptn_a", 5],
        ["ptn_a", 1],
      ],
      [0, 10_000],
      [["ptn_a", 10_000]],
    ],
    [
      "a time tie goes to the later input",
      [
        ["ptn_a", 5],
        ["ptn_b", 5],
      ],
      [0, 10_000],
      [["ptn_b", 10_000]],
    ],
  ],
  linear: [
    ["1 touch", [["ptn_a", 5]], [10_000], [["ptn_a", 10_000]]],
    [
      "2 touches",
      [
        ["ptn_b", 2],
        ["ptn_a", 5],
      ],
      [5_000, 5_000],
      [
        ["ptn_a", 5_000],
        ["ptn_b", 5_000],
      ],
    ],
    [
      "3 touches: the spare bp goes to the earliest",
      [
        ["ptn_b", 3],
        ["ptn_c", 1],
        ["ptn_a", 5],
      ],
      [3_333, 3_333, 3_334],
      [
        ["ptn_a", 3_334],
        ["ptn_b", 3_333],
        ["ptn_c", 3_333],
      ],
    ],
    [
      "5 touches",
      [
        ["ptn_b", 1],
        ["ptn_a", 9],
        ["ptn_c", 3],
        ["ptn_a", 7],
        ["ptn_d", 2],
      ],
      [2_000, 2_000, 2_000, 2_000, 2_000],
      [
        ["ptn_a", 4_000],
        ["ptn_c", 2_000],
        ["ptn_d", 2_000],
        ["ptn_b", 2_000],
      ],
    ],
    [
      "6 touches: 4 spare bps to the 4 earliest",
      [
        ["ptn_a", 6],
        ["ptn_b", 5],
        ["ptn_c", 4],
        ["ptn_d", 3],
        ["ptn_e", 2],
        ["ptn_f", 1],
      ],
      [1_667, 1_667, 1_667, 1_667, 1_666, 1_666],
      [
        ["ptn_a", 1_667],
        ["ptn_b", 1_667],
        ["ptn_c", 1_667],
        ["ptn_d", 1_667],
        ["ptn_e", 1_666],
        ["ptn_f", 1_666],
      ],
    ],
    [
      "same partner repeated sums its touches",
      [
        ["ptn_a", 5],
        ["ptn_b", 3],
        ["ptn_a", 1],
      ],
      [3_334, 3_333, 3_333],
      [
        ["ptn_a", 6_667],
        ["ptn_b", 3_333],
      ],
    ],
    [
      "one partner only",
      [
        ["ptn_a", 5],
        ["ptn_a", 3],
        ["ptn_a", 1],
      ],
      [3_334, 3_333, 3_333],
      [["ptn_a", 10_000]],
    ],
  ],
  position_based: [
    ["1 touch", [["ptn_a", 5]], [10_000], [["ptn_a", 10_000]]],
    [
      "2 touches",
      [
        ["ptn_b", 2],
        ["ptn_a", 5],
      ],
      [5_000, 5_000],
      [
        ["ptn_a", 5_000],
        ["ptn_b", 5_000],
      ],
    ],
    [
      "3 touches",
      [
        ["ptn_b", 3],
        ["ptn_c", 1],
        ["ptn_a", 5],
      ],
      [2_000, 4_000, 4_000],
      [
        ["ptn_a", 4_000],
        ["ptn_c", 4_000],
        ["ptn_b", 2_000],
      ],
    ],
    [
      "4 touches",
      [
        ["ptn_a", 4],
        ["ptn_b", 3],
        ["ptn_c", 2],
        ["ptn_d", 1],
      ],
      [4_000, 1_000, 1_000, 4_000],
      [
        ["ptn_a", 4_000],
        ["ptn_d", 4_000],
        ["ptn_b", 1_000],
        ["ptn_c", 1_000],
      ],
    ],
    [
      "5 touches: the middle shares 20% with spare bps to the earliest middles",
      [
        ["ptn_b", 1],
        ["ptn_a", 9],
        ["ptn_c", 3],
        ["ptn_a", 7],
        ["ptn_d", 2],
      ],
      [4_000, 4_000, 667, 667, 666],
      [
        ["ptn_a", 4_667],
        ["ptn_b", 4_000],
        ["ptn_c", 667],
        ["ptn_d", 666],
      ],
    ],
    [
      "same partner repeated at both ends",
      [
        ["ptn_a", 9],
        ["ptn_b", 5],
        ["ptn_a", 1],
      ],
      [4_000, 2_000, 4_000],
      [
        ["ptn_a", 8_000],
        ["ptn_b", 2_000],
      ],
    ],
  ],
  time_decay: [
    ["1 touch", [["ptn_a", 5]], [10_000], [["ptn_a", 10_000]]],
    [
      "2 touches, one half-life apart",
      [
        ["ptn_a", 7],
        ["ptn_b", 0],
      ],
      [3_333, 6_667],
      [
        ["ptn_b", 6_667],
        ["ptn_a", 3_333],
      ],
    ],
    [
      "only the gap matters, not the age",
      [
        ["ptn_a", 10],
        ["ptn_b", 3],
      ],
      [3_333, 6_667],
      [
        ["ptn_b", 6_667],
        ["ptn_a", 3_333],
      ],
    ],
    [
      "3 touches, 1 : 2 : 4",
      [
        ["ptn_b", 7],
        ["ptn_c", 0],
        ["ptn_a", 14],
      ],
      [2_857, 5_714, 1_429],
      [
        ["ptn_c", 5_714],
        ["ptn_b", 2_857],
        ["ptn_a", 1_429],
      ],
    ],
    [
      "5 touches, 1 : 2 : 4 : 8 : 16",
      [
        ["ptn_c", 14],
        ["ptn_e", 0],
        ["ptn_a", 28],
        ["ptn_d", 7],
        ["ptn_b", 21],
      ],
      [1_290, 5_161, 323, 2_581, 645],
      [
        ["ptn_e", 5_161],
        ["ptn_d", 2_581],
        ["ptn_c", 1_290],
        ["ptn_b", 645],
        ["ptn_a", 323],
      ],
    ],
    [
      "same partner repeated",
      [
        ["ptn_a", 7],
        ["ptn_b", 7],
        ["ptn_a", 0],
      ],
      [2_500, 2_500, 5_000],
      [
        ["ptn_a", 7_500],
        ["ptn_b", 2_500],
      ],
    ],
    [
      "equal ages split evenly",
      [
        ["ptn_a", 3],
        ["ptn_b", 3],
      ],
      [5_000, 5_000],
      [
        ["ptn_a", 5_000],
        ["ptn_b", 5_000],
      ],
    ],
  ],
};

const credited = (decision: AttributionDecision) => {
  if (!decision.attributed) throw new Error(`expected an attribution, got ${decision.summary}`);
  return decision;
};

describe.each(Object.entries(cases) as [AttributionModel, Case[]][])("%s", (model, modelCases) => {
  test.each(modelCases)("%s", (_, spec, weights, credits) => {
    const touchpoints = spec.map(([partnerId, days]) => touch(partnerId, days, { enrollmentId: `enr_${partnerId}` }));
    const decision = credited(attribute(input({ model, touchpoints })));

    expect(decision.model).toBe(model);
    expect(decision.considered.map((c) => c.weightBps)).toEqual(weights);
    expect(decision.considered.every((c) => c.included && c.reason === undefined && c.explanation)).toBe(true);
    expect(decision.credits).toEqual(
      credits.map(([partnerId, weightBps]) => ({ partnerId, enrollmentId: `enr_${partnerId}`, weightBps })),
    );
    expect(decision.credits.reduce((sum, c) => sum + c.weightBps, 0)).toBe(10_000);
  });
});

describe("model details", () => {
  test("a touch too many half-lives old keeps 0 bps and gets no credit line", () => {
    const touchpoints = [touch("ptn_old", 300), touch("ptn_new", 200)];
    const decision = credited(
      attribute(input({ model: "time_decay", timeDecayHalfLifeDays: 1, windowDays: 365, touchpoints })),
    );
    expect(decision.considered.map((c) => [c.included, c.weightBps])).toEqual([
      [true, 0],
      [true, 10_000],
    ]);
    expect(decision.credits).toEqual([{ partnerId: "ptn_new", weightBps: 10_000 }]);
  });

  test("half-life and window in fractions of a day", () => {
    const touchpoints = [touch("ptn_a", 0.5), touch("ptn_b", 0.25)];
    const decision = credited(
      attribute(input({ model: "time_decay", timeDecayHalfLifeDays: 0.25, windowDays: 0.5, touchpoints })),
    );
    expect(decision.credits).toEqual([
      { partnerId: "ptn_b", weightBps: 6_667 },
      { partnerId: "ptn_a", weightBps: 3_333 },
    ]);
  });

  test("a partner's enrollmentId comes from its earliest touch that has one", () => {
    const touchpoints = [
      touch("ptn_a", 1, { enrollmentId: "enr_late" }),
      touch("ptn_a", 5),
      touch("ptn_a", 3, { enrollmentId: "enr_early" }),
    ];
    const decision = credited(attribute(input({ model: "linear", touchpoints })));
    expect(decision.credits).toEqual([{ partnerId: "ptn_a", enrollmentId: "enr_early", weightBps: 10_000 }]);
  });

  test("the half-life is only checked when time decay uses it", () => {
    expect(() => attribute(input({ model: "linear", timeDecayHalfLifeDays: 0 }))).not.toThrow();
    expect(() => attribute(input({ model: "time_decay", timeDecayHalfLifeDays: 0 }))).toThrow("timeDecayHalfLifeDays");
    expect(() => attribute(input({ model: "time_decay", timeDecayHalfLifeDays: -7 }))).toThrow("timeDecayHalfLifeDays");
  });

  test.each([0, -1, Number.NaN, Number.POSITIVE_INFINITY])("windowDays %s is malformed input", (windowDays) => {
    expect(() => attribute(input({ windowDays }))).toThrow("windowDays");
  });

  test("invalid dates and unknown models are malformed input", () => {
    expect(() => attribute(input({ conversionAt: new Date("nope") }))).toThrow("conversionAt");
    expect(() => attribute(input({ touchpoints: [touch("ptn_a", 1, { at: new Date(Number.NaN) })] }))).toThrow(
      "touchpoints[0].at",
    );
    expect(() => attribute(input({ model: "u_shaped" as AttributionModel }))).toThrow("unknown attribution model");
  });

  test("explanations say what each touch got and why", () => {
    const touchpoints = [touch("ptn_a", 9), touch("ptn_b", 5), touch("ptn_c", 3), touch("ptn_a", 0)];
    const decision = credited(attribute(input({ model: "position_based", touchpoints })));
    expect(decision.considered.map((c) => c.explanation)).toEqual([
      "ptn_a, clicked 9 days before the sale: position-based, first touch → 40%",
      "ptn_b, clicked 5 days before the sale: position-based, one of 2 middle touches sharing 20% → 10%",
      "ptn_c, clicked 3 days before the sale: position-based, one of 2 middle touches sharing 20% → 10%",
      "ptn_a, clicked at the moment of the sale: position-based, last touch → 40%",
    ]);
    expect(decision.summary).toBe(
      "position-based 40/20/40 over 4 touches: 80% to ptn_a (2 touches), 10% to ptn_b (1 touch), 10% to ptn_c (1 touch)",
    );
  });

  // 1.5 half-lives apart: 1 : 2^1.5 ≈ 1 : 2.828, so 26.12% / 73.88%.
  test("time decay explains the age in half-lives", () => {
    const touchpoints = [touch("ptn_a", 14), touch("ptn_b", 3.5)];
    const decision = credited(attribute(input({ model: "time_decay", touchpoints })));
    expect(decision.considered.map((c) => c.explanation)).toEqual([
      "ptn_a, clicked 14 days before the sale: time decay, 2 half-lives old → 26.12%",
      "ptn_b, clicked 3 days 12 hours before the sale: time decay, 0.5 half-lives old → 73.88%",
    ]);
    expect(decision.summary).toBe(
      "time decay (half-life 7 days) over 2 touches: 73.88% to ptn_b (1 touch), 26.12% to ptn_a (1 touch)",
    );
  });

  test("the summary names the deciding click and what was left out", () => {
    const touchpoints = [
      touch("ptn_y", 8),
      touch("ptn_x", 3),
      touch("ptn_z", 31),
      touch("ptn_w", 1, { programId: "prg_other" }),
    ];
    const decision = credited(attribute(input({ model: "last_click", touchpoints })));
    expect(decision.summary).toBe(
      `last click: 100% to ptn_x (click at ${daysBefore(3).toISOString()}, 3 days before the sale; 1 other valid touch got no credit); 2 touches excluded: 1 outside the 30-day window, 1 other program`,
    );
    expect(decision.considered[0]!.explanation).toBe("ptn_y, clicked 8 days before the sale: not the last click → 0%");
  });

  test("without a conversion kind the wording says conversion", () => {
    const decision = attribute(input({ conversionKind: undefined, touchpoints: [touch("ptn_a", 2)] }));
    expect(decision.summary).toBe(
      `last click: 100% to ptn_a (click at ${daysBefore(2).toISOString()}, 2 days before the conversion)`,
    );
  });
});
