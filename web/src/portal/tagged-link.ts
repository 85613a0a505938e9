import type { TrackingLink } from "../shared/types.js";
import { UTM_KEYS, type UtmKey } from "../shared/utm-keys.js";
import { type LandingPage, landingPage } from "./landing-page.js";
import {
  type FixedUtm,
  fixedUtm,
  landingAddress,
  landingBase,
  MAX_LANDING_LENGTH,
  type ProgramTracking,
} from "./redirect-landing.js";
import { taggedUrl } from "./tagged-url.js";
import { utmTagsToSend, utmValueProblem } from "./utm-tags.js";

/** What the partner typed into the link builder. */
export interface TypedTags {
  page: string;
  subs: Partial<Record<string, string>>;
  utm: Partial<Record<UtmKey, string>>;
}

export interface TaggedLink {
  /** The page to land on, checked as the redirect checks it. */
  page: LandingPage;
  /** The UTM parameters the landing address sets already: shown read-only, left out of the link. */
  fixed: Partial<Record<UtmKey, FixedUtm>>;
  url: string;
  /** Why there is no link to copy or scan yet. */
  problem?: string;
}

const count = (n: number) => n.toLocaleString("en-US");

/**
 * The link the builder gives for what was typed, or why it gives none: a link the redirect would take only in part
 * (a page it ignores, a tag it cannot pass on) would land without them unnoticed once copied.
 */
export function tagLink(link: TrackingLink, program: ProgramTracking | undefined, typed: TypedTags): TaggedLink {
  const page = landingPage(typed.page, program?.allowedDomains ?? []);
  const pageUrl = page.ok ? page.page : undefined;
  const base = program && landingBase(link.destinationUrl, program, pageUrl);
  const fixed = program ? fixedUtm(base, program) : {};
  const url = taggedUrl(link, { page: pageUrl, subs: typed.subs, utm: typed.utm, fixedUtm: fixed });
  if (!page.ok) return { page, fixed, url, problem: "Fix the page to land on to get the link." };
  if (UTM_KEYS.some((key) => !fixed[key] && utmValueProblem(typed.utm[key] ?? "")))
    return { page, fixed, url, problem: "Fix the UTM tags marked to get the link." };
  const length = base && program ? landingAddress(base, program.utmParams, utmTagsToSend(typed.utm, fixed)).length : 0;
  if (length > MAX_LANDING_LENGTH)
    return {
      page,
      fixed,
      url,
      problem: `With these tags the landing address would be ${count(length)} characters, past the ${count(MAX_LANDING_LENGTH)} the redirect allows, and it would drop them all: shorten the page or the tags.`,
    };
  return { page, fixed, url };
}
