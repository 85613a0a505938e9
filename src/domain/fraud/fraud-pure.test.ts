import { createHash } from "node:crypto";
import { describe, expect, test } from "vitest";
import { newDeviceId, validDeviceId } from "../tracking/device-cookie.js";
import { emailDomain, isDisposableDomain, isFreeMailDomain, websiteHost } from "./email-domains.js";
import { hashBrowserDevice, hashIp, normalizeIp } from "./fingerprint.js";
import { effectiveRules, thresholdErrors } from "./fraud-rules.js";
import { countedNetworks, paidSearchDetail } from "./paid-search.js";
import { robustZ } from "./run-fraud-sweep.js";

describe("IP normalisation and hashing", () => {
  test.each([
    ["203.0.113.7", "203.0.113.7"],
    [" 203.0.113.7 ", "203.0.113.7"],
    ["::ffff:198.51.100.4", "198.51.100.4"],
    ["2001:db8:1:2::1", "2001:db8:1:2::/64"],
    ["2001:0DB8:0001:0002:ffff:0:0:9", "2001:db8:1:2::/64"],
    ["::1", "0:0:0:0::/64"],
    ["not-an-ip", undefined],
  ])("%s → %s", (ip, want) => expect(normalizeIp(ip)).toBe(want));

  test("the hash is keyed and does not depend on the day", () => {
    const key = Buffer.alloc(32, 1);
    expect(hashIp(key, "203.0.113.7")).toBe(hashIp(key, " 203.0.113.7"));
    expect(hashIp(key, "203.0.113.7")).not.toBe(hashIp(Buffer.alloc(32, 2), "203.0.113.7"));
    expect(hashIp(key, "2001:db8:1:2::1")).toBe(hashIp(key, "2001:db8:1:2:aaaa::5"));
    expect(hashIp(key, "203.0.113.7")).toHaveLength(22);
  });
});

describe("browser device ids", () => {
  test("the hash is SHA-256 of key, 'browser:' and the id, for ids of any length, one after another", () => {
    const reference = (key: Buffer, id: string) =>
      createHash("sha256").update(key).update(`browser:${id}`).digest("base64url").slice(0, 22);
    const keys = [Buffer.alloc(32, 1), Buffer.alloc(48, 2)];
    const ids = [newDeviceId(), "4924056ae9d14022b7397593c6635fa3", "x".repeat(64), "ü".repeat(300), "short"];
    for (const key of keys) for (const id of ids) expect(hashBrowserDevice(key, id)).toBe(reference(key, id));
  });

  test("new ids are 22 base64url characters, valid as cookies, and never repeat", () => {
    const ids = Array.from({ length: 10_000 }, newDeviceId);
    for (const id of ids.slice(0, 100)) {
      expect(id).toMatch(/^[A-Za-z0-9_-]{22}$/);
      expect(validDeviceId(id)).toBe(id);
    }
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe("email domains", () => {
  test("disposable providers come from the maintained list, subdomains included", () => {
    expect(isDisposableDomain("mailinator.com")).toBe(true);
    expect(isDisposableDomain("x.mailinator.com")).toBe(true);
    expect(isDisposableDomain("acme-industries.example")).toBe(false);
  });
  test("free-mail providers are recognised, company domains are not", () => {
    expect(isFreeMailDomain("gmail.com")).toBe(true);
    expect(isFreeMailDomain("outlook.com")).toBe(true);
    expect(isFreeMailDomain("acme-industries.example")).toBe(false);
  });
  test("domains of addresses and websites", () => {
    expect(emailDomain("Ann@Example.COM")).toBe("example.com");
    expect(emailDomain("nobody")).toBeUndefined();
    expect(websiteHost("https://www.partner.example/blog")).toBe("partner.example");
    expect(websiteHost("partner.example")).toBe("partner.example");
    expect(websiteHost(null)).toBeUndefined();
  });
});

describe("rule settings", () => {
  test("defaults apply where a program saved nothing; saved values win; unknown saved keys are ignored", () => {
    const rules = effectiveRules([
      { rule: "velocity", enabled: false, action: "flag", thresholds: { maxConversions: 9, retired: 1 } },
    ]);
    expect(rules.velocity).toMatchObject({
      enabled: false,
      action: "flag",
      customized: true,
      thresholds: { maxConversions: 9, windowMinutes: 1440 },
    });
    expect(rules.velocity.thresholds).not.toHaveProperty("retired");
    expect(rules.click_injection).toMatchObject({ enabled: true, action: "hold", thresholds: { minSeconds: 15 } });
  });
  test("threshold errors name the field and say what is allowed", () => {
    expect(thresholdErrors("velocity", { maxConversions: 0, scope: "world", byIp: "yes", extra: 1 })).toEqual([
      { field: "/thresholds/maxConversions", message: "must be a whole number from 1 to 100000" },
      { field: "/thresholds/scope", message: "must be one of: partner, program" },
      { field: "/thresholds/byIp", message: "must be true or false" },
      { field: "/thresholds/extra", message: expect.stringContaining("is not a threshold of velocity") },
    ]);
    expect(thresholdErrors("click_spamming", { maxLateShare: 1.5 })).toEqual([
      { field: "/thresholds/maxLateShare", message: "must be a number from 0 to 1" },
    ]);
    expect(thresholdErrors("disposable_email", { x: 1 })[0]!.message).toBe(
      "is not a threshold: disposable_email has none",
    );
  });
});

describe("paid search", () => {
  test("flags by default, counting every network; a program can leave networks out", () => {
    const defaults = effectiveRules([]);
    expect(defaults.paid_search).toMatchObject({ enabled: true, action: "flag" });
    expect(countedNetworks(defaults)).toEqual([
      "google_ads",
      "microsoft_ads",
      "google_display",
      "yandex_or_yahoo_japan",
    ]);
    const saved = effectiveRules([
      {
        rule: "paid_search",
        enabled: true,
        action: "hold",
        thresholds: { googleDisplay: false, yandexOrYahooJapan: false },
      },
    ]);
    expect(countedNetworks(saved)).toEqual(["google_ads", "microsoft_ads"]);
    expect(thresholdErrors("paid_search", { googleAds: "yes", facebook: true })).toEqual([
      { field: "/thresholds/googleAds", message: "must be true or false" },
      { field: "/thresholds/facebook", message: expect.stringContaining("is not a threshold of paid_search") },
    ]);
  });

  test("the evidence sentence says which link, which network and parameter, and when in UTC", () => {
    const click = { clickId: "clk_1", clickedAt: "2026-11-20T14:03:59.999Z", adNetwork: "google_ads" as const };
    expect(paidSearchDetail({ ...click, source: "redirect", adClickParam: "gclid" })).toBe(
      "the partner link was opened from a Google Ads click (gclid) on 2026-11-20 14:03 UTC",
    );
    expect(paidSearchDetail({ ...click, source: "snippet", adClickParam: null, adNetwork: "microsoft_ads" })).toBe(
      "the page of the ?via= click was opened from a Microsoft Advertising click on 2026-11-20 14:03 UTC",
    );
  });
});

describe("robust z-scores", () => {
  test("median and MAD; the outlier does not widen the yardstick", () => {
    const scored = robustZ([1, 2, 3, 4, 100])!;
    expect(scored.median).toBe(3);
    expect(scored.z[4]).toBeCloseTo((0.6745 * 97) / 1, 5);
    expect(scored.z[2]).toBe(0);
  });
  test("a zero MAD falls back to the mean absolute deviation; all equal is undefined", () => {
    const scored = robustZ([1, 1, 1, 1, 5])!;
    expect(scored.z[4]).toBeCloseTo(4 / (1.2533 * 0.8), 5);
    expect(robustZ([2, 2, 2])).toBeUndefined();
  });
});
