import { type Static, type TObject, type TSchema, Type } from "typebox";
import { Value } from "typebox/value";
import type { FraudAction, FraudRule } from "../../db/schema/index.js";

const Bool = (description: string) => Type.Boolean({ description });
const Int = (minimum: number, maximum: number, description: string) => Type.Integer({ minimum, maximum, description });
const Share = (description: string) => Type.Number({ minimum: 0, maximum: 1, description });

/**
 * Each rule's thresholds. Every field is optional in a program's settings: what a program leaves out takes the
 * default below. `when` says whether the rule runs on each conversion (ingestion) or in the periodic sweep.
 */
export const ruleCatalog = {
  self_referral: {
    when: "ingestion",
    description:
      "the customer's email, email domain (free-mail providers ignored), IP or device matches the credited partner's own: its portal users, contacts, website, payout email, portal sign-in IPs, or a browser its users sign in to the portal with (Tributary's device cookie) followed the credited click",
    action: "hold",
    thresholds: Type.Object(
      {
        matchEmail: Bool("compare the customer's email with the partner's users, contacts and payout email"),
        matchDomain: Bool("compare the customer's email domain with the partner's users', contacts' and website's"),
        matchIp: Bool("compare the converting session's IP with the IPs the partner's users signed in from"),
        matchDevice: Bool(
          "compare the browser that made the credited click with the browsers the partner's users signed in with",
        ),
      },
      { additionalProperties: false },
    ),
    defaults: { matchEmail: true, matchDomain: true, matchIp: true, matchDevice: true },
  },
  duplicate_customer: {
    when: "ingestion",
    description:
      "the customer's email already belongs to another customer of the program credited to a different partner",
    action: "flag",
    thresholds: Type.Object({}, { additionalProperties: false }),
    defaults: {},
  },
  duplicate_order: {
    when: "ingestion",
    description: "another sale for the same customer, amount and currency within the window (a re-sent order)",
    action: "hold",
    thresholds: Type.Object(
      { windowMinutes: Int(1, 10_080, "how close two sales must be to count as duplicates") },
      { additionalProperties: false },
    ),
    defaults: { windowMinutes: 10 },
  },
  velocity: {
    when: "ingestion",
    description:
      "more than maxConversions conversions from one IP or one device in the window (checked again by the sweep once the window has passed, counting the whole cluster), or the credited click's IP sent the partner more than maxClicks clicks within clickWindowMinutes (sweep)",
    action: "hold",
    thresholds: Type.Object(
      {
        maxConversions: Int(1, 100_000, "conversions allowed from one IP or device in the window"),
        windowMinutes: Int(1, 43_200, "the window"),
        scope: Type.Union([Type.Literal("partner"), Type.Literal("program")], {
          description: "count conversions credited to the same partner (default), or any in the program",
        }),
        byIp: Bool("count by IP"),
        byDevice: Bool("count by device id"),
        maxClicks: Int(2, 1_000_000, "clicks one IP may send a partner within clickWindowMinutes"),
        clickWindowMinutes: Int(
          1,
          1_440,
          "the click window (click IPs are hashed per UTC day: it does not cross midnight)",
        ),
      },
      { additionalProperties: false },
    ),
    defaults: {
      maxConversions: 3,
      windowMinutes: 1_440,
      scope: "partner",
      byIp: true,
      byDevice: true,
      maxClicks: 20,
      clickWindowMinutes: 60,
    },
  },
  click_injection: {
    when: "ingestion",
    description: "the conversion came less than minSeconds after the credited click",
    action: "hold",
    thresholds: Type.Object(
      { minSeconds: Int(1, 3_600, "the shortest believable click-to-conversion time") },
      { additionalProperties: false },
    ),
    defaults: { minSeconds: 15 },
  },
  click_spamming: {
    when: "sweep",
    description:
      "more than maxLateShare of the customers a partner brought through a click in the lookback first converted more than lateHours after it",
    action: "hold",
    thresholds: Type.Object(
      {
        lateHours: Int(1, 720, "a conversion this long after its click is late"),
        maxLateShare: Share("the share of late conversions a partner may have"),
        minConversions: Int(1, 100_000, "partners with fewer first conversions in the lookback are not judged"),
        lookbackDays: Int(1, 365, "how far back the sweep looks"),
      },
      { additionalProperties: false },
    ),
    defaults: { lateHours: 24, maxLateShare: 0.6, minConversions: 10, lookbackDays: 30 },
  },
  disposable_email: {
    when: "ingestion",
    description: "the customer's email domain is a disposable-address provider (the disposable-email-domains list)",
    action: "flag",
    thresholds: Type.Object({}, { additionalProperties: false }),
    defaults: {},
  },
  bot_user_agent: {
    when: "ingestion",
    description: "the converting session's user agent is a bot (isbot), or it had none",
    action: "hold",
    thresholds: Type.Object(
      { missingIsBot: Bool("a conversion sent with an ip but no (or an empty) userAgent counts as a bot") },
      { additionalProperties: false },
    ),
    defaults: { missingIsBot: true },
  },
  cookie_stuffing: {
    when: "sweep",
    description:
      "the credited click sits in a burst of at least burstClicks clicks without a referrer from the same partner within burstMinutes, or the partner's redirect clicks mostly never reached a page with the site snippet",
    action: "hold",
    thresholds: Type.Object(
      {
        burstClicks: Int(2, 1_000_000, "clicks without a referrer that make a burst"),
        burstMinutes: Int(1, 1_440, "the burst window"),
        minLandingRatio: Share(
          "a partner whose redirect clicks reach a page with the snippet less often than this is suspect",
        ),
        minClicks: Int(1, 10_000_000, "partners with fewer redirect clicks in the lookback are not judged on landings"),
        lookbackDays: Int(1, 90, "how far back the sweep looks"),
      },
      { additionalProperties: false },
    ),
    defaults: { burstClicks: 100, burstMinutes: 10, minLandingRatio: 0.2, minClicks: 200, lookbackDays: 7 },
  },
  conversion_rate_outlier: {
    when: "sweep",
    description:
      "a partner's conversion rate (conversions per click) is above the program's by more than zScore robust standard deviations (median and MAD of the partners' log rates)",
    action: "flag",
    thresholds: Type.Object(
      {
        zScore: Type.Number({ minimum: 1, maximum: 100, description: "robust z-score threshold" }),
        minClicks: Int(1, 10_000_000, "partners with fewer clicks in the lookback are not judged"),
        minPartners: Int(3, 100_000, "programs with fewer judged partners are not judged"),
        lookbackDays: Int(1, 365, "how far back the sweep looks"),
      },
      { additionalProperties: false },
    ),
    defaults: { zScore: 3.5, minClicks: 100, minPartners: 10, lookbackDays: 30 },
  },
  paid_search: {
    when: "sweep",
    description:
      "the credited click came from a paid ad that pointed straight at the partner's link (direct linking, as in bidding on the brand): the link, or the page of a ?via= click, was opened with an ad network's click id",
    action: "flag",
    thresholds: Type.Object(
      {
        googleAds: Bool("count Google Ads clicks (gclid, gbraid, wbraid, gad_source)"),
        microsoftAds: Bool("count Microsoft Advertising clicks (msclkid), also its ads on Yahoo, AOL and DuckDuckGo"),
        googleDisplay: Bool("count Display & Video 360 and Campaign Manager 360 clicks (dclid)"),
        yandexOrYahooJapan: Bool("count Yandex Direct and Yahoo! JAPAN Ads clicks (yclid)"),
      },
      { additionalProperties: false },
    ),
    defaults: { googleAds: true, microsoftAds: true, googleDisplay: true, yandexOrYahooJapan: true },
  },
  manual_report: {
    when: "report",
    description:
      "a confirmed report (trademark bidding, brand misuse) holds or rejects the partner's conversions of the reported period",
    action: "hold",
    thresholds: Type.Object({}, { additionalProperties: false }),
    defaults: {},
  },
} as const satisfies Record<
  FraudRule,
  {
    when: "ingestion" | "sweep" | "report";
    description: string;
    action: FraudAction;
    thresholds: TObject;
    defaults: Record<string, number | boolean | string>;
  }
>;

export type RuleThresholds<R extends FraudRule> = Static<(typeof ruleCatalog)[R]["thresholds"]>;

export interface EffectiveRule<R extends FraudRule = FraudRule> {
  rule: R;
  enabled: boolean;
  action: FraudAction;
  thresholds: Required<RuleThresholds<R>>;
  /** True when the program has saved settings for the rule. */
  customized: boolean;
}

export type RuleSet = { [R in FraudRule]: EffectiveRule<R> };

export interface StoredRuleSetting {
  rule: string;
  enabled: boolean;
  action: string;
  thresholds: Record<string, unknown>;
}

// Own keys only: `in` would also find "constructor" or "toString" on every object's prototype.
const isRule = (rule: string): rule is FraudRule => Object.hasOwn(ruleCatalog, rule);

/** Defaults overlaid with what the program saved. Unknown saved keys (from an older version) are ignored. */
export function effectiveRules(stored: StoredRuleSetting[]): RuleSet {
  const byRule = new Map(stored.filter((s) => isRule(s.rule)).map((s) => [s.rule as FraudRule, s]));
  const out = {} as Record<FraudRule, EffectiveRule>;
  for (const rule of Object.keys(ruleCatalog) as FraudRule[]) {
    const entry = ruleCatalog[rule];
    const saved = byRule.get(rule);
    const thresholds: Record<string, unknown> = { ...entry.defaults };
    for (const [key, value] of Object.entries(saved?.thresholds ?? {}))
      if (Object.hasOwn(entry.defaults, key)) thresholds[key] = value;
    out[rule] = {
      rule,
      enabled: saved ? saved.enabled : true,
      action: (saved?.action as FraudAction | undefined) ?? entry.action,
      thresholds: thresholds as EffectiveRule["thresholds"],
      customized: saved !== undefined,
    };
  }
  return out as RuleSet;
}

type ThresholdSchema = TSchema & {
  type?: string;
  minimum?: number;
  maximum?: number;
  description?: string;
  anyOf?: { const: string }[];
};

/** One threshold as a form draws it: its type, bounds or choices, and what it means. */
export interface ThresholdField {
  key: string;
  type: "integer" | "number" | "boolean" | "choice";
  minimum?: number;
  maximum?: number;
  options?: string[];
  description: string;
}

/** A rule's thresholds in the catalog's order, read from its schema: clients draw the fields from this, not a copy. */
export function thresholdFields(rule: FraudRule): ThresholdField[] {
  const properties = ruleCatalog[rule].thresholds.properties as Record<string, ThresholdSchema>;
  return Object.entries(properties).map(([key, schema]) => {
    const description = schema.description ?? "";
    if (schema.anyOf) return { key, type: "choice", options: schema.anyOf.map((o) => o.const), description };
    if (schema.type === "boolean") return { key, type: "boolean", description };
    return {
      key,
      type: schema.type === "integer" ? "integer" : "number",
      ...(schema.minimum === undefined ? {} : { minimum: schema.minimum }),
      ...(schema.maximum === undefined ? {} : { maximum: schema.maximum }),
      description,
    };
  });
}

/** Validates a rule's thresholds; returns field errors as JSON pointers under /thresholds, in words a person can act on. */
export function thresholdErrors(
  rule: FraudRule,
  thresholds: Record<string, unknown>,
): { field: string; message: string }[] {
  const properties = ruleCatalog[rule].thresholds.properties as Record<string, ThresholdSchema>;
  const errors: { field: string; message: string }[] = [];
  for (const [key, value] of Object.entries(thresholds)) {
    const field = `/thresholds/${key}`;
    const schema = Object.hasOwn(properties, key) ? properties[key] : undefined;
    if (!schema) {
      const known = Object.keys(properties);
      errors.push({
        field,
        message: known.length
          ? `is not a threshold of ${rule} (known: ${known.join(", ")})`
          : `is not a threshold: ${rule} has none`,
      });
      continue;
    }
    if (Value.Check(schema, value)) continue;
    if (schema.anyOf) errors.push({ field, message: `must be one of: ${schema.anyOf.map((o) => o.const).join(", ")}` });
    else if (schema.type === "boolean") errors.push({ field, message: "must be true or false" });
    else {
      const kind = schema.type === "integer" ? "a whole number" : "a number";
      errors.push({ field, message: `must be ${kind} from ${schema.minimum} to ${schema.maximum}` });
    }
  }
  return errors;
}
