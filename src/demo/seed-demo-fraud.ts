import { and, asc, eq, inArray } from "drizzle-orm";
import { enrollments, links, partners, programs } from "../db/schema/index.js";
import type { Ctx } from "../domain/context.js";
import { trackSale } from "../domain/conversions/track-sale.js";
import { runFraudSweep } from "../domain/fraud/run-fraud-sweep.js";
import { type AdClick, adClickNamed } from "../domain/tracking/ad-click.js";
import { signClickId } from "../domain/tracking/click-id.js";
import { ClickWriter } from "../domain/tracking/click-writer.js";
import { loadClickIdKeys } from "../domain/tracking/tracking-runtime.js";
import { ManualClock } from "../lib/clock.js";

const HOUR = 3_600_000;
const SAFARI =
  "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15";

type Target = { programId: string; slug: string; currency: string; partnerId: string; linkId: string };
type Sale = { at: number; target: Target; clickAt: number; extra: Record<string, string>; ad?: AdClick };

/**
 * What a fraud team finds on a Monday morning, made through real ingestion so the fraud rules themselves decide:
 * sales seconds after their click (click injection), a cluster of sales from one IP (velocity), a re-sent order, a
 * disposable-address buyer, a scripted client, a partner buying through its own link (self-referral) and one whose
 * search ads point straight at its link (paid search: the redirect was opened with a gclid or msclkid). Then the
 * real sweep runs, as the scheduled job would. The review queue opens with cases from several rules and partners,
 * their commissions held by the engine that runs next. The demo's portal partner (the first active one) is left
 * alone, so its portal shows a normal account.
 */
export async function seedDemoFraud(base: Ctx, say: (line: string) => void): Promise<void> {
  const keys = await loadClickIdKeys(base.db);
  const now = base.clock.now().getTime();
  const clock = new ManualClock(new Date(now - 3 * 24 * HOUR));
  const ctx: Ctx = { ...base, clock, actor: { type: "system", label: "demo traffic" } };
  const rows = await base.db
    .select({ link: links, program: programs, contacts: partners.contacts })
    .from(links)
    .innerJoin(enrollments, eq(enrollments.id, links.enrollmentId))
    .innerJoin(programs, eq(programs.id, links.programId))
    .innerJoin(partners, eq(partners.id, links.partnerId))
    .where(and(eq(links.isDefault, true), inArray(enrollments.status, ["active"])))
    .orderBy(asc(programs.createdAt), asc(enrollments.id));
  const targets = rows.map((r) => ({
    programId: r.program.id,
    slug: r.program.slug,
    currency: r.program.currency,
    partnerId: r.link.partnerId,
    linkId: r.link.id,
    contactEmail: r.contacts[0]?.email ?? undefined,
  }));
  const affiliates = targets.filter((t) => t.slug === "acme-affiliates");
  const resellers = targets.filter((t) => t.slug === "acme-resellers");
  const injector = affiliates[2];
  const scripted = affiliates[3];
  const reseller = resellers[1];
  const advertiser = affiliates[4];
  if (!injector || !scripted || !reseller || !advertiser) return;

  const writer = new ClickWriter(base.db, base.log);
  let n = 0;
  const click = (target: Target, at: number, ip: number, ad: AdClick | undefined) => {
    const { token, claims } = signClickId(keys, {
      programId: target.programId,
      partnerId: target.partnerId,
      linkId: target.linkId,
      at: new Date(at),
    });
    void writer.add({
      id: claims.clickRowId,
      programId: target.programId,
      partnerId: target.partnerId,
      linkId: target.linkId,
      at: new Date(at),
      source: "redirect",
      ipHash: `demo-fraud-${ip}`,
      country: "US",
      deviceType: "desktop",
      browser: "Safari",
      os: "Mac OS",
      // A search ad's click reaches the link from the search page; with no-referrer-when-downgrade it says only the host.
      referrer: ad ? "https://www.google.com/" : null,
      sub1: null,
      adNetwork: ad ? ad.network : null,
      adClickParam: ad ? ad.param : null,
    });
    return token;
  };
  const sales: Sale[] = [];
  const sale = (target: Target, at: number, clickAt: number, extra: Record<string, string> = {}, ad?: AdClick) =>
    sales.push({ at, target, clickAt, extra, ...(ad ? { ad } : {}) });

  // Click injection: an installer app fires the partner's link a few seconds before the purchase it did not cause.
  for (const [i, hoursAgo] of [50, 31, 9].entries()) {
    const at = now - hoursAgo * HOUR;
    sale(injector, at, at - (3 + i) * 1000, { ip: `203.0.113.${10 + i}`, userAgent: SAFARI });
  }
  // Velocity: five sales from one address within the hour (three is the default limit).
  for (let i = 0; i < 5; i++) {
    const at = now - 27 * HOUR + i * 9 * 60_000;
    sale(injector, at, at - 2 * HOUR, { ip: "198.51.100.77", userAgent: SAFARI });
  }
  // A scripted client reports sales, and a buyer uses a throwaway address.
  sale(scripted, now - 20 * HOUR, now - 30 * HOUR, { ip: "192.0.2.44", userAgent: "python-requests/2.31.0" });
  sale(scripted, now - 14 * HOUR, now - 40 * HOUR, { ip: "192.0.2.45", userAgent: "curl/8.5.0" });
  sale(scripted, now - 6 * HOUR, now - 26 * HOUR, {
    ip: "192.0.2.46",
    userAgent: SAFARI,
    email: "quick.buyer@mailinator.com",
  });
  // A reseller's order sent twice, and a sale to the reseller's own contact address.
  const twice = now - 16 * HOUR;
  sale(reseller, twice, now - 40 * HOUR, { ip: "192.0.2.80", userAgent: SAFARI, customer: "demo-dup", order: "a" });
  sale(reseller, twice + 4 * 60_000, now - 40 * HOUR, {
    ip: "192.0.2.80",
    userAgent: SAFARI,
    customer: "demo-dup",
    order: "b",
  });
  const own = (reseller as Target & { contactEmail?: string }).contactEmail;
  if (own) sale(reseller, now - 4 * HOUR, now - 30 * HOUR, { ip: "192.0.2.81", userAgent: SAFARI, email: own });

  // Paid search: the partner's ads on the brand's name link straight to its partner link, so the ad network's
  // click id reaches the redirect. Honest-looking sales otherwise; the sweep flags them for a manager to look at.
  for (const [i, [hoursAgo, param]] of (
    [
      [44, "gclid"],
      [29, "gclid"],
      [11, "msclkid"],
    ] as const
  ).entries()) {
    const at = now - hoursAgo * HOUR;
    sale(
      advertiser,
      at,
      at - (20 + i * 7) * 60_000,
      { ip: `198.51.100.${30 + i}`, userAgent: SAFARI },
      adClickNamed(param),
    );
  }

  const tokens = sales.map((s, i) => click(s.target, s.clickAt, i, s.ad));
  await writer.close();
  for (const [i, s] of sales.map((x, k) => [k, x] as const).sort((a, b) => a[1].at - b[1].at)) {
    n += 1;
    clock.set(new Date(s.at));
    const { customer, order, ...session } = s.extra;
    await trackSale(ctx, keys, {
      programId: s.target.programId,
      orderId: `demo-fraud-order-${order ? `${customer}-${order}` : i}`,
      amount: s.target.slug === "acme-resellers" ? 149_000 : 19_900,
      currency: s.target.currency,
      customerExternalId: customer ?? `demo-fraud-cus-${i}`,
      clickId: tokens[i],
      ...session,
    });
  }
  const sweep = await runFraudSweep({ db: base.db, clock: base.clock });
  const decided = Object.values(sweep.decisions).reduce((a, b) => a + b, 0);
  say(`demo fraud: ${n} suspicious sales through ingestion, and a sweep that made ${decided} more decisions`);
}
