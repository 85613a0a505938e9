/*
 * Paid-ad click identifiers. An ad network appends its click id to the URL an ad opens (auto-tagging): when a
 * partner's ad points straight at its partner link (direct linking), the redirect is opened with it. Only
 * identifiers that an ad network adds to its own paid clicks are listed: not `fbclid` (Facebook adds it to organic
 * links too), not `srsltid` (Google's free shopping listings), not `ysclid` (Yandex's organic results). A
 * referrer cannot tell an ad from an organic result on the same search page.
 */
import { type AdClickParam, type AdNetwork, adClickParams } from "../../db/schema/index.js";

/** Which network's click id a visit carried, and under which parameter (the evidence names both). */
export interface AdClick {
  readonly network: AdNetwork;
  readonly param: AdClickParam;
}

export const AD_NETWORK_NAMES: Record<AdNetwork, string> = {
  google_ads: "Google Ads",
  google_display: "Google Display & Video 360 / Campaign Manager 360",
  microsoft_ads: "Microsoft Advertising",
  yandex_or_yahoo_japan: "Yandex Direct or Yahoo! JAPAN Ads",
};

const NETWORK_OF: Record<AdClickParam, AdNetwork> = {
  // Google Ads: gclid on web clicks; gbraid and wbraid instead of it on iOS app-to-web and web-to-app clicks;
  // gad_source on every Google ad click (its source), so a click with auto-tagging off is still known.
  gclid: "google_ads",
  gbraid: "google_ads",
  wbraid: "google_ads",
  gad_source: "google_ads",
  // Display & Video 360 and Campaign Manager 360 (formerly DoubleClick).
  dclid: "google_display",
  // Also the search ads Microsoft serves on Yahoo, AOL, DuckDuckGo and Ecosia.
  msclkid: "microsoft_ads",
  // Both Yandex Direct and Yahoo! JAPAN Ads auto-tag with yclid: the name does not say which.
  yclid: "yandex_or_yahoo_japan",
};

/** One frozen answer per parameter, made once: a click that carries an ad click id shares it (no allocation). */
const BY_PARAM = Object.freeze(
  Object.fromEntries(adClickParams.map((param) => [param, Object.freeze({ network: NETWORK_OF[param], param })])),
) as Readonly<Record<AdClickParam, AdClick>>;
const GCLID = BY_PARAM.gclid;
const MSCLKID = BY_PARAM.msclkid;
const GBRAID = BY_PARAM.gbraid;
const WBRAID = BY_PARAM.wbraid;
const GAD_SOURCE = BY_PARAM.gad_source;
const DCLID = BY_PARAM.dclid;
const YCLID = BY_PARAM.yclid;

/**
 * The ad click id a redirect was opened with, read from the query string the server has already parsed: a few
 * property reads, the click ids before `gad_source` (which comes with them), no pattern over the URL and nothing
 * allocated. An empty value (`?gclid=`) is no ad click: a network always sends one. A repeated parameter is an
 * array, which counts.
 */
export function adClickInQuery(query: Record<string, unknown> | undefined): AdClick | undefined {
  if (query === undefined) return undefined;
  if (query.gclid) return GCLID;
  if (query.msclkid) return MSCLKID;
  if (query.gbraid) return GBRAID;
  if (query.wbraid) return WBRAID;
  if (query.gad_source) return GAD_SOURCE;
  if (query.dclid) return DCLID;
  if (query.yclid) return YCLID;
  return undefined;
}

/** The ad click id the site snippet names (its parameter's name only: the snippet never sends the value). */
export function adClickNamed(name: unknown): AdClick | undefined {
  return typeof name === "string" && Object.hasOwn(BY_PARAM, name) ? BY_PARAM[name as AdClickParam] : undefined;
}
