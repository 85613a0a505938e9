import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { packageRoot } from "../../src/lib/package-root.js";
import { launchChromium } from "./browser-kit.js";

interface TributaryGlobal {
  Tributary: {
    ready: Promise<string | null>;
    clickId(): string | null;
    touchpoints(): string[];
    consent(yes?: boolean): void;
  };
}

const CLICK_ID = "A".repeat(104);

/**
 * The snippet's own behaviour in the browser, with a stand-in for Tributary's click route (the route is tested in
 * test/http): one server answers `/t.js`, `POST /v1/track/click` and, on any other path, a vendor page loading the
 * snippet from `tributary.localhost`. Chromium resolves every *.localhost name to this machine, so the vendor's
 * marketing site (www.shop.localhost) and app (app.shop.localhost) are two hosts of one site, as in production.
 */
describe.skipIf(!process.env.TRIBUTARY_E2E)("the site snippet in the browser", () => {
  let server: Server;
  /** What the snippet posted to the click route. */
  const posted: Record<string, unknown>[] = [];
  /** The vendor pages asked for, with the browser's Sec-Purpose when it loaded one speculatively. */
  const pagesServed: { url: string; purpose: string | undefined }[] = [];
  let port: number;
  let browser: Browser;

  beforeAll(async () => {
    const snippet = readFileSync(join(packageRoot, "src", "snippet", "t.js"), "utf8");
    server = createServer((request, response) => {
      const host = request.headers.host ?? "";
      if (request.url === "/t.js") {
        response.writeHead(200, { "content-type": "application/javascript" }).end(snippet);
        return;
      }
      if (request.url === "/v1/track/click") {
        let body = "";
        request.on("data", (chunk) => {
          body += chunk;
        });
        request.on("end", () => {
          const sent = JSON.parse(body) as { clickId?: string };
          posted.push(sent);
          response
            .writeHead(200, {
              "content-type": "application/json",
              "access-control-allow-origin": request.headers.origin ?? "*",
            })
            .end(JSON.stringify({ clickId: sent.clickId ?? CLICK_ID, windowDays: 30 }));
        });
        return;
      }
      pagesServed.push({ url: request.url ?? "", purpose: request.headers["sec-purpose"] as string | undefined });
      // /blog asks the browser to prerender the partner's landing page it links to, as a speculation rule would.
      const blog = request.url === "/blog";
      const rules = blog
        ? `<script type="speculationrules">{"prerender":[{"source":"list","urls":["/landing?via=pre-deal"],"eagerness":"immediate"}]}</script>`
        : "";
      // /signup has a form marked for the snippet, one naming its own field, and one left alone.
      const signupForms = request.url?.startsWith("/signup")
        ? `<form id="marked" data-tributary action="/thanks"><input name="email"></form>
           <form id="named" data-tributary="ref"><input name="ref" value="stale"></form>
           <form id="plain"><input name="email"></form>`
        : "";
      // Pages under /consent/ wait for the visitor's consent, as a site with a consent banner sets them up.
      const consent = request.url?.startsWith("/consent/") ? ' data-consent="required"' : "";
      const page = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${host}</title>
        <script src="http://tributary.localhost:${port}/t.js" data-program="shop"${consent} async></script>${rules}</head>
        <body><h1>${host}</h1>${blog ? '<a id="go" href="/landing?via=pre-deal">Deal</a>' : ""}${signupForms}</body></html>`;
      response.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(page);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as AddressInfo).port;
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => server?.close(resolve));
  });

  const ready = (page: Page) => page.evaluate(() => (window as unknown as TributaryGlobal).Tributary.ready);
  const clickIdOn = (page: Page) => page.evaluate(() => (window as unknown as TributaryGlobal).Tributary.clickId());

  /** A visitor of its own: a new browser context (no cookie another test left) and its page; nothing posted yet. */
  async function newVisitor() {
    const context = await browser.newContext();
    posted.length = 0;
    return { context, page: await context.newPage() };
  }

  /** A page whose snippet is to hold back: opened, the snippet loaded, and given the time a post would take. */
  async function openWaiting(page: Page, path: string) {
    await page.goto(`http://www.shop.localhost:${port}${path}`);
    await page.waitForFunction(() => "Tributary" in window);
    await page.waitForTimeout(300);
  }

  test("a click on the marketing site is known to the signup form on another subdomain of the site", async () => {
    const { context, page } = await newVisitor();
    await page.goto(`http://www.shop.localhost:${port}/landing?tb_click=${CLICK_ID}`);
    expect(await ready(page)).toBe(CLICK_ID);
    expect(await clickIdOn(page)).toBe(CLICK_ID);

    await page.goto(`http://app.shop.localhost:${port}/signup`);
    expect(await clickIdOn(page)).toBe(CLICK_ID);
    expect(await page.evaluate(() => (window as unknown as TributaryGlobal).Tributary.touchpoints())).toEqual([
      CLICK_ID,
    ]);
    // Set once, on the site: no copy per host, and no probe left behind.
    const cookies = await context.cookies(`http://app.shop.localhost:${port}/`);
    expect(cookies.map((c) => [c.name, c.domain]).sort()).toEqual([
      ["tributary_click", ".shop.localhost"],
      ["tributary_touch", ".shop.localhost"],
    ]);
    await context.close();
  });

  test("a later click replaces the earlier one on the whole site; on a bare address the cookie stays on its host", async () => {
    const { context, page } = await newVisitor();
    await page.goto(`http://www.shop.localhost:${port}/landing?tb_click=${CLICK_ID}`);
    await ready(page);
    const later = "B".repeat(104);
    await page.goto(`http://app.shop.localhost:${port}/pricing?tb_click=${later}`);
    expect(await ready(page)).toBe(later);
    await page.goto(`http://www.shop.localhost:${port}/`);
    expect(await clickIdOn(page)).toBe(later);
    expect(await page.evaluate(() => (window as unknown as TributaryGlobal).Tributary.touchpoints())).toEqual([
      CLICK_ID,
      later,
    ]);

    await page.goto(`http://127.0.0.1:${port}/landing?tb_click=${CLICK_ID}`);
    expect(await ready(page)).toBe(CLICK_ID);
    expect(await clickIdOn(page)).toBe(CLICK_ID);
    await context.close();
  });

  test("a prerendered landing page posts its click only once the visitor is shown it", async () => {
    const { context, page } = await newVisitor();
    pagesServed.length = 0;
    await page.goto(`http://www.shop.localhost:${port}/blog`);
    await expect
      .poll(() => pagesServed.find((p) => p.url === "/landing?via=pre-deal")?.purpose, { timeout: 10_000 })
      .toContain("prerender");
    // Whatever the prerendered page runs before it is shown, it must not post a click.
    await page.waitForTimeout(500);
    expect(posted).toEqual([]);

    await page.click("#go");
    await page.waitForURL(/\/landing\?via=pre-deal$/);
    expect(await ready(page)).toBe(CLICK_ID);
    expect(posted).toEqual([expect.objectContaining({ slug: "pre-deal" })]);
    // The prerendered page was the one shown: the browser did not load it again.
    expect(pagesServed.filter((p) => p.url === "/landing?via=pre-deal")).toHaveLength(1);
    await context.close();
  });

  test("a page still prerendering (document.prerendering) waits for prerenderingchange to post its click", async () => {
    // The standard's contract, for browsers that run a prerendered page's scripts: this Chromium loads them only
    // once the page is shown (above), so the state is set here as such a browser would set it.
    const { context, page } = await newVisitor();
    // Run on every page the context navigates, from the next one on (the first is about to be opened).
    await context.addInitScript(() => {
      let prerendering = true;
      Object.defineProperty(Document.prototype, "prerendering", { configurable: true, get: () => prerendering });
      (window as unknown as { show: () => void }).show = () => {
        prerendering = false;
        document.dispatchEvent(new Event("prerenderingchange"));
      };
    });
    await openWaiting(page, "/landing?via=quiet-deal");
    expect(posted).toEqual([]);
    await page.evaluate(() => (window as unknown as { show: () => void }).show());
    expect(await ready(page)).toBe(CLICK_ID);
    expect(posted).toEqual([expect.objectContaining({ slug: "quiet-deal" })]);
    await context.close();
  });

  test("with data-consent=required nothing is stored or sent until the visitor consents; withdrawing deletes the cookies", async () => {
    const { context, page } = await newVisitor();
    const consent = (yes?: boolean) =>
      page.evaluate((answer) => (window as unknown as TributaryGlobal).Tributary.consent(answer), yes);
    const cookieNames = async () => (await context.cookies(`http://www.shop.localhost:${port}/`)).map((c) => c.name);

    await openWaiting(page, `/consent/landing?tb_click=${CLICK_ID}`);
    expect(posted).toEqual([]);
    expect(await cookieNames()).toEqual([]);
    // A signup form on this very page can still pass the click id on: it is in the address, not stored.
    expect(await clickIdOn(page)).toBe(CLICK_ID);

    await consent();
    expect(await ready(page)).toBe(CLICK_ID);
    expect(posted).toEqual([{ clickId: CLICK_ID }]);
    expect((await cookieNames()).sort()).toEqual(["tributary_click", "tributary_touch"]);

    await consent(false);
    expect(await cookieNames()).toEqual([]);
    expect(await clickIdOn(page)).toBe(CLICK_ID);

    // Consent given before the snippet loads (window.tributaryConsent), as a banner that answered already does.
    await context.addInitScript(() => {
      (window as unknown as { tributaryConsent: boolean }).tributaryConsent = true;
    });
    posted.length = 0;
    await page.goto(`http://www.shop.localhost:${port}/consent/landing?via=agreed-deal`);
    expect(await ready(page)).toBe(CLICK_ID);
    expect(posted).toEqual([expect.objectContaining({ slug: "agreed-deal" })]);
    await context.close();
  });

  test("forms marked data-tributary carry the click id in a hidden field, also forms a single-page app adds later", async () => {
    const { context, page } = await newVisitor();
    await page.goto(`http://www.shop.localhost:${port}/landing?tb_click=${CLICK_ID}`);
    await ready(page);
    await page.goto(`http://app.shop.localhost:${port}/signup`);
    const fieldValue = (selector: string) =>
      page.evaluate((s) => (document.querySelector(s) as HTMLInputElement | null)?.value ?? null, selector);
    await expect.poll(() => fieldValue('#marked input[name="tributary_click_id"]')).toBe(CLICK_ID);
    expect(await page.locator('#marked input[name="tributary_click_id"]').getAttribute("type")).toBe("hidden");
    expect(await fieldValue('#named input[name="ref"]')).toBe(CLICK_ID);
    expect(await page.locator("#plain input").count()).toBe(1);

    // A form rendered after load: filled as it is submitted, before the app's own handler reads it.
    const sent = await page.evaluate(() => {
      const form = document.createElement("form");
      form.setAttribute("data-tributary", "");
      document.body.appendChild(form);
      let seen: string | null = null;
      form.addEventListener("submit", (e) => {
        e.preventDefault();
        seen = new FormData(form).get("tributary_click_id") as string | null;
      });
      form.requestSubmit();
      return seen;
    });
    expect(sent).toBe(CLICK_ID);
    await context.close();
  });

  test("a ?via= click posts the page's sub-ids with the slug", async () => {
    const { context, page } = await newVisitor();
    await page.goto(`http://www.shop.localhost:${port}/landing?via=spring-deal&sub1=newsletter&sub3=&sub6=no`);
    expect(await ready(page)).toBe(CLICK_ID);
    expect(posted).toEqual([
      {
        slug: "spring-deal",
        current: null,
        referrer: "",
        // The page without its query: a visitor's email or a token in it stays on the site.
        page: `http://www.shop.localhost:${port}/landing`,
        sub1: "newsletter",
        sub3: "",
      },
    ]);
    await context.close();
  });

  test("a ?via= page opened from a paid ad posts the ad click id's name, never its value", async () => {
    const { context, page } = await newVisitor();
    await page.goto(`http://www.shop.localhost:${port}/landing?via=spring-deal&gad_source=1&gclid=Cj0KCQiA&fbclid=x`);
    expect(await ready(page)).toBe(CLICK_ID);
    expect(posted).toEqual([
      {
        slug: "spring-deal",
        current: null,
        referrer: "",
        page: `http://www.shop.localhost:${port}/landing`,
        adClick: "gclid",
      },
    ]);
    expect(JSON.stringify(posted)).not.toContain("Cj0KCQiA");
    await context.close();
  });
});
