import { UTM_KEYS, type UtmKey } from "../shared/utm-keys.js";

/**
 * What the redirect does with a partner link's own query, as `src/domain/tracking/forward-query.ts` and
 * `link-cache.ts` do it (`test/web/redirect-landing.test.ts` holds both to the same answers): the landing address
 * keeps its own parameters, gets the program's UTM parameters it lacks, then the link's other parameters it lacks
 * (the click id's name never). So a partner's `utm_source` is dropped where the program sets one, and the builder
 * has to say so instead of showing a tag that never arrives.
 */

/** The redirect's limit on a landing address (MAX_DESTINATION_LENGTH): past it, none of a link's parameters are passed on. */
export const MAX_LANDING_LENGTH = 2_000;

/** Who chose a landing address: the program (its default landing page), the link (its destination) or the partner's typed page. */
export type LandingChooser = "program" | "link" | "page";

export interface LandingBase {
  url: string;
  by: LandingChooser;
}

/** The program settings the redirect uses to build a landing address (the portal's `programDetails`). */
export interface ProgramTracking {
  defaultLandingUrl: string | null;
  allowedDomains: string[];
  utmParams: Record<string, string>;
  clickIdParam: string;
}

/** A UTM parameter the partner's link cannot set: the value the visitor lands with, and who set it. */
export interface FixedUtm {
  value: string;
  by: LandingChooser | "click-id";
}

/**
 * Where the link lands before the redirect adds anything: the deep link's page (a path is on the link's own site),
 * else the link's destination, else the program's landing page — its default, or its first site's home page
 * (programLandingUrl). Undefined when there is none: such a link does not redirect.
 */
export function landingBase(
  linkDestination: string | null,
  program: ProgramTracking,
  page?: string,
): LandingBase | undefined {
  const home = program.allowedDomains[0] ? `https://${program.allowedDomains[0]}/` : undefined;
  const programs = program.defaultLandingUrl ?? home;
  const own: LandingBase | undefined = linkDestination
    ? { url: linkDestination, by: "link" }
    : programs
      ? { url: programs, by: "program" }
      : undefined;
  if (!page) return own;
  if (!page.startsWith("/")) return { url: page, by: "page" };
  return own && { url: new URL(page, own.url).href, by: "page" };
}

/** The UTM parameters the landing address sets already (its own win, then the program's) or the click id takes. */
export function fixedUtm(base: LandingBase | undefined, program: ProgramTracking): Partial<Record<UtmKey, FixedUtm>> {
  const own = base ? new URL(base.url).searchParams : new URLSearchParams();
  const fixed: Partial<Record<UtmKey, FixedUtm>> = {};
  for (const key of UTM_KEYS) {
    const ownValue = own.get(key);
    const programValue = program.utmParams[key];
    if (key === program.clickIdParam) fixed[key] = { value: "click id", by: "click-id" };
    else if (ownValue !== null && base) fixed[key] = { value: ownValue, by: base.by };
    else if (programValue !== undefined) fixed[key] = { value: programValue, by: "program" };
  }
  return fixed;
}

/**
 * The address a visitor lands on (before its click id): the base, the program's UTM parameters it lacks, then the
 * partner's `tags` (already without the fixed ones), each encoded as URLSearchParams encodes it.
 */
export function landingAddress(base: LandingBase, utmParams: Record<string, string>, tags: [string, string][]): string {
  const url = new URL(base.url);
  const names = new Set(url.searchParams.keys());
  const pairs = url.search ? [url.search.slice(1)] : [];
  for (const [name, value] of [...Object.entries(utmParams), ...tags]) {
    if (names.has(name)) continue;
    names.add(name);
    pairs.push(new URLSearchParams([[name, value]]).toString());
  }
  url.search = pairs.join("&");
  return url.href;
}
