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
  first: Pick<ConversionView, "amount" | "currency" | "customerExternalId" | "eventName">,
  /** What else the caller found different (a refund's order). */
  alsoDiffers: FieldError[] = [],
): void {
  // Each fact as the retry states it, as first recorded (null: not recorded), and as the message shows it.
  const facts: [field: string, sent: string | undefined, first: string | null, shown: string][] = [
    [
      "/amount",
      sent.amountMinor?.toString(),
      first.amount?.toString() ?? null,
      amountText(first.amount ?? 0, first.currency),
    ],
    ["/currency", sent.currency, first.currency, first.currency ?? ""],
    ["/customerExternalId", sent.customerExternalId, first.customerExternalId, first.customerExternalId ?? ""],
    ["/eventName", sent.eventName, first.eventName, first.eventName ?? ""],
  ];
  const differs: FieldError[] = [...alsoDiffers];
  for (const [field, now, then, shown] of facts)
    if (now !== undefined && then !== null && now !== then)
      differs.push({ field, message: `was ${shown} when ${key} was first recorded` });
  if (differs.length === 0) return;
  throw new AppError(
    "conflict",
    `${keyField.slice(1)} ${key} was recorded before with other details: a retry must repeat the first request, and a new event needs a new ${keyField.slice(1)}`,
    { fields: [{ field: keyField, message: "was recorded before with other details" }, ...differs] },
  );
}
