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

/**
 * The sale load's request: distinct orders of distinct customers through the one click (a repeated customer and
 * amount would be a duplicate order).
 */
export function saleRequests(arranged: ArrangedProgram, clickId: string): autocannon.Request[] {
  const run = Date.now();
  let n = 0;
  return [
    {
      method: "POST",
      path: "/v1/track/sale",
      headers: { "content-type": "application/json", authorization: `Bearer ${arranged.apiKey}` },
      setupRequest: (request) => {
        n += 1;
        return {
          ...request,
          body: JSON.stringify({
            programId: arranged.programId,
            orderId: `bench-${run}-${n}`,
            amount: 4900,
            currency: "USD",
            clickId,
            customerExternalId: `cus-${run}-${n}`,
          }),
        };
      },
    },
  ];
}
