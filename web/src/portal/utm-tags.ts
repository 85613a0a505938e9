import { UTM_KEYS, type UtmKey } from "../shared/utm-keys.js";

/** How the link builder names each UTM parameter, with a value a partner might give it. */
export const UTM_FIELDS: Record<UtmKey, { label: string; example: string }> = {
  utm_source: { label: "Source", example: "newsletter" },
  utm_medium: { label: "Medium", example: "email" },
  utm_campaign: { label: "Campaign", example: "spring-sale" },
  utm_term: { label: "Term", example: "trail shoes" },
  utm_content: { label: "Content", example: "header-banner" },
};

/** As long as a program's own UTM values may be (programs.schemas.ts). */
export const MAX_UTM_LENGTH = 200;

/** Why a typed UTM value cannot go into a link, or undefined: it is used trimmed. */
export function utmValueProblem(typed: string): string | undefined {
  const value = typed.trim();
  // A pasted tab or line break would reach the site's analytics as part of the value, where nobody sees it.
  if (/\p{Cc}/u.test(value)) return "Remove the tab, line break or other control character";
  if (value.length > MAX_UTM_LENGTH)
    return `Use at most ${MAX_UTM_LENGTH} characters (this has ${value.length.toLocaleString("en-US")})`;
  return undefined;
}

/**
 * The partner's UTM parameters a link carries, in UTM_KEYS order: trimmed, blank ones left out, and those the
 * landing address sets already (`fixed`) left out, since the redirect would drop them.
 */
export function utmTagsToSend(
  typed: Partial<Record<UtmKey, string>>,
  fixed: Partial<Record<UtmKey, unknown>> = {},
): [UtmKey, string][] {
  const tags: [UtmKey, string][] = [];
  for (const key of UTM_KEYS) {
    const value = typed[key]?.trim();
    if (value && !fixed[key]) tags.push([key, value]);
  }
  return tags;
}
