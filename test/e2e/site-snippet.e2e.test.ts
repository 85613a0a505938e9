import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { packageRoot } from "../../src/lib/package-root.js";
import { launchChromium } from "./browser-kit.js";

interface TributaryGlobal {
  Tributary: { ready: Promise<string | null>; clickId(): string | null; touchpoints(): string[] };
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
      const page = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${host}</title>
        <script src="http://tributary.localhost:${port}/t.js" data-program="shop" async></script></head>
        <body><h1>${host}</h1></body></html>`;
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

  test("a click on the marketing site is known to the signup form on another subdomain of the site", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
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
    const context = await browser.newContext();
    const page = await context.newPage();
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

  test("a ?via= click posts the page's sub-ids with the slug", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    posted.length = 0;
    await page.goto(`http://www.shop.localhost:${port}/landing?via=spring-deal&sub1=newsletter&sub3=&sub6=no`);
    expect(await ready(page)).toBe(CLICK_ID);
    expect(posted).toEqual([
      {
        slug: "spring-deal",
        current: null,
        referrer: "",
        sub1: "newsletter",
        sub3: "",
      },
    ]);
    await context.close();
  });
});
