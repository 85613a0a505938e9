const dateFormat = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", year: "numeric" });
const dateTimeFormat = new Intl.DateTimeFormat("en-GB", {
  day: "numeric",
  month: "short",
  year: "numeric",
  hour: "2-digit",
  minute: "2-digit",
});
const shortDateTimeFormat = new Intl.DateTimeFormat("en-GB", {
  day: "numeric",
  month: "short",
  hour: "2-digit",
  minute: "2-digit",
});
const relativeFormat = new Intl.RelativeTimeFormat("en", { numeric: "auto" });
const numberFormat = new Intl.NumberFormat("en-US");

export const formatDate = (iso: string | null | undefined): string => (iso ? dateFormat.format(new Date(iso)) : "—");

const utcDateFormat = new Intl.DateTimeFormat("en-GB", {
  day: "numeric",
  month: "short",
  year: "numeric",
  timeZone: "UTC",
});

/** A day the server decides in UTC (payout schedules, statement months): 00:00 UTC on 1 Dec is "1 Dec" everywhere. */
export const formatUtcDate = (iso: string | null | undefined): string =>
  iso ? utcDateFormat.format(new Date(iso)) : "—";

export const formatDateTime = (iso: string | null | undefined): string =>
  iso ? dateTimeFormat.format(new Date(iso)) : "—";

/** "21 Nov, 04:59": for dense tables where the year is obvious. */
export const formatShortDateTime = (iso: string | null | undefined): string =>
  iso ? shortDateTimeFormat.format(new Date(iso)) : "—";

export const formatNumber = (value: number): string => numberFormat.format(value);

const percentFormat = new Intl.NumberFormat(undefined, { style: "percent", maximumFractionDigits: 1 });
/** A share as people read it: 0.1023 → "10.2%". */
export const formatPercent = (share: number): string => percentFormat.format(share);

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ["year", 365 * 86_400],
  ["month", 30 * 86_400],
  ["week", 7 * 86_400],
  ["day", 86_400],
  ["hour", 3_600],
  ["minute", 60],
];

/** Local midnight of a time: days are counted on the calendar the dates beside them are written in. */
const startOfDay = (ms: number) => {
  const day = new Date(ms);
  day.setHours(0, 0, 0, 0);
  return day.getTime();
};

/** "3 days ago", "in 2 weeks", "just now". */
export function formatRelative(iso: string | null | undefined, now = Date.now()): string {
  if (!iso) return "—";
  const at = new Date(iso).getTime();
  const seconds = (at - now) / 1000;
  for (const [unit, size] of UNITS) {
    if (Math.abs(seconds) < size) continue;
    // "yesterday" is the calendar day before today, not 24 to 36 hours back (rounded hours said "yesterday" of
    // an evening two days before). Math.round absorbs a daylight-saving day of 23 or 25 hours.
    if (unit === "day") {
      const days = Math.round((startOfDay(at) - startOfDay(now)) / 86_400_000);
      // 24 hours and more within one calendar day: the day clocks go back has 25.
      if (days !== 0) return relativeFormat.format(days, unit);
      return relativeFormat.format(Math.round(seconds / 3_600), "hour");
    }
    return relativeFormat.format(Math.round(seconds / size), unit);
  }
  return "just now";
}

export const initials = (name: string): string =>
  name
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((part) => part[0]?.toUpperCase() ?? "")
    .join("") || "?";

/** "Acme Partners" → "acme-partners": the slug the API accepts. */
export const slugify = (text: string): string =>
  text
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 63)
    .replace(/-+$/g, "");

export const absoluteUrl = (path: string): string =>
  path.startsWith("http://") || path.startsWith("https://") ? path : `${window.location.origin}${path}`;

/** Where a partner link is shared: on its program's link domain, else on the host this page came from. */
export const linkAddress = (link: { path: string; url: string | null }): string => link.url ?? absoluteUrl(link.path);

/** A destination without its scheme, for tables: "https://acme.example/pricing" → "acme.example/pricing". */
export const displayUrl = (url: string): string => url.replace(/^https?:\/\//, "").replace(/\/$/, "");
