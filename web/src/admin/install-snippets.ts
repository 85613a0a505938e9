import { formatMoney, minorUnitsPerMajor } from "../shared/money.js";
import type { Program } from "../shared/types.js";

/** The site snippet tag for a program, as served by this Tributary. */
export function snippetTag(program: Program, origin: string): string {
  const param =
    program.clickIdParam && program.clickIdParam !== "tb_click" ? ` data-param="${program.clickIdParam}"` : "";
  return `<script src="${origin}/t.js" data-program="${program.slug}"${param} async></script>`;
}

export const browserExample = `// On your signup or checkout page. The snippet loads async: wait for it first, and go
// on without it if it could not load (an ad blocker) - the order must not wait on tracking.
const tributary = () =>
  new Promise((resolve) => {
    if (window.Tributary) return resolve(window.Tributary);
    const script = document.querySelector('script[src$="/t.js"]');
    if (!script) return resolve(null);
    script.addEventListener("load", () => resolve(window.Tributary ?? null));
    script.addEventListener("error", () => resolve(null));
  });

const t = await tributary();
const clickId = t ? await t.ready.then(() => t.clickId()) : null;
const touchpoints = t ? t.touchpoints() : []; // every partner click, for multi-touch models

// Send both to your backend with the form, e.g. as hidden inputs.`;

const curl = (origin: string, path: string, body: Record<string, unknown>) =>
  [
    `curl -X POST ${origin}${path} \\`,
    `  -H "Authorization: Bearer $TRIBUTARY_API_KEY" \\`,
    `  -H "Content-Type: application/json" \\`,
    `  -d '${JSON.stringify(body, null, 2).replaceAll("\n", "\n  ")}'`,
  ].join("\n");

/** A typical order amount in the program's currency, in minor units: 49 major units. */
export const exampleAmount = (program: Program): number => 49 * minorUnitsPerMajor(program.currency);

export const exampleAmountText = (program: Program): string =>
  `${exampleAmount(program)} = ${formatMoney(exampleAmount(program), program.currency)}`;

export function curlExamples(program: Program, origin: string) {
  const amount = exampleAmount(program);
  return {
    lead: curl(origin, "/v1/track/lead", {
      programId: program.id,
      customerExternalId: "cus_1001",
      email: "jane@customer.example",
      clickId: "CLICK_ID_FROM_TRIBUTARY_CLICKID",
      eventName: "signup",
    }),
    sale: curl(origin, "/v1/track/sale", {
      programId: program.id,
      orderId: "order_5001",
      amount,
      currency: program.currency,
      customerExternalId: "cus_1001",
      clickId: "CLICK_ID_FROM_TRIBUTARY_CLICKID",
      touchpoints: ["CLICK_IDS_FROM_TRIBUTARY_TOUCHPOINTS"],
      couponCode: "SPRING20",
    }),
    refund: curl(origin, "/v1/track/refund", {
      programId: program.id,
      orderId: "order_5001",
      refundId: "refund_7001",
      amount,
    }),
  };
}
