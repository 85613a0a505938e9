import { formatMoney, minorUnitsPerMajor } from "../shared/money.js";
import type { Program } from "../shared/types.js";

/** The site snippet tag for a program, as served by this Tributary. */
export function snippetTag(program: Program, origin: string): string {
  const param =
    program.clickIdParam && program.clickIdParam !== "tb_click" ? ` data-param="${program.clickIdParam}"` : "";
  return `<script src="${origin}/t.js" data-program="${program.slug}"${param} async></script>`;
}

/** The hidden field the snippet adds to a form marked `data-tributary` (src/snippet/t.js). */
export const FORM_FIELD = "tributary_click_id";
export const formExample = `<form action="/signup" method="post" data-tributary>
  <!-- the snippet adds <input type="hidden" name="${FORM_FIELD}" value="…"> -->
  …
</form>`;

/** How long the browser example waits for the snippet before the form goes on without it. */
export const SNIPPET_WAIT_MS = 2000;

/**
 * The browser side of step 2. A classic script cannot `await` at its top level, and a snippet that failed to load
 * before this runs (an ad blocker) fires no event any more: waiting for one would hold the signup for ever. So it is
 * a function, bounded in time, that a form's submit handler awaits.
 */
export const browserExample = `// On your signup or checkout page. The snippet loads async: this waits
// for it, at most ${SNIPPET_WAIT_MS / 1000} seconds, and goes on without it when it is blocked
// (an ad blocker) or slow: a signup or an order must never wait on tracking.
function tributaryIds() {
  const loaded = new Promise((resolve) => {
    if (window.Tributary) return resolve(window.Tributary);
    const script = document.querySelector('script[src$="/t.js"]');
    if (!script) return resolve(null);
    script.addEventListener("load", () => resolve(window.Tributary ?? null));
    script.addEventListener("error", () => resolve(null));
  }).then((t) => (t ? t.ready.then(() => t) : null));
  const giveUp = new Promise((resolve) => setTimeout(resolve, ${SNIPPET_WAIT_MS}, null));
  return Promise.race([loaded, giveUp]).then((t) => ({
    clickId: t ? t.clickId() : null, // the latest partner click
    touchpoints: t ? t.touchpoints() : [], // every one, for multi-touch models
  }));
}

// In the form's submit handler: send both to your backend with the signup
// or order (e.g. as hidden inputs), and pass them on in step 3.
// const { clickId, touchpoints } = await tributaryIds();`;

/** What the examples send where the signup form's values go: replaced by the vendor's backend. */
export const CLICK_ID_PLACEHOLDER = "CLICK_ID_FROM_TRIBUTARY_CLICKID";
export const TOUCHPOINTS_PLACEHOLDER = "CLICK_IDS_FROM_TRIBUTARY_TOUCHPOINTS";

/** A typical order amount in the program's currency, in minor units: 49 major units. */
export const exampleAmount = (program: Program): number => 49 * minorUnitsPerMajor(program.currency);

export const exampleAmountText = (program: Program): string =>
  `${exampleAmount(program)} = ${formatMoney(exampleAmount(program), program.currency)}`;

/** The three conversion calls' paths and bodies, as the examples send them. */
function conversionCalls(program: Program) {
  const amount = exampleAmount(program);
  // Only the last click counts under last click; every other model weighs the customer's earlier clicks too.
  const multiTouch = program.attributionModel !== "last_click";
  return {
    lead: {
      path: "/v1/track/lead",
      body: {
        programId: program.id,
        customerExternalId: "cus_1001",
        email: "jane@customer.example",
        clickId: CLICK_ID_PLACEHOLDER,
        ...(multiTouch ? { touchpoints: [TOUCHPOINTS_PLACEHOLDER] } : {}),
        eventName: "signup",
      },
    },
    // The customer's lead brought its clicks: a sale names the customer, and the click id of the checkout visit.
    sale: {
      path: "/v1/track/sale",
      body: {
        programId: program.id,
        orderId: "order_5001",
        amount,
        currency: program.currency,
        customerExternalId: "cus_1001",
        clickId: CLICK_ID_PLACEHOLDER,
      },
    },
    refund: {
      path: "/v1/track/refund",
      body: { programId: program.id, orderId: "order_5001", refundId: "refund_7001", amount },
    },
  };
}

const curl = (origin: string, path: string, body: Record<string, unknown>) =>
  [
    `curl -X POST ${origin}${path} \\`,
    `  -H "Authorization: Bearer $TRIBUTARY_API_KEY" \\`,
    `  -H "Content-Type: application/json" \\`,
    `  -d '${JSON.stringify(body, null, 2).replaceAll("\n", "\n  ")}'`,
  ].join("\n");

/**
 * One call as a Node.js ES module (Node 18 or later: fetch is built in), complete on its own so that it runs as
 * pasted: it says whether a partner was credited and why, and fails loudly on a refused call.
 */
const node = (origin: string, path: string, body: Record<string, unknown>) =>
  [
    "// Node.js 18+, saved as track.mjs; TRIBUTARY_API_KEY set in the environment.",
    `const response = await fetch("${origin}${path}", {`,
    `  method: "POST",`,
    "  headers: {",
    `    Authorization: \`Bearer \${process.env.TRIBUTARY_API_KEY}\`,`,
    `    "Content-Type": "application/json",`,
    "  },",
    `  body: JSON.stringify(${JSON.stringify(body, null, 2).replaceAll("\n", "\n  ")}),`,
    "});",
    "const result = await response.json();",
    "if (!response.ok)",
    `  throw new Error(\`Tributary answered \${response.status}: \${result.detail}\`);`,
    // A refund credits nobody: it takes back what its sale credited.
    path.endsWith("/refund")
      ? "console.log(result.summary);"
      : `console.log(result.attributed ? "credited:" : "not credited:", result.summary);`,
  ].join("\n");

export type ExampleLanguage = "curl" | "node";

/** The lead, sale and refund calls in a language, with this program's id and this Tributary's address. */
export function conversionExamples(program: Program, origin: string, language: ExampleLanguage) {
  const calls = conversionCalls(program);
  const write = language === "curl" ? curl : node;
  return {
    lead: write(origin, calls.lead.path, calls.lead.body),
    sale: write(origin, calls.sale.path, calls.sale.body),
    refund: write(origin, calls.refund.path, calls.refund.body),
  };
}

/** The billing events Stripe billing tracking acts on (README "Stripe billing"): what to select on the webhook. */
export const STRIPE_BILLING_EVENTS = [
  "checkout.session.completed",
  "checkout.session.async_payment_succeeded",
  "invoice.paid",
  "charge.refunded",
  "refund.updated",
] as const;

/** Stripe Checkout, created on the vendor's server: the click id goes in as `client_reference_id`. */
export const stripeCheckoutExample = `// On your server, creating the Checkout session (clickId: what
// tributaryIds() gave the page in step 2, sent with the order):
const session = await stripe.checkout.sessions.create({
  mode: "subscription",
  line_items: [{ price: "price_…", quantity: 1 }],
  client_reference_id: clickId || undefined,
  success_url: "https://…/welcome",
});`;

/** Payment Links take `client_reference_id` from their URL: the page adds the click id to its links. */
export const stripePaymentLinkExample = `// On pages with your Payment Links (tributaryIds: step 2):
const PAYMENT_LINKS = 'a[href^="https://buy.stripe.com/"]';
tributaryIds().then(({ clickId }) => {
  if (!clickId) return;
  for (const a of document.querySelectorAll(PAYMENT_LINKS)) {
    const url = new URL(a.href);
    url.searchParams.set("client_reference_id", clickId);
    a.href = url.toString();
  }
});`;

/** Customers the vendor creates itself carry the click id in their metadata. */
export const stripeCustomerExample = `// If your server creates the Stripe customer itself:
const customer = await stripe.customers.create({
  email,
  metadata: { tributary_click_id: clickId },
});`;
