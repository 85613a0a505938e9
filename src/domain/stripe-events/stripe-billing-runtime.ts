import Stripe from "stripe";
import type { Static, TSchema } from "typebox";
import type { ConversionBatcher } from "../conversions/conversion-batcher.js";
import type { ProgramCache } from "../conversions/find-program-ref.js";
import type { ClickIdKeys } from "../tracking/click-id.js";
import type {
  StripeChargeEventShape,
  StripeCheckoutEventShape,
  StripeInvoiceEventShape,
  StripeRefundEventShape,
} from "./stripe-events.schemas.js";

/** What Stripe billing tracking needs beyond the context: the Conversion API's keys, caches and group commit. */
export interface StripeBillingRuntime {
  keys: ClickIdKeys;
  programs?: ProgramCache | undefined;
  conversions?: ConversionBatcher | undefined;
  /** A lead, sale or refund was recorded: the commission engine has credits to turn into commissions. */
  recorded(): void;
}

type ObjectOf<T extends TSchema> = Static<T> extends { data: { object: infer O } } ? O : never;
/** The event's object, as its shape (checked before the event is handled) says. */
export type CheckoutSessionObject = ObjectOf<typeof StripeCheckoutEventShape>;
export type InvoiceObject = ObjectOf<typeof StripeInvoiceEventShape>;
export type ChargeObject = ObjectOf<typeof StripeChargeEventShape>;
export type RefundObject = ObjectOf<typeof StripeRefundEventShape>;

/** Stripe answers 404 for an object the platform's key cannot see (another account's, or the other mode's). */
export const missing = (error: unknown) =>
  error instanceof Stripe.errors.StripeError && (error.statusCode === 404 || error.statusCode === 403);

/** Stripe's times are seconds since the epoch. */
export const fromSeconds = (seconds: number) => new Date(seconds * 1000).toISOString();

/** What a recorded or replayed conversion is, in the event log's words. */
export const recordedText = (
  what: string,
  program: { name: string },
  result: { replayed: boolean; conversion: { id: string; summary: string } },
) =>
  result.replayed
    ? `${what} already recorded as ${result.conversion.id} in "${program.name}"`
    : `${what} recorded as ${result.conversion.id} in "${program.name}": ${result.conversion.summary}`;
