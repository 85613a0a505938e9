import type autocannon from "autocannon";
import type { ArrangedProgram } from "../test/helpers/server-process.js";

/** The browser every benchmark visitor claims to be (a bot would be redirected but not counted). */
export const BENCH_USER_AGENT =
  "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36";

/** One click through the program's link, made before a sale load: the click id its sales present. */
export async function clickForSales(base: string, slug: string): Promise<{ clickId: string; clickedAt: number }> {
  const clickedAt = Date.now();
  const redirect = await fetch(`${base}/r/${slug}`, {
    redirect: "manual",
    headers: { "user-agent": BENCH_USER_AGENT },
  });
  const clickId = new URL(redirect.headers.get("location")!).searchParams.get("tb_click");
  if (!clickId) throw new Error("the redirect carried no click id");
  return { clickId, clickedAt };
}

/**
 * Honest sales come well after their click: fraud screening holds a sale within 15 s of it as click injection,
 * and the point of a sale load is the cost of an accepted sale.
 */
export const pastClickInjection = (clickedAt: number) =>
  new Promise((resolve) => setTimeout(resolve, Math.max(0, clickedAt + 16_000 - Date.now())));

/** A sale of its own order and customer through the one click (a repeated customer and amount would be a duplicate order). */
const honestSale = (arranged: ArrangedProgram, clickId: string, run: number, n: number) => ({
  programId: arranged.programId,
  orderId: `bench-${run}-${n}`,
  amount: 4900,
  currency: "USD",
  clickId,
  customerExternalId: `cus-${run}-${n}`,
});

const apiHeaders = (arranged: ArrangedProgram) => ({
  "content-type": "application/json",
  authorization: `Bearer ${arranged.apiKey}`,
});

/** Records one sale without a click: a new sale kicks the commission engine, which then drains all that is queued. */
export async function kickWithOneSale(base: string, arranged: ArrangedProgram): Promise<void> {
  const response = await fetch(`${base}/v1/track/sale`, {
    method: "POST",
    headers: apiHeaders(arranged),
    body: JSON.stringify({
      programId: arranged.programId,
      orderId: `kick-${Date.now()}`,
      customerExternalId: `kick-${Date.now()}`,
      amount: 100,
      currency: "USD",
    }),
  });
  if (!response.ok) throw new Error(`the kicking sale got ${response.status}: ${await response.text()}`);
}

/**
 * The sale load's request: distinct orders of distinct customers through the one click. `async`: with
 * `Prefer: respond-async`, answered 202 once stored in the intake and recorded moments later.
 */
export function saleRequests(arranged: ArrangedProgram, clickId: string, { async = false } = {}): autocannon.Request[] {
  const run = Date.now();
  let n = 0;
  return [
    {
      method: "POST",
      path: "/v1/track/sale",
      headers: { ...apiHeaders(arranged), ...(async ? { prefer: "respond-async" } : {}) },
      setupRequest: (request) => ({ ...request, body: JSON.stringify(honestSale(arranged, clickId, run, ++n)) }),
    },
  ];
}

/** The same sales, `size` to a request of POST /v1/track/batch, as a billing system's sync sends them. */
export function batchSaleRequests(arranged: ArrangedProgram, clickId: string, size: number): autocannon.Request[] {
  const run = Date.now();
  let n = 0;
  return [
    {
      method: "POST",
      path: "/v1/track/batch",
      headers: apiHeaders(arranged),
      setupRequest: (request) => ({
        ...request,
        body: JSON.stringify({ sales: Array.from({ length: size }, () => honestSale(arranged, clickId, run, ++n)) }),
      }),
    },
  ];
}

/**
 * Sends one batch and checks that every sale in it was recorded (201): autocannon counts a batch's 200 as a success
 * whatever its sales' outcomes, so a load of refused sales would otherwise pass for a fast one.
 */
export async function checkBatchRecords(base: string, arranged: ArrangedProgram, clickId: string, size: number) {
  const run = Date.now();
  const sales = Array.from({ length: size }, (_, i) => honestSale(arranged, clickId, run, i));
  const response = await fetch(`${base}/v1/track/batch`, {
    method: "POST",
    headers: apiHeaders(arranged),
    body: JSON.stringify({ sales: sales.map((s) => ({ ...s, orderId: `check-${s.orderId}` })) }),
  });
  const body = (await response.json()) as { results?: { sales: { status: number }[] } };
  const statuses = body.results?.sales.map((s) => s.status) ?? [];
  if (response.status !== 200 || statuses.length !== size || statuses.some((s) => s !== 201))
    throw new Error(`a batch of sales was not recorded: ${response.status} ${JSON.stringify(body).slice(0, 500)}`);
}
