import { adClickParams } from "../../db/schema/index.js";
import { MAX_DESTINATION_LENGTH } from "../links/link-rules.js";
import { SUB_ID_KEYS } from "./click-tracker.js";
import { DEEP_LINK_PARAM } from "./deep-link.js";
import { queryPair, queryParamNames } from "./query-param.js";

/**
 * The partner link's own query parameters, passed on to the page the visitor lands on: a partner's `utm_campaign`,
 * a social network's click id (`fbclid`), any tag the vendor's page reads — as they would be had the visitor opened
 * that page directly. Not passed on:
 * - the deep link's `url` and the click id parameter: Tributary's own (it sets the click id itself);
 * - the sub-ids `sub1`…`sub5`: the partner's own labels, kept with the click for the partner's reports;
 * - a paid ad's click id (`gclid`, `msclkid`… see ad-click.ts): the ad is the partner's, bought on the partner's
 *   account, and on the vendor's page it would make the vendor's analytics count the visit as a click of the
 *   vendor's own ads (the click row keeps which network it was);
 * - any parameter the destination already has, its own or the program's UTM parameters: the vendor's settings win
 *   over what a visitor brought.
 * Nothing is passed on when the address would grow past the longest destination a link may have: the visitor then
 * lands as without them.
 *
 * `destination` is the link's (or the deep link's) address, UTM parameters added; the answer is undefined when
 * there is nothing to pass on, so a plain visit keeps the Location prepared once per link.
 */
/** Parameters the redirect reads for itself or keeps from the destination (the click id's name is per program). */
const NOT_PASSED_ON: ReadonlySet<string> = new Set<string>([DEEP_LINK_PARAM, ...SUB_ID_KEYS, ...adClickParams]);

export function withForwardedQuery(
  destination: string,
  query: Record<string, unknown>,
  clickIdParam: string,
): string | undefined {
  let url: URL | undefined;
  let own: Set<string> | undefined;
  // Appended as text, checked against the destination's names once: a query of thousands of parameters costs one
  // pass, and stops as soon as it is too long (no re-reading of the growing address per parameter).
  let added = "";
  for (const name in query) {
    if (name === "" || name === clickIdParam || NOT_PASSED_ON.has(name)) continue;
    const given = query[name];
    const values = Array.isArray(given) ? given : [given];
    if (!values.every((v) => typeof v === "string")) continue;
    url ??= new URL(destination);
    own ??= queryParamNames(url);
    if (own.has(name)) continue;
    for (const value of values) {
      added += `&${queryPair(name, value as string)}`;
      if (added.length > MAX_DESTINATION_LENGTH) return undefined;
    }
  }
  if (!url || added === "") return undefined;
  url.search = url.search ? url.search + added : added.slice(1);
  return url.href.length > MAX_DESTINATION_LENGTH ? undefined : url.href;
}
