import { linkAddress } from "../shared/format.js";
import type { TrackingLink } from "../shared/types.js";
import { utmTagsToSend } from "./utm-tags.js";

export const SUB_IDS = ["sub1", "sub2", "sub3", "sub4", "sub5"] as const;

export interface LinkTags {
  /** The page to land on (a deep link), checked already. */
  page?: string;
  subs: Partial<Record<string, string>>;
  utm: Parameters<typeof utmTagsToSend>[0];
  /** UTM parameters the landing address sets already: left out, as the redirect would drop them. */
  fixedUtm?: Parameters<typeof utmTagsToSend>[1];
}

/**
 * One of the partner's links with the page to land on, sub-ids and UTM parameters, as the redirect reads them:
 * `/r/<slug>?url=…&sub1=…&utm_source=…`, always in that order (a link looks the same however it was typed), values
 * trimmed and encoded, blank ones left out.
 */
export function taggedUrl(link: TrackingLink, tags: LinkTags): string {
  const url = new URL(linkAddress(link));
  if (tags.page) url.searchParams.set("url", tags.page);
  for (const key of SUB_IDS) {
    const value = tags.subs[key]?.trim();
    if (value) url.searchParams.set(key, value);
  }
  for (const [key, value] of utmTagsToSend(tags.utm, tags.fixedUtm)) url.searchParams.set(key, value);
  return url.toString();
}
