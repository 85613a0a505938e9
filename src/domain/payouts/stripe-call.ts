import Stripe from "stripe";
import { AppError } from "../../lib/errors.js";

/**
 * A Stripe API call made for a person waiting on it: Stripe refusing it (a country it does not support, an
 * account it rejected) or not answering becomes a problem that says so, not a bare 500.
 */
export async function stripeCall<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof Stripe.errors.StripeConnectionError || error instanceof Stripe.errors.StripeAPIError)
      throw new AppError("invalid_state", `Stripe could not be reached to ${what}; try again in a moment`);
    if (error instanceof Stripe.errors.StripeError)
      throw new AppError("invalid_state", `Stripe refused to ${what}: ${error.message}`, {
        extra: { stripeCode: error.code ?? null },
      });
    throw error;
  }
}
