import { and, eq, inArray } from "drizzle-orm";
import { enrollments, links, programs } from "../db/schema/index.js";
import type { Ctx } from "../domain/context.js";
import { trackLead } from "../domain/conversions/track-lead.js";
import { trackRefund } from "../domain/conversions/track-refund.js";
import { trackSale } from "../domain/conversions/track-sale.js";
import { createCoupon } from "../domain/links/create-coupon.js";
import { signClickId } from "../domain/tracking/click-id.js";
import { ClickWriter } from "../domain/tracking/click-writer.js";
import { loadClickIdKeys } from "../domain/tracking/tracking-runtime.js";
import { ManualClock } from "../lib/clock.js";

const DAY = 86_400_000;
const MINUTE = 60_000;

/**
 * How long after the click a visitor signs up, shaped like real traffic: most within the hour, some later that
 * day, a few days later. (Spread evenly over three days, two in three signups came a day late, which the fraud
 * sweep rightly reads as click spamming.)
 */
function signupDelay(rand: (n: number) => number): number {
  const roll = rand(10);
  if (roll < 7) return 2 * MINUTE + rand(60 * MINUTE);
  if (roll < 9) return 2 * MINUTE + rand(DAY);
  return DAY + rand(2 * DAY);
}
const DEVICES = [
  { deviceType: "desktop", browser: "Chrome", os: "Windows" },
  { deviceType: "desktop", browser: "Safari", os: "Mac OS" },
  { deviceType: "mobile", browser: "Mobile Safari", os: "iOS" },
  { deviceType: "mobile", browser: "Chrome", os: "Android" },
  { deviceType: "desktop", browser: "Firefox", os: "Linux" },
];
const COUNTRIES = ["US", "DE", "GB", "FR", "NL", "BR", "IN", "CA", "ES", "SE"];
const REFERRERS = [
  "https://www.youtube.com/",
  "https://news.ycombinator.com/",
  "https://www.google.com/",
  null,
  "https://twitter.com/",
  "https://newsletter.example/issue-42",
];

/** mulberry32: a small deterministic generator, so the demo looks the same on every machine. */
function random(seed: number) {
  let a = seed >>> 0;
  return (n: number) => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4_294_967_296) * n);
  };
}

/**
 * Where some demo clicks landed (deep links, `?via=` pages), so that "What performs" by landing page has rows.
 * Picked by the click's number, not by `rand`: the rest of the seeded history stays as it was.
 */
const DEMO_PAGES = [null, null, "/pricing", "/features", "/blog/partner-review"] as const;
const demoLandingPage = (domain: string | undefined, i: number) => {
  const page = DEMO_PAGES[i % DEMO_PAGES.length];
  return page && domain ? `https://${domain}${page}` : null;
};

/**
 * 60 days of traffic for the demo's active partners, through the same code paths as real traffic: signed click
 * ids, click rows, then leads, sales (a few multi-touch and coupon ones) and a refund attributed by the engine.
 * Busy partners get most of the clicks, as in real programs.
 */
export async function seedDemoTracking(base: Ctx, say: (line: string) => void): Promise<void> {
  const keys = await loadClickIdKeys(base.db);
  const rand = random(7);
  const now = base.clock.now().getTime();
  const clock = new ManualClock(new Date(now - 60 * DAY));
  const ctx: Ctx = { ...base, clock, actor: { type: "system", label: "demo traffic" } };
  const writer = new ClickWriter(base.db, base.log);
  const active = await base.db
    .select({ link: links, program: programs })
    .from(links)
    .innerJoin(enrollments, eq(enrollments.id, links.enrollmentId))
    .innerJoin(programs, eq(programs.id, links.programId))
    .where(and(eq(links.isDefault, true), inArray(enrollments.status, ["active"])));

  const events: { at: number; run: () => Promise<unknown> }[] = [];
  let clickCount = 0;
  let customer = 0;
  for (const [rank, { link, program }] of active.entries()) {
    const clicksForPartner = Math.round(260 / (rank + 1)) + rand(12);
    const coupon = rank % 4 === 1 ? `${program.slug.split("-")[1]?.toUpperCase() ?? "DEMO"}${rank}` : undefined;
    if (coupon) await createCoupon(ctx, { enrollmentId: link.enrollmentId, code: coupon });
    for (let i = 0; i < clicksForPartner; i++) {
      const at = new Date(now - 60 * DAY + rand(59 * DAY) + (i * DAY) / clicksForPartner);
      const { token, claims } = signClickId(keys, {
        programId: program.id,
        partnerId: link.partnerId,
        linkId: link.id,
        at,
      });
      const device = DEVICES[rand(DEVICES.length)]!;
      void writer.add({
        id: claims.clickRowId,
        programId: program.id,
        partnerId: link.partnerId,
        linkId: link.id,
        at,
        source: rand(4) === 0 ? "snippet" : "redirect",
        ipHash: `demo${rand(100_000)}`,
        country: COUNTRIES[rand(COUNTRIES.length)]!,
        ...device,
        referrer: REFERRERS[rand(REFERRERS.length)] ?? null,
        sub1: rand(3) === 0 ? "newsletter" : null,
        landingUrl: demoLandingPage(program.allowedDomains[0], i),
      });
      clickCount += 1;
      if (rand(100) >= 9) continue;
      customer += 1;
      // Constants per customer: the closures below run later, after `customer` has moved on.
      const n = customer;
      const customerId = `demo-cus-${n}`;
      const leadAt = at.getTime() + signupDelay(rand);
      events.push({
        at: leadAt,
        run: () =>
          trackLead(ctx, keys, {
            programId: program.id,
            customerExternalId: customerId,
            clickId: token,
            email: `buyer${n}@customer.example`,
          }),
      });
      if (rand(100) < 45) {
        const saleAt = leadAt + rand(10 * DAY);
        const amount = [4900, 9900, 19_900, 49_900][rand(4)]!;
        events.push({
          at: saleAt,
          run: () =>
            trackSale(ctx, keys, {
              programId: program.id,
              orderId: `demo-order-${n}`,
              amount,
              currency: program.currency,
              customerExternalId: customerId,
              ...(coupon && rand(3) === 0 ? { couponCode: coupon } : {}),
            }),
        });
        if (n % 17 === 0)
          events.push({
            at: saleAt + 5 * DAY,
            run: () =>
              trackRefund(ctx, {
                programId: program.id,
                orderId: `demo-order-${n}`,
                refundId: `demo-refund-${n}`,
                amount: Math.floor(amount / 2),
              }),
          });
      }
    }
  }
  await writer.close();
  // Conversions in time order, each at its own moment, so windows, bindings and "now" read naturally.
  let conversions = 0;
  for (const event of events.sort((a, b) => a.at - b.at)) {
    if (event.at >= now) continue;
    clock.set(new Date(event.at));
    await event.run();
    conversions += 1;
  }
  say(`demo traffic: ${clickCount} clicks and ${conversions} leads, sales and refunds over the last 60 days`);
}
