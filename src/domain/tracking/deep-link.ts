import { destinationRefusal, MAX_DESTINATION_LENGTH } from "../links/link-rules.js";
import { type RedirectTarget, withUtm } from "./link-cache.js";

/** The query parameter of a partner link that names the page to land on: `/r/<slug>?url=https://shop.example/pricing`. */
export const DEEP_LINK_PARAM = "url";

/**
 * Where a deep link lands: the page named by `?url=` on a partner link, so that a partner can send a visitor to any
 * page of the vendor's site (a product, a pricing page, a blog post) through one link, without asking for a link
 * per page. Accepted: an absolute http(s) URL on one of the program's allowed domains, or a path ("/pricing") on the
 * link's own site; the program's UTM parameters are added as to any destination. Anything else (another site,
 * another scheme, credentials, a malformed or too long address, the parameter given twice) is ignored and the
 * visitor lands on the link's own destination: the redirect is never an open redirect, and a visitor never gets an
 * error for a partner's typo.
 */
export function deepLinkDestination(
  target: RedirectTarget,
  query: Record<string, unknown> | undefined,
): string | undefined {
  const raw = query?.[DEEP_LINK_PARAM];
  if (typeof raw !== "string" || raw === "") return undefined;
  const absolute = /^https?:\/\//i.test(raw);
  // A path on the link's site; "//host" is a URL of another host, which only the absolute form may name.
  if (!absolute && !(raw.startsWith("/") && !raw.startsWith("//") && !raw.startsWith("/\\"))) return undefined;
  let url: URL;
  try {
    url = absolute ? new URL(raw) : new URL(raw, target.destination);
  } catch {
    return undefined;
  }
  // The rule a link's own destination was held to; here a refusal means the link's destination instead.
  if (destinationRefusal(url, target.allowedDomains)) return undefined;
  const destination = withUtm(url.href, target.utm);
  return destination.length > MAX_DESTINATION_LENGTH ? undefined : destination;
}
