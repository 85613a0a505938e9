import { parse } from "fast-querystring";
import { expect, test } from "vitest";
import { deepLinkDestination } from "../../src/domain/tracking/deep-link.js";
import { withForwardedQuery } from "../../src/domain/tracking/forward-query.js";
import { type RedirectTarget, withUtm } from "../../src/domain/tracking/link-cache.js";
import type { ProgramTracking } from "../../web/src/portal/redirect-landing.js";
import { type TypedTags, tagLink } from "../../web/src/portal/tagged-link.js";
import type { TrackingLink } from "../../web/src/shared/types.js";
import { UTM_KEYS } from "../../web/src/shared/utm-keys.js";

// The builder runs in the portal's page; its origin is the Tributary server's.
(globalThis as { window?: unknown }).window = { location: { origin: "https://partners.acme.example" } };

const program = (settings: Partial<ProgramTracking> = {}): ProgramTracking => ({
  defaultLandingUrl: "https://acme.example/",
  allowedDomains: ["acme.example"],
  utmParams: {},
  clickIdParam: "tb_click",
  ...settings,
});
const link = (destinationUrl: string | null = null) => ({ path: "/r/northwind", destinationUrl }) as TrackingLink;
const typed = (tags: Partial<TypedTags>): TypedTags => ({ page: "", subs: {}, utm: {}, ...tags });

/** Where the redirect sends the builder's link, as `redirect-responder.ts` works it out (before the click id). */
function landingOf(url: string, destination: string | null, settings: ProgramTracking): string {
  const target = {
    destination: withUtm(destination ?? settings.defaultLandingUrl!, settings.utmParams),
    allowedDomains: settings.allowedDomains,
    utm: settings.utmParams,
    clickIdParam: settings.clickIdParam,
  } as RedirectTarget;
  const query = parse(new URL(url).search.slice(1)) as Record<string, unknown>;
  const deepLink = deepLinkDestination(target, query);
  return (
    withForwardedQuery(deepLink ?? target.destination, query, target.clickIdParam) ?? deepLink ?? target.destination
  );
}

const utmOf = (url: string) =>
  Object.fromEntries(UTM_KEYS.flatMap((key) => new URL(url).searchParams.getAll(key).map((v) => [key, v])));

test.each([
  {
    name: "the program sets utm_source: the partner's is shown as the program's and left out",
    settings: program({ utmParams: { utm_source: "acme-partners", utm_medium: "affiliate" } }),
    destination: null,
    tags: typed({ utm: { utm_source: "my-blog", utm_campaign: "spring sale & more", utm_content: " hero " } }),
    fixed: { utm_source: ["acme-partners", "program"], utm_medium: ["affiliate", "program"] },
    lands: {
      utm_source: "acme-partners",
      utm_medium: "affiliate",
      utm_campaign: "spring sale & more",
      utm_content: "hero",
    },
  },
  {
    name: "the link's destination sets utm_campaign: it wins over the program's and the partner's",
    settings: program({ utmParams: { utm_campaign: "program-wide" } }),
    destination: "https://acme.example/boots?utm_campaign=boots-launch",
    tags: typed({ utm: { utm_campaign: "mine", utm_term: "boots" } }),
    fixed: { utm_campaign: ["boots-launch", "link"] },
    lands: { utm_campaign: "boots-launch", utm_term: "boots" },
  },
  {
    name: "a deep link's page with its own utm_medium; a path lands on the link's site without its query",
    settings: program({ utmParams: { utm_source: "acme-partners" } }),
    destination: "https://acme.example/boots?utm_campaign=boots-launch",
    tags: typed({ page: "/pricing?utm_medium=page-medium", utm: { utm_medium: "email", utm_campaign: "spring" } }),
    fixed: { utm_source: ["acme-partners", "program"], utm_medium: ["page-medium", "page"] },
    lands: { utm_source: "acme-partners", utm_medium: "page-medium", utm_campaign: "spring" },
  },
  {
    name: "a program whose click id parameter is utm_content: the partner's never arrives",
    settings: program({ clickIdParam: "utm_content" }),
    destination: null,
    tags: typed({ page: "https://acme.example/blog", utm: { utm_content: "banner", utm_source: "blog" } }),
    fixed: { utm_content: ["click id", "click-id"] },
    lands: { utm_source: "blog" },
  },
])("$name", ({ settings, destination, tags, fixed, lands }) => {
  const built = tagLink(link(destination), settings, tags);
  expect(built.problem).toBeUndefined();
  expect(Object.fromEntries(Object.entries(built.fixed).map(([k, f]) => [k, [f.value, f.by]]))).toEqual(fixed);
  // What the builder shows, read-only or typed, is what the landing page gets (the click id aside).
  expect(utmOf(landingOf(built.url, destination, settings))).toEqual(lands);
});

test("tags that would make the landing address too long for the redirect to pass on give no link", () => {
  const settings = program({ utmParams: { utm_source: "acme-partners" } });
  const page = `https://acme.example/${"p".repeat(1_500)}`;
  const fits = tagLink(link(), settings, typed({ page, utm: { utm_campaign: "c".repeat(200) } }));
  expect(fits.problem).toBeUndefined();
  expect(utmOf(landingOf(fits.url, null, settings)).utm_campaign).toBe("c".repeat(200));

  const long = typed({
    page,
    utm: { utm_campaign: "c".repeat(200), utm_term: "t".repeat(200), utm_content: "é".repeat(50) },
  });
  const refused = tagLink(link(), settings, long);
  expect(refused.problem).toMatch(
    /^With these tags the landing address would be 2,\d{3} characters, past the 2,000 the redirect allows/,
  );
  // Copied anyway, it would have landed without any of them.
  expect(utmOf(landingOf(refused.url, null, settings))).toEqual({ utm_source: "acme-partners" });
});

test("a tag with a control character or over 200 characters gives no link", () => {
  expect(tagLink(link(), program(), typed({ utm: { utm_campaign: "spring\tsale" } })).problem).toBe(
    "Fix the UTM tags marked to get the link.",
  );
  expect(tagLink(link(), program(), typed({ utm: { utm_term: "t".repeat(201) } })).problem).toBe(
    "Fix the UTM tags marked to get the link.",
  );
  // A bad value typed for a parameter the program sets is not in the link, and holds nothing up.
  const settings = program({ utmParams: { utm_term: "fixed" } });
  expect(tagLink(link(), settings, typed({ utm: { utm_term: "t".repeat(201) } })).problem).toBeUndefined();
  expect(tagLink(link(), program(), typed({ page: "https://elsewhere.example/" })).problem).toBe(
    "Fix the page to land on to get the link.",
  );
});
