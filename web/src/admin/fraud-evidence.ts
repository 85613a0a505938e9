import { formatDate, formatNumber } from "../shared/format.js";
import { sentenceCase } from "../shared/sentence-case.js";

/** One line of a rule's evidence as a reviewer reads it: a label, and a value already in words and units. */
export interface EvidenceField {
  key: string;
  label: string;
  /** A list (what matched, other conversions) is one line per item. */
  value: string | string[];
  /** Ids and user agents are set in monospace: they are compared character by character. */
  mono?: boolean;
}

type Format =
  | "count"
  | "seconds"
  | "minutes"
  | "hours"
  | "share"
  | "rate"
  | "score"
  | "text"
  | "code"
  | "ids"
  | "lines"
  | "scope"
  | "signal"
  | "reportKind"
  | "period"
  | "adNetwork"
  | "clickSource"
  | "utcDateTime";

/**
 * Every field the fraud rules store (src/domain/fraud: evaluate-rules, run-fraud-sweep, resolve-fraud-report), in
 * words. Thresholds read as limits ("Allowed per IP or device"), measurements as what was seen.
 */
const FIELDS: Record<string, { label: string; format: Format }> = {
  // self_referral
  matches: { label: "What matched", format: "lines" },
  // duplicate_customer, duplicate_order
  otherPartnerIds: { label: "Also credited to", format: "ids" },
  otherConversionIds: { label: "Earlier sales", format: "ids" },
  windowMinutes: { label: "Window", format: "minutes" },
  // velocity
  conversionsFromIp: { label: "Conversions from this IP", format: "count" },
  conversionsFromDevice: { label: "Conversions from this device", format: "count" },
  maxConversions: { label: "Allowed per IP or device", format: "count" },
  scope: { label: "Counted over", format: "scope" },
  clicksFromIp: { label: "Clicks from this IP", format: "count" },
  maxClicks: { label: "Clicks allowed from one IP", format: "count" },
  clickWindowMinutes: { label: "Click window", format: "minutes" },
  // click_injection
  secondsAfterClick: { label: "Click to conversion", format: "seconds" },
  minSeconds: { label: "Shortest believable time", format: "seconds" },
  // disposable_email, bot_user_agent
  domain: { label: "Email domain", format: "text" },
  userAgent: { label: "User agent", format: "code" },
  // cookie_stuffing
  signal: { label: "Signal", format: "signal" },
  clicksWithoutReferrer: { label: "Clicks without a referrer", format: "count" },
  clicksInWindow: { label: "Clicks in the window", format: "count" },
  burstClicks: { label: "A burst is", format: "count" },
  burstMinutes: { label: "Burst window", format: "minutes" },
  redirectClicks: { label: "Redirect clicks", format: "count" },
  landed: { label: "Reached a page with the snippet", format: "count" },
  landingRatio: { label: "Landing rate", format: "share" },
  programLandingRatio: { label: "Program's landing rate", format: "share" },
  minLandingRatio: { label: "Lowest acceptable landing rate", format: "share" },
  // click_spamming
  lateConversions: { label: "Late conversions", format: "count" },
  conversions: { label: "Conversions", format: "count" },
  lateShare: { label: "Share that came late", format: "share" },
  maxLateShare: { label: "Highest acceptable late share", format: "share" },
  lateHours: { label: "Late means after", format: "hours" },
  // conversion_rate_outlier
  clicks: { label: "Clicks", format: "count" },
  rate: { label: "Conversion rate", format: "rate" },
  programMedianRate: { label: "Program's median rate", format: "rate" },
  zScore: { label: "Robust z-score", format: "score" },
  threshold: { label: "Z-score threshold", format: "score" },
  // paid_search
  adNetwork: { label: "Ad network", format: "adNetwork" },
  adClickParam: { label: "Ad click id", format: "code" },
  clickedAt: { label: "Clicked", format: "utcDateTime" },
  clickSource: { label: "Opened through", format: "clickSource" },
  // click_injection, paid_search: the click itself comes after what was seen of it
  clickId: { label: "Click", format: "code" },
  // manual_report
  reportId: { label: "Report", format: "code" },
  kind: { label: "Report kind", format: "reportKind" },
  urls: { label: "Where it was seen", format: "lines" },
  period: { label: "Period", format: "period" },
};

/** Whether a field has its own label and format (the rest fall back to words made from the key). */
export const isKnownEvidenceField = (key: string) => Object.hasOwn(FIELDS, key);

const SIGNALS: Record<string, string> = {
  burst: "A burst of clicks without a referrer",
  no_page_activity: "Clicks that never reached the site",
};
/** The names src/domain/tracking/ad-click.ts gives the networks (a test holds the two together). */
export const AD_NETWORKS: Record<string, string> = {
  google_ads: "Google Ads",
  google_display: "Google Display & Video 360 / Campaign Manager 360",
  microsoft_ads: "Microsoft Advertising",
  yandex_or_yahoo_japan: "Yandex Direct or Yahoo! JAPAN Ads",
};
const CLICK_SOURCES: Record<string, string> = {
  redirect: "The partner link",
  snippet: "A ?via= link to the site",
};
const utcDateTime = new Intl.DateTimeFormat("en-GB", {
  day: "numeric",
  month: "short",
  year: "numeric",
  hour: "2-digit",
  minute: "2-digit",
  timeZone: "UTC",
});
const SCOPES: Record<string, string> = {
  partner: "This partner's conversions",
  program: "Every conversion in the program",
};

const plural = (n: number, one: string, many = `${one}s`) => `${formatNumber(n)} ${n === 1 ? one : many}`;

function duration(minutes: number): string {
  if (minutes >= 2_880 && minutes % 1_440 === 0) return plural(minutes / 1_440, "day");
  if (minutes >= 60 && minutes % 60 === 0) return plural(minutes / 60, "hour");
  return plural(minutes, "minute");
}

/** 0.6 → "60%", 0.123 → "12.3%", 0.01234 → "1.23%" (digits as many as the value needs, at most `digits`). */
function percent(share: number, digits: number): string {
  const value = share * 100;
  return `${Number(value.toFixed(digits)).toLocaleString("en-US", { maximumFractionDigits: digits })}%`;
}

/** "ipHash" → "Ip hash": a field added to a rule later still reads as words, never as a key. */
export const keyLabel = (key: string) =>
  sentenceCase(
    key
      .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
      .replaceAll("_", " ")
      .toLowerCase(),
  );

/** A value of a field no formatter knows: words for what it is, never JSON. */
function plain(value: unknown): string | string[] {
  if (value === null || value === undefined || value === "") return "—";
  if (typeof value === "boolean") return value ? "Yes" : "No";
  if (typeof value === "number") return formatNumber(value);
  if (typeof value === "string") return value;
  if (Array.isArray(value)) return value.map((v) => String(plain(v)));
  if (typeof value === "object")
    return Object.entries(value as Record<string, unknown>).map(([k, v]) => `${keyLabel(k)}: ${String(plain(v))}`);
  return String(value);
}

function formatValue(format: Format, value: unknown): string | string[] {
  const n = typeof value === "number" ? value : Number.NaN;
  const numeric = Number.isFinite(n);
  switch (format) {
    case "count":
      return numeric ? formatNumber(n) : plain(value);
    case "seconds":
      return numeric ? plural(n, "second") : plain(value);
    case "minutes":
      return numeric ? duration(n) : plain(value);
    case "hours":
      return numeric ? plural(n, "hour") : plain(value);
    case "share":
      return numeric ? percent(n, 1) : plain(value);
    case "rate":
      return numeric ? percent(n, 2) : plain(value);
    case "score":
      return numeric ? Number(n.toFixed(2)).toString() : plain(value);
    case "scope":
      return SCOPES[String(value)] ?? plain(value);
    case "signal":
      return SIGNALS[String(value)] ?? plain(value);
    case "adNetwork":
      return AD_NETWORKS[String(value)] ?? plain(value);
    case "clickSource":
      return CLICK_SOURCES[String(value)] ?? plain(value);
    case "utcDateTime": {
      // In UTC, as the rule's own sentence says it: a reviewer compares it with the ad network's click report.
      const at = typeof value === "string" ? new Date(value) : undefined;
      return at && Number.isFinite(at.getTime()) ? `${utcDateTime.format(at)} UTC` : plain(value);
    }
    case "reportKind":
      return typeof value === "string" ? sentenceCase(value.replaceAll("_", " ")) : plain(value);
    case "period": {
      const p = value as { from?: string; to?: string } | null;
      return p && typeof p === "object" ? `${formatDate(p.from)} – ${formatDate(p.to)}` : plain(value);
    }
    case "lines":
    case "ids": {
      const lines = Array.isArray(value) ? value.map(String) : [String(plain(value))];
      return format === "lines" ? lines.map((l) => (l.includes(" ") ? sentenceCase(l) : l)) : lines;
    }
    default:
      return plain(value);
  }
}

/** A decision's evidence: `detail` (a rule's own sentence) apart, every other field as label and formatted value. */
export function describeEvidence(evidence: Record<string, unknown>): { detail?: string; fields: EvidenceField[] } {
  const { detail, ...rest } = evidence;
  // The database hands keys back in its own order (jsonb sorts them); the catalog's order puts what was seen first.
  const order = Object.keys(FIELDS);
  const rank = (key: string) => (isKnownEvidenceField(key) ? order.indexOf(key) : order.length);
  const entries = Object.entries(rest).sort(([a], [b]) => rank(a) - rank(b));
  const fields = entries.map(([key, value]): EvidenceField => {
    const known = FIELDS[key];
    if (!known) return { key, label: keyLabel(key), value: plain(value) };
    return {
      key,
      label: known.label,
      value: formatValue(known.format, value),
      ...(known.format === "code" || known.format === "ids" ? { mono: true } : {}),
    };
  });
  return { ...(typeof detail === "string" && detail ? { detail: sentenceCase(detail) } : {}), fields };
}
