import { HAS_SCHEME } from "../shared/web-address.js";

/**
 * The page a partner typed for a deep link, checked as the redirect will check it (`src/domain/tracking/deep-link.ts`;
 * `test/web/landing-page.test.ts` holds both to the same answers): an http(s) address on one of the program's sites
 * (a subdomain too), or a path on the link's own site. An address without its scheme ("acme.example/pricing") is
 * taken as https, as people paste them. Anything else is named here, since the redirect would quietly ignore it.
 */
export type LandingPage = { ok: true; page: string | undefined } | { ok: false; message: string };

/** The redirect's limit on a destination (MAX_DESTINATION_LENGTH), less room for the program's UTM parameters. */
const MAX_PAGE_LENGTH = 1_800;

const allowed = (host: string, domains: string[]) =>
  domains.some((d) => host === d || (!/^[\d.]+$/.test(d) && host.endsWith(`.${d}`)));

export function landingPage(typed: string, allowedDomains: string[]): LandingPage {
  const raw = typed.trim();
  if (raw === "") return { ok: true, page: undefined };
  if (raw.startsWith("/") && !raw.startsWith("//") && !raw.startsWith("/\\")) return { ok: true, page: raw };
  const sites = allowedDomains.join(", ");
  let url: URL;
  try {
    url = new URL(HAS_SCHEME.test(raw) ? raw : `https://${raw}`);
  } catch {
    return {
      ok: false,
      message: `Enter a page of ${sites}, like https://${allowedDomains[0] ?? "example.com"}/pricing`,
    };
  }
  if (url.protocol !== "https:" && url.protocol !== "http:")
    return { ok: false, message: "Enter a web address (https://…)" };
  if (url.username || url.password) return { ok: false, message: "Leave out the user name and password" };
  if (!allowed(url.hostname, allowedDomains))
    return { ok: false, message: `${url.hostname} is not a site of this program (${sites})` };
  if (url.href.length > MAX_PAGE_LENGTH)
    return { ok: false, message: `Use an address under ${MAX_PAGE_LENGTH} characters` };
  return { ok: true, page: url.href };
}
