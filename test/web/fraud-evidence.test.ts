import { describe, expect, test } from "vitest";
import { type ConversionFacts, evaluateIngestionRules } from "../../src/domain/fraud/evaluate-rules.js";
import { effectiveRules } from "../../src/domain/fraud/fraud-rules.js";
import { AD_NETWORK_NAMES } from "../../src/domain/tracking/ad-click.js";
import { AD_NETWORKS, describeEvidence, isKnownEvidenceField } from "../../web/src/admin/fraud-evidence.js";

/** Facts that trip every ingestion rule at once, so the evidence tested is what the rules really store. */
const facts: ConversionFacts = {
  kind: "sale",
  email: "buyer@mailinator.com",
  emailDomain: "mailinator.com",
  ipGiven: true,
  ipHash: "h-ip",
  deviceHash: "h-dev",
  userAgent: "python-requests/2.31.0",
  creditedPartnerIds: ["ptn_a"],
  clicks: [{ partnerId: "ptn_a", clickId: "clk_1", seconds: 4 }],
  partnerUsers: [{ partnerId: "ptn_a", email: "buyer@mailinator.com" }],
  partners: [{ partnerId: "ptn_a", website: null, contacts: [] }],
  identifiers: [{ partnerId: "ptn_a", kind: "ip" }],
  ipCount: 5,
  deviceCount: 5,
  duplicatePartners: ["ptn_b"],
  duplicateOrders: ["cnv_1"],
};

// What the sweep and confirmed reports store (run-fraud-sweep.ts, resolve-fraud-report.ts), field for field.
const sweepEvidence: Record<string, Record<string, unknown>> = {
  velocity_clicks: { detail: "x", clicksFromIp: 41, maxClicks: 20, clickWindowMinutes: 60 },
  cookie_burst: {
    signal: "burst",
    detail: "x",
    clicksWithoutReferrer: 140,
    clicksInWindow: 150,
    burstClicks: 100,
    burstMinutes: 10,
  },
  cookie_landing: {
    signal: "no_page_activity",
    detail: "x",
    redirectClicks: 400,
    landed: 12,
    landingRatio: 0.03,
    programLandingRatio: 0.61,
    minLandingRatio: 0.2,
  },
  click_spamming: {
    detail: "x",
    lateConversions: 9,
    conversions: 12,
    lateShare: 0.75,
    maxLateShare: 0.6,
    lateHours: 24,
  },
  conversion_rate_outlier: {
    detail: "x",
    clicks: 180,
    conversions: 40,
    rate: 0.22222,
    programMedianRate: 0.01234,
    zScore: 6.31,
    threshold: 3.5,
  },
  paid_search: {
    detail: "the partner link was opened from a Google Ads click (gclid) on 2026-11-20 14:03 UTC",
    adNetwork: "google_ads",
    adClickParam: "gclid",
    clickedAt: "2026-11-20T14:03:27.412Z",
    clickSource: "redirect",
    clickId: "clk_01JD",
  },
  manual_report: {
    reportId: "frp_1",
    kind: "trademark_bidding",
    detail: "x",
    urls: ["https://ads.example/1"],
    period: { from: "2026-11-01", to: "2026-11-15" },
  },
};

const values = (fields: { value: string | string[] }[]) => fields.flatMap((f) => f.value);

describe("fraud evidence in words", () => {
  const findings = evaluateIngestionRules(effectiveRules([]), facts);
  const all = [
    ...findings.map((f) => [f.rule, f.evidence] as const),
    ...Object.entries(sweepEvidence).map(([name, evidence]) => [name, evidence] as const),
  ];

  test("the ingestion rules all fire on these facts", () => {
    expect(new Set(findings.map((f) => f.rule))).toEqual(
      new Set([
        "self_referral",
        "duplicate_customer",
        "duplicate_order",
        "velocity",
        "click_injection",
        "disposable_email",
        "bot_user_agent",
      ]),
    );
  });

  test.each(all)("%s: every field has a label of its own and no value is JSON", (_rule, evidence) => {
    const { fields } = describeEvidence(evidence);
    expect(fields.length).toBeGreaterThan(0);
    for (const field of fields) {
      expect(field.label).not.toBe(field.key);
      expect(isKnownEvidenceField(field.key), field.key).toBe(true);
      expect(field.label).not.toMatch(/[a-z][A-Z]|_/);
      for (const line of values([field])) expect(line).not.toMatch(/[{}[\]"]/);
    }
  });

  test("units and shares are formatted", () => {
    const byKey = (evidence: Record<string, unknown>) =>
      Object.fromEntries(describeEvidence(evidence).fields.map((f) => [f.key, f.value]));
    const velocity = byKey(findings.find((f) => f.rule === "velocity")!.evidence);
    expect(velocity).toMatchObject({
      conversionsFromIp: "6",
      maxConversions: "3",
      windowMinutes: "24 hours",
      scope: "This partner's conversions",
    });
    expect(byKey(findings.find((f) => f.rule === "click_injection")!.evidence)).toMatchObject({
      secondsAfterClick: "4 seconds",
      minSeconds: "15 seconds",
    });
    expect(byKey(sweepEvidence.click_spamming!)).toMatchObject({ lateShare: "75%", maxLateShare: "60%" });
    expect(byKey(sweepEvidence.conversion_rate_outlier!)).toMatchObject({ rate: "22.22%", programMedianRate: "1.23%" });
    expect(byKey(sweepEvidence.cookie_landing!)).toMatchObject({ signal: "Clicks that never reached the site" });
    expect(byKey(sweepEvidence.manual_report!)).toMatchObject({
      kind: "Trademark bidding",
      period: "1 Nov 2026 – 15 Nov 2026",
    });
    expect(byKey(sweepEvidence.paid_search!)).toEqual({
      adNetwork: "Google Ads",
      adClickParam: "gclid",
      clickedAt: "20 Nov 2026, 14:03 UTC",
      clickSource: "The partner link",
      clickId: "clk_01JD",
    });
    expect(describeEvidence(sweepEvidence.paid_search!).detail).toBe(
      "The partner link was opened from a Google Ads click (gclid) on 2026-11-20 14:03 UTC",
    );
    expect(byKey({ clickSource: "snippet", adNetwork: "microsoft_ads" })).toEqual({
      clickSource: "A ?via= link to the site",
      adNetwork: "Microsoft Advertising",
    });
    expect(describeEvidence({ detail: "the session sent no user agent" }).detail).toBe(
      "The session sent no user agent",
    );
  });

  test("every ad network has the name the server gives it", () => {
    expect(AD_NETWORKS).toEqual(AD_NETWORK_NAMES);
  });

  test("a field added to a rule later still reads as words", () => {
    const { fields } = describeEvidence({ ipHash: "abc", nested: { windowMinutes: 5 }, flagged: true });
    expect(fields).toEqual([
      { key: "ipHash", label: "Ip hash", value: "abc" },
      { key: "nested", label: "Nested", value: ["Window minutes: 5"] },
      { key: "flagged", label: "Flagged", value: "Yes" },
    ]);
  });
});
