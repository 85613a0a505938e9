import { formatNumber } from "../shared/format.js";
import { sentenceCase } from "../shared/sentence-case.js";

/**
 * The fraud rules in words: every name, sentence, unit and choice the console shows for them lives here. Which rules
 * exist and which thresholds they take comes from the API (GET /v1/programs/:id/fraud-rules): a rule added to the
 * catalog appears with words made from its keys, and needs only an entry below to read well.
 */

export type FraudAction = "allow" | "flag" | "hold" | "reject";
export type RuleWhen = "ingestion" | "sweep" | "report";

/** A threshold as the API describes it (src/domain/fraud/fraud-rules.ts, thresholdFields). */
export interface ThresholdField {
  key: string;
  type: "integer" | "number" | "boolean" | "choice";
  minimum?: number;
  maximum?: number;
  options?: string[];
  description: string;
}

/** What a number counts: time units are stored as such; a share (0.6) is shown and typed as a percentage (60 %). */
export type Unit =
  | "seconds"
  | "minutes"
  | "hours"
  | "days"
  | "percent"
  | "score"
  | "conversions"
  | "clicks"
  | "partners";

interface FieldWords {
  label: string;
  /** Instead of the API's description, where that one is terse. */
  hint?: string;
  unit?: Unit;
  /** Words for the values of a choice. */
  options?: Record<string, string>;
}

interface RuleWords {
  name: string;
  /** What it catches, in one sentence. */
  catches: string;
  /** When the rule's `when` alone would not say it all. */
  runs?: string;
  fields?: Record<string, FieldWords>;
}

const RULES: Record<string, RuleWords> = {
  self_referral: {
    name: "Self-referral",
    catches:
      "A partner buying through its own link: the customer's email, email domain, IP or browser is the partner's own.",
    fields: {
      matchEmail: { label: "Compare the customer's email" },
      matchDomain: { label: "Compare the customer's email domain" },
      matchIp: { label: "Compare the customer's IP" },
      matchDevice: { label: "Compare the customer's browser" },
    },
  },
  duplicate_customer: {
    name: "Duplicate customer",
    catches: "A customer whose email already belongs to another customer of the program, credited to another partner.",
  },
  duplicate_order: {
    name: "Duplicate order",
    catches: "The same order sent twice: another sale of the same customer, amount and currency shortly before.",
    fields: { windowMinutes: { label: "Duplicates within", unit: "minutes" } },
  },
  velocity: {
    name: "IP/device velocity",
    catches: "Too many conversions from one IP or device, or too many clicks on a partner's links from one IP.",
    runs: "On each conversion, and again in the sweep once its window has passed",
    fields: {
      maxConversions: { label: "Conversions allowed per IP or device", unit: "conversions" },
      windowMinutes: {
        label: "Conversion window",
        hint: "How far back conversions from the same IP or device are counted.",
        unit: "minutes",
      },
      scope: {
        label: "Count the conversions credited to",
        hint: "Whose conversions from the same IP or device count towards the limit.",
        options: { partner: "The same partner", program: "Anyone in the program" },
      },
      byIp: { label: "Count by IP", hint: "Conversions from one IP (IPv6: its /64) count together." },
      byDevice: {
        label: "Count by device id",
        hint: "Conversions with the same deviceId from your site count together.",
      },
      maxClicks: {
        label: "Clicks allowed from one IP",
        hint: "Clicks one IP may send the partner's links within the click window (checked in the sweep).",
        unit: "clicks",
      },
      clickWindowMinutes: {
        label: "Click window",
        hint: "Click IPs are hashed per UTC day, so this window does not cross midnight.",
        unit: "minutes",
      },
    },
  },
  click_injection: {
    name: "Click injection",
    catches: "A conversion that came too soon after its click to be a person's: an app injecting the click.",
    fields: {
      minSeconds: {
        label: "Shortest believable click-to-conversion time",
        hint: "A lead or sale sooner than this after its click is caught.",
        unit: "seconds",
      },
    },
  },
  click_spamming: {
    name: "Click spamming",
    catches: "A partner whose customers mostly convert long after their click: clicks fired in bulk, hoping to match.",
    fields: {
      lateHours: { label: "A conversion is late after", unit: "hours" },
      maxLateShare: { label: "Highest acceptable share of late conversions", unit: "percent" },
      minConversions: { label: "Judge partners with at least", unit: "conversions" },
      lookbackDays: { label: "Look back over", unit: "days" },
    },
  },
  disposable_email: {
    name: "Disposable email",
    catches: "A customer email at a throwaway-address provider.",
  },
  bot_user_agent: {
    name: "Bot user agent",
    catches: "A conversion sent by a bot, going by its browser's user agent.",
    fields: { missingIsBot: { label: "Count a conversion with an IP but no user agent as a bot" } },
  },
  cookie_stuffing: {
    name: "Cookie stuffing",
    catches: "Clicks a visitor never made: bursts of clicks without a referrer, or clicks that never reach your site.",
    fields: {
      burstClicks: { label: "A burst is at least", unit: "clicks" },
      burstMinutes: { label: "Burst window", hint: "How close together a burst's clicks come.", unit: "minutes" },
      minLandingRatio: { label: "Lowest acceptable landing rate", unit: "percent" },
      minClicks: { label: "Judge landings of partners with at least", unit: "clicks" },
      lookbackDays: { label: "Look back over", unit: "days" },
    },
  },
  conversion_rate_outlier: {
    name: "Conversion-rate outlier",
    catches: "A partner whose conversions per click are far above the program's other partners'.",
    fields: {
      zScore: {
        label: "Robust z-score above",
        hint: "How many robust standard deviations above the program's median rate a partner's rate may be.",
        unit: "score",
      },
      minClicks: { label: "Judge partners with at least", unit: "clicks" },
      minPartners: { label: "Judge programs with at least", unit: "partners" },
      lookbackDays: { label: "Look back over", unit: "days" },
    },
  },
  paid_search: {
    name: "Paid search (ad click)",
    catches: "A partner's link opened from a paid ad pointing straight at it, as when a partner bids on your brand.",
    fields: {
      googleAds: { label: "Google Ads" },
      microsoftAds: { label: "Microsoft Advertising" },
      googleDisplay: { label: "Display & Video 360 and Campaign Manager 360" },
      yandexOrYahooJapan: { label: "Yandex Direct and Yahoo! JAPAN Ads" },
    },
  },
  manual_report: {
    name: "Manual report",
    catches: "A report the team confirmed (trademark bidding, brand misuse), applied to the partner's conversions.",
  },
};

export const WHEN_WORDS: Record<RuleWhen, { title: string; runs: string; description: string }> = {
  ingestion: {
    title: "On each conversion",
    runs: "On each conversion, as it arrives",
    description: "Checked as each lead or sale arrives, before its commissions exist.",
  },
  sweep: {
    title: "In the sweep",
    runs: "In the sweep, every 30 minutes",
    description: "Need history: the fraud sweep looks at them every 30 minutes and moves unpaid commissions.",
  },
  report: {
    title: "On confirmed reports",
    runs: "When a confirmed report is applied",
    description: "A person decides: the action here is what applying a confirmed report does by default.",
  },
};

export const ACTION_WORDS: Record<FraudAction, { label: string; description: string }> = {
  allow: { label: "Allow (record only)", description: "Records what it caught. No review case; money flows as usual." },
  flag: { label: "Flag for review", description: "Opens a review case. Commissions are paid as usual." },
  hold: {
    label: "Hold for review",
    description: "Opens a review case and holds its commissions out of payouts until a reviewer approves or rejects.",
  },
  reject: {
    label: "Reject",
    description: "Rejects its commissions at once. Final: the ledger never un-rejects, no reviewer can approve them.",
  },
};
export const ACTIONS = Object.keys(ACTION_WORDS) as FraudAction[];

/** "maxLateShare" → "Max late share": a key nothing here names yet still reads as words. */
const keyWords = (key: string) =>
  sentenceCase(
    key
      .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
      .replaceAll("_", " ")
      .toLowerCase(),
  );

/** Whether the rule, or one of its thresholds, has words here (the rest fall back to words made from the key). */
export const hasWords = (rule: string, key?: string) =>
  key === undefined ? Object.hasOwn(RULES, rule) : Object.hasOwn(RULES[rule]?.fields ?? {}, key);

export const ruleName = (rule: string) => RULES[rule]?.name ?? keyWords(rule);

export function ruleCatches(rule: string, apiDescription: string): string {
  const own = RULES[rule]?.catches;
  if (own) return own;
  const sentence = sentenceCase(apiDescription);
  return sentence.endsWith(".") ? sentence : `${sentence}.`;
}

export const ruleRuns = (rule: string, when: string) =>
  RULES[rule]?.runs ?? WHEN_WORDS[when as RuleWhen]?.runs ?? keyWords(when);

export const fieldLabel = (rule: string, key: string) => RULES[rule]?.fields?.[key]?.label ?? keyWords(key);

/** A field's unit: its own, else one a key ending in Minutes, Days, … or Share says. */
export function fieldUnit(rule: string, field: ThresholdField): Unit | undefined {
  const own = RULES[rule]?.fields?.[field.key]?.unit;
  if (own) return own;
  if (field.type === "boolean" || field.type === "choice") return undefined;
  const suffix = field.key.match(/(Seconds|Minutes|Hours|Days|Share|Ratio)$/)?.[1];
  if (suffix === "Share" || suffix === "Ratio") return "percent";
  return suffix ? (suffix.toLowerCase() as Unit) : undefined;
}

/** What a field means, as a sentence under it. */
export function fieldHint(rule: string, field: ThresholdField): string {
  const own = RULES[rule]?.fields?.[field.key]?.hint;
  if (own) return own;
  const sentence = sentenceCase(field.description);
  return sentence === "" || sentence.endsWith(".") ? sentence : `${sentence}.`;
}

export const optionLabel = (rule: string, key: string, option: string) =>
  RULES[rule]?.fields?.[key]?.options?.[option] ?? keyWords(option);

/** What the input's suffix says. */
export function unitSuffix(unit: Unit | undefined): string | undefined {
  if (unit === "percent") return "%";
  if (unit === "score" || unit === undefined) return undefined;
  return unit;
}

/** A stored share as the percentage typed in the form: 0.6 → 60, 0.07 → 7 (not 7.000000000000001). */
export const toPercent = (share: number) => Number((share * 100).toFixed(10));
export const fromPercent = (percent: number) => Number((percent / 100).toFixed(12));

const plural = (n: number, one: string, many = `${one}s`) => `${formatNumber(n)} ${n === 1 ? one : many}`;
const SINGULAR: Partial<Record<Unit, string>> = {
  seconds: "second",
  minutes: "minute",
  hours: "hour",
  days: "day",
  conversions: "conversion",
  clicks: "click",
  partners: "partner",
};

/** 2,880 minutes → "2 days", 60 → "1 hour" (as the review queue says durations): what a long time comes to. */
function inWords(unit: Unit, n: number): string | undefined {
  const minutes = unit === "minutes" ? n : unit === "hours" ? n * 60 : undefined;
  if (minutes === undefined) return undefined;
  if (minutes >= 2_880 && minutes % 1_440 === 0) return plural(minutes / 1_440, "day");
  if (unit === "minutes" && minutes >= 60 && minutes % 60 === 0) return plural(minutes / 60, "hour");
  return undefined;
}

/** A threshold's value in words and units: "1,440 minutes (1 day)", "60%", "on", "the same partner". */
export function formatThreshold(rule: string, field: ThresholdField, value: unknown): string {
  if (typeof value === "boolean") return value ? "on" : "off";
  if (field.type === "choice") return optionLabel(rule, field.key, String(value)).toLowerCase();
  if (typeof value !== "number" || !Number.isFinite(value)) return "—";
  const unit = fieldUnit(rule, field);
  if (unit === "percent") return `${formatNumber(toPercent(value))}%`;
  const one = unit && SINGULAR[unit];
  if (!one) return formatNumber(value);
  const words = inWords(unit, value);
  return words ? `${plural(value, one)} (${words})` : plural(value, one);
}

/** The range an input accepts, in its own units: "1 to 3,600", "0% to 100%". */
export function rangeText(rule: string, field: ThresholdField): string | undefined {
  if (field.minimum === undefined || field.maximum === undefined) return undefined;
  if (fieldUnit(rule, field) === "percent")
    return `${formatNumber(toPercent(field.minimum))}% to ${formatNumber(toPercent(field.maximum))}%`;
  return `${formatNumber(field.minimum)} to ${formatNumber(field.maximum)}`;
}

/**
 * The API's message for a threshold, said in the field's units: a share's bounds are 0 and 1 to the API and
 * percentages to the person typing them.
 */
export function thresholdMessage(rule: string, field: ThresholdField, message: string): string {
  if (fieldUnit(rule, field) === "percent" && /^must be a number from/.test(message)) {
    return `Enter a percentage from ${rangeText(rule, field)}`;
  }
  return sentenceCase(message);
}
