import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { type Browser, type BrowserContext, type BrowserContextOptions, chromium, type Page } from "playwright-core";
import { packageRoot } from "../../src/lib/package-root.js";
import { type E2eServer, startE2eServer } from "./e2e-server.js";

/** Where the browser tests save their screenshots (CI keeps them as artifacts; git does not). */
export const SHOTS = join(packageRoot, "test-results", "e2e");

const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** A screenshot in test-results/e2e, to look at after a run. */
export const shot = (page: Page, name: string, fullPage = true) =>
  page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage });

/** A page whose uncaught script errors land in `errors` (a test ends by expecting none). */
export async function pageRecordingErrors(context: BrowserContext, errors: string[]): Promise<Page> {
  const page = await context.newPage();
  page.on("pageerror", (error) => errors.push(`${page.url()}: ${error.message}`));
  return page;
}

/** Debian's Chromium (or CHROMIUM_PATH) through playwright-core, headless; the screenshot folder made. */
export async function launchChromium(): Promise<Browser> {
  mkdirSync(SHOTS, { recursive: true });
  return chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium", args: CHROMIUM_ARGS });
}

/**
 * A fresh server, a browser and the two contexts most browser tests drive: the owner's (the first-run set-up done, so
 * signed in) and the partner's (empty until it applies). `close` ends the browser and the server.
 */
export interface BrowserStage {
  server: E2eServer;
  browser: Browser;
  owner: BrowserContext;
  partner: BrowserContext;
  close(): Promise<void>;
}

export async function openBrowserStage(
  owner: { name: string; email: string; password: string },
  options: {
    /** Configuration for the server (startE2eServer's `env`). */
    env?: Record<string, string>;
    /** Both contexts' options besides the server's baseURL; then what only one of them has. */
    contexts?: BrowserContextOptions;
    ownerOnly?: BrowserContextOptions;
    partnerOnly?: BrowserContextOptions;
  } = {},
): Promise<BrowserStage> {
  const server = await startE2eServer(options.env);
  let browser: Browser | undefined;
  const close = async () => {
    await browser?.close();
    await server.close();
  };
  try {
    browser = await launchChromium();
    const shared = { baseURL: server.baseUrl, ...options.contexts };
    const ownerContext = await browser.newContext({ ...shared, ...options.ownerOnly });
    const partnerContext = await browser.newContext({ ...shared, ...options.partnerOnly });
    await callApi(ownerContext, "POST", "/v1/setup/owner", owner);
    return { server, browser, owner: ownerContext, partner: partnerContext, close };
  } catch (error) {
    // The test's afterAll has no stage to close: nothing is left running.
    await close();
    throw error;
  }
}

/** JSON API calls inside a browser context: its cookies, plus the CSRF token that changes need. */
export async function callApi<T>(
  context: BrowserContext,
  method: "GET" | "POST" | "PUT" | "PATCH",
  path: string,
  body?: unknown,
) {
  const csrf = (await (await context.request.get("/v1/auth/csrf")).json()) as { token: string };
  const response = await context.request.fetch(path, {
    method,
    headers: { "x-csrf-token": csrf.token, accept: "application/json" },
    ...(body === undefined ? {} : { data: body }),
  });
  if (!response.ok()) throw new Error(`${method} ${path} → ${response.status()} ${await response.text()}`);
  return (await response.json()) as T;
}

/**
 * The set-up the browser tests share: the partner applies to the program through the public form's API in its own
 * browser context (which signs it in there), and the owner approves the enrollment.
 */
export async function enrollApprovedPartner(
  contexts: { owner: BrowserContext; partner: BrowserContext },
  program: { id: string; slug: string },
  applicant: { name: string; email: string; password: string; company: string },
): Promise<{ id: string; partnerId: string }> {
  await callApi(contexts.partner, "POST", `/v1/public/programs/${program.slug}/applications`, {
    ...applicant,
    partnerType: "affiliate",
    country: "DE",
    answers: {},
    acceptTerms: true,
  });
  const { items } = await callApi<{ items: { id: string; partnerId: string }[] }>(
    contexts.owner,
    "GET",
    `/v1/enrollments?programId=${program.id}`,
  );
  const enrollment = items[0]!;
  await callApi(contexts.owner, "POST", `/v1/enrollments/${enrollment.id}/approve`, {});
  return enrollment;
}

/** What a shop program has besides being active, in USD, on shop.example; each test asks only for what it uses. */
export interface ShopProgramExtras {
  /** https://shop.example/ as the default landing page: the partner's default link then has somewhere to go. */
  landingPage?: boolean;
  /** The "Standard" plan: 10 % of every sale. */
  standardPlan?: boolean;
}

/**
 * The shop most browser tests sell through, arranged over the API by a signed-in owner: an active USD program on
 * shop.example (with the extras asked for) and one partner approved in it, signed in in its own context.
 */
export async function arrangeShopProgram(
  contexts: { owner: BrowserContext; partner: BrowserContext },
  program: { name: string; slug: string },
  applicant: { name: string; email: string; password: string; company: string },
  extras: ShopProgramExtras = {},
): Promise<{ programId: string; enrollment: { id: string; partnerId: string } }> {
  const { id: programId } = await callApi<{ id: string }>(contexts.owner, "POST", "/v1/programs", {
    ...program,
    type: "affiliate",
    status: "active",
    currency: "USD",
    allowedDomains: ["shop.example"],
    ...(extras.landingPage ? { defaultLandingUrl: "https://shop.example/" } : {}),
  });
  if (extras.standardPlan) {
    await callApi(contexts.owner, "POST", `/v1/programs/${programId}/plans`, {
      name: "Standard",
      scope: "program",
      definition: { rules: [{ id: "sales", name: "Sales", event: "sale", reward: { type: "percent", bps: 1_000 } }] },
    });
  }
  const enrollment = await enrollApprovedPartner(contexts, { id: programId, slug: program.slug }, applicant);
  return { programId, enrollment };
}

/** The shop backend's API key for reporting leads and sales (track:write only); its secret. */
export async function createTrackKey(owner: BrowserContext): Promise<string> {
  const key = await callApi<{ secret: string }>(owner, "POST", "/v1/api-keys", {
    name: "Shop backend",
    scopes: ["track:write"],
  });
  return key.secret;
}

/** The partner's default link (the one every enrollment gets); its slug. */
export async function defaultLinkSlug(partner: BrowserContext): Promise<string> {
  const links = await callApi<{ items: { slug: string; isDefault: boolean }[] }>(partner, "GET", "/v1/portal/links");
  return links.items.find((link) => link.isDefault)!.slug;
}

/** A desktop browser's user agent: headless Chromium's own says "HeadlessChrome", which the redirect takes for a bot. */
export const VISITOR_UA =
  "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36";

/**
 * A visitor's click through a partner link (`slug`, with a query if asked), by a desktop browser, the redirect not
 * followed; the click id its destination receives. With CLICK_DURABILITY=sync the click is stored before the 302.
 */
export async function clickThrough(server: E2eServer, link: string, headers: Record<string, string> = {}) {
  const response = await fetch(`${server.baseUrl}/r/${link}`, {
    redirect: "manual",
    headers: { "user-agent": VISITOR_UA, ...headers },
  });
  const clickId = new URL(response.headers.get("location") ?? "", server.baseUrl).searchParams.get("tb_click");
  if (response.status !== 302 || !clickId) {
    throw new Error(`/r/${link} → ${response.status} ${response.headers.get("location")}, not a 302 with a tb_click`);
  }
  return clickId;
}

/** The shop's backend reporting a sale, lead or refund with its track:write key; the server's answer, unread. */
export function reportToTrack(server: E2eServer, secret: string, event: "sale" | "lead" | "refund", body: unknown) {
  return fetch(`${server.baseUrl}/v1/track/${event}`, {
    method: "POST",
    headers: { authorization: `Bearer ${secret}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
}
