import { type FastifyPluginAsyncTypebox, Type } from "@fastify/type-provider-typebox";
import Stripe from "stripe";
import type { CommissionWorker } from "../../domain/commissions/commission-worker.js";
import { handleStripeEvent } from "../../domain/stripe-events/handle-stripe-event.js";
import {
  isStripeBillingEvent,
  StripeEventShape,
  StripeTransferEventShape,
  stripeBillingEventShapes,
  stripeTransferEventTypes,
} from "../../domain/stripe-events/stripe-events.schemas.js";
import type { TrackingRuntime } from "../../domain/tracking/tracking-runtime.js";
import { publicAccess } from "../access.js";
import { problem, sendProblem } from "../problem.js";
import { responses } from "../schemas.js";
import { validatorCompiler } from "../validators.js";

const compileBody = (schema: object) =>
  validatorCompiler({ schema, httpPart: "body", method: "POST", url: "/webhooks/stripe" }) as ((
    value: unknown,
  ) => boolean) & { errors?: unknown[] | null };
const isEventShaped = compileBody(StripeEventShape);
const isTransferEventShaped = compileBody(StripeTransferEventShape);
const billingShapes = new Map(
  Object.entries(stripeBillingEventShapes).map(([type, shape]) => [type, compileBody(shape)] as const),
);

/** The check of a type's own fields: a transfer's, a billing object's, or none. */
const typeShapeOf = (type: string) =>
  stripeTransferEventTypes.has(type)
    ? isTransferEventShaped
    : isStripeBillingEvent(type)
      ? billingShapes.get(type)
      : undefined;

/** A signed body that is not shaped like the events handled here: the same 422 as any body that fails its schema. */
function checkShape(event: Stripe.Event) {
  if (!isEventShaped(event)) throw unshaped(isEventShaped.errors);
  const typeShaped = typeShapeOf(event.type);
  if (typeShaped && !typeShaped(event)) throw unshaped(typeShaped.errors);
}

const unshaped = (errors: unknown[] | null | undefined) =>
  Object.assign(new Error("the Stripe event is not shaped as expected"), {
    validation: errors,
    validationContext: "body",
  });

const StripeEventResultSchema = Type.Object({
  received: Type.Literal(true),
  duplicate: Type.Boolean({ description: "the event id was handled before; nothing was done again" }),
  outcome: Type.String({ description: "what handling the event did, e.g. a reversal credited, or ignored" }),
});

/**
 * Stripe's asynchronous events: Connect transfers and accounts, and the vendor's billing (Checkout sessions,
 * invoices, refunds) for programs that take Stripe billing. No session or API key: the caller is Stripe because the
 * `Stripe-Signature` header signs the exact body with the endpoint's secret.
 */
export const stripeWebhookRoutes =
  (tracking: TrackingRuntime, commissions: CommissionWorker): FastifyPluginAsyncTypebox =>
  async (app) => {
    const billing = {
      keys: tracking.keys,
      programs: tracking.programs,
      conversions: tracking.conversions,
      recorded: () => commissions.kick(),
    };
    // The signature covers the bytes Stripe sent, so this scope keeps JSON bodies raw; the library parses them once verified.
    app.addContentTypeParser("application/json", { parseAs: "buffer" }, (_request, body, done) => done(null, body));
    app.post(
      "/webhooks/stripe",
      {
        config: { access: publicAccess, csrf: false },
        schema: {
          tags: ["webhooks"],
          summary:
            "Stripe webhook endpoint (transfer.reversed, transfer.updated, account.updated; billing: checkout.session.completed, checkout.session.async_payment_succeeded, invoice.paid, charge.refunded, refund.updated)",
          description:
            "Point two Stripe webhook endpoints here — one for the platform account's events (transfer.reversed, transfer.updated, and for Stripe billing tracking " +
            "checkout.session.completed, checkout.session.async_payment_succeeded, invoice.paid, charge.refunded, refund.updated), one for connected accounts' events (account.updated) — and set " +
            "STRIPE_WEBHOOK_SECRET to their signing secrets, comma-separated. Events are verified with the official library, checked against Stripe's API " +
            "and handled once per event id; other event types are acknowledged and ignored.",
          response: responses({ 200: StripeEventResultSchema }),
        },
      },
      async (request, reply) => {
        const secrets = request.ctx.payouts?.stripeWebhookSecrets ?? [];
        if (secrets.length === 0)
          return sendProblem(
            reply,
            problem(
              404,
              "stripe_webhooks_not_configured",
              "Stripe webhooks are not enabled on this installation: set STRIPE_WEBHOOK_SECRET to the endpoints' signing secrets",
            ),
          );
        const signature = request.headers["stripe-signature"];
        const rejected = (detail: string) =>
          sendProblem(
            reply,
            problem(400, "invalid_signature", detail, {
              errors: [{ field: "header:/stripe-signature", message: detail }],
            }),
          );
        if (typeof signature !== "string" || signature === "")
          return rejected("the Stripe-Signature header is missing");
        const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
        // Stripe's replay window (a signature older than 5 minutes is refused), measured on the service's clock.
        const receivedAt = request.ctx.clock.now().getTime();
        let event: Stripe.Event | undefined;
        let verified = false;
        let refusal = "";
        // Each endpoint (platform events, connected accounts' events) signs with its own secret: one of them must match.
        for (const secret of secrets) {
          try {
            event = Stripe.webhooks.constructEvent(body, signature, secret, undefined, undefined, receivedAt);
            verified = true;
            break;
          } catch (error) {
            if (error instanceof Stripe.errors.StripeSignatureVerificationError) refusal = error.message;
            // The library parses only what the signature verified: the header is right, the body is what is wrong.
            else if (error instanceof SyntaxError)
              return sendProblem(
                reply,
                problem(400, "malformed_body", "the signed body is not JSON", {
                  errors: [{ field: "/", message: "is not JSON" }],
                }),
              );
            else throw error;
          }
        }
        if (!verified) return rejected(`the Stripe-Signature header does not sign this body: ${refusal}`);
        // A signed body that parses to something else than an object (`null`, a number) is checked like any other.
        const signed = event as Stripe.Event;
        checkShape(signed);
        request.log.info({ stripeEvent: signed.id, type: signed.type }, "Stripe event received");
        return handleStripeEvent(request.ctx, signed, billing);
      },
    );
  };
