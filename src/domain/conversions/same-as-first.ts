import { moneyIn } from "../../db/explanation-recipe.js";
import { AppError, type FieldError } from "../../lib/errors.js";
import type { ConversionView } from "./conversions.schemas.js";

/** What a lead, sale or refund says, as its request and as its stored view can both tell. */
export interface ConversionFacts {
  amountMinor?: bigint | undefined;
  currency?: string | undefined;
  customerExternalId?: string | undefined;
  eventName?: string | undefined;
}

/** An amount for people, "USD 24.50", or the bare minor units when there is no currency. */
export const amountText = (amount: bigint | number, currency: string | null | undefined) =>
  currency ? moneyIn(currency)(BigInt(amount)) : String(amount);

/**
 * A key recorded before, sent again, is a retry only if it says what the first request said: otherwise it is
 * another lead, sale or refund under a reused key (an order number that restarted, two shops sharing one program),
 * and answering it with the first result would lose it without a word. The first is kept; the second is a 409
 * naming what differs. Only what both requests state is compared: a retry that leaves out an optional field is
 * still a retry.
 */
export function assertSameAsFirst(
  keyField: string,
  key: string,
  sent: ConversionFacts,
  first: ConversionView,
  /** What else the caller found different (a refund's order). */
  alsoDiffers: FieldError[] = [],
): void {
  const differs: FieldError[] = [...alsoDiffers];
  if (sent.amountMinor !== undefined && first.amount !== null && sent.amountMinor !== BigInt(first.amount))
    differs.push({
      field: "/amount",
      message: `was ${amountText(first.amount, first.currency)} when ${key} was first recorded`,
    });
  if (sent.currency !== undefined && first.currency !== null && sent.currency !== first.currency)
    differs.push({ field: "/currency", message: `was ${first.currency} when ${key} was first recorded` });
  if (
    sent.customerExternalId !== undefined &&
    first.customerExternalId !== null &&
    sent.customerExternalId !== first.customerExternalId
  )
    differs.push({
      field: "/customerExternalId",
      message: `was ${first.customerExternalId} when ${key} was first recorded`,
    });
  if (sent.eventName !== undefined && first.eventName !== null && sent.eventName !== first.eventName)
    differs.push({ field: "/eventName", message: `was ${first.eventName} when ${key} was first recorded` });
  if (differs.length === 0) return;
  throw new AppError(
    "conflict",
    `${keyField.slice(1)} ${key} was recorded before with other details: a retry must repeat the first request, and a new event needs a new ${keyField.slice(1)}`,
    { fields: [{ field: keyField, message: "was recorded before with other details" }, ...differs] },
  );
}
