import { eq, or, sql } from "drizzle-orm";
import type Stripe from "stripe";
import type { Db } from "../../db/client.js";
import { payouts } from "../../db/schema/index.js";
import { currencyDigits } from "../../lib/currency-digits.js";
import { AppError } from "../../lib/errors.js";
import { formatMinor } from "../../lib/money.js";
import type { Ctx } from "../context.js";
import { creditStripeReversal } from "../payouts/credit-stripe-reversal.js";
import type { PayoutMethodDetails } from "../payouts/payout-method-details.js";
import type { PayoutRuntime } from "../payouts/payout-runtime.js";
import { settleFailed, settlePaid } from "../payouts/settle-payouts.js";

type PayoutRow = typeof payouts.$inferSelect;
type StripeCtx = Pick<Ctx, "actor" | "clock" | "log">;
type Keyring = PayoutRuntime["keyring"];

const payoutOf = (transfer: Pick<Stripe.Transfer, "id" | "metadata">) => {
  const byMetadata = transfer.metadata?.payout_id;
  return byMetadata ? eq(payouts.id, byMetadata) : eq(payouts.externalRef, transfer.id);
};

/** Whether a transfer could pay a payout here at all, so that Stripe is asked about it only then. */
export async function mayPayAPayout(db: Db, transfer: Pick<Stripe.Transfer, "id" | "metadata">) {
  const [row] = await db
    .select({ id: payouts.id })
    .from(payouts)
    .where(or(payoutOf(transfer), eq(payouts.externalRef, transfer.id)))
    .limit(1);
  return row !== undefined;
}

/** The connected account the payout was sent to, from the method copy its batch kept. */
function destinationOf(keyring: Keyring, payout: PayoutRow): string | undefined {
  if (!payout.methodDetailsEncrypted) return undefined;
  const details = JSON.parse(keyring.open(payout.methodDetailsEncrypted, payout.partnerId)) as PayoutMethodDetails;
  return details.accountId;
}

/**
 * The payout a transfer paid: the one whose id Tributary put in the transfer's metadata (found even when the
 * transfer's response was lost and its id never recorded), or else the one that recorded the transfer's id.
 * The transfer is Stripe's current copy, read with the platform's key, not the event's: metadata alone proves
 * nothing (other software on the account could set it), so it must also have gone, for the same amount, to the
 * account the payout's batch sent to.
 */
async function findPayoutOf(tx: Db, keyring: Keyring, transfer: Stripe.Transfer): Promise<PayoutRow | undefined> {
  const [row] = await tx.select().from(payouts).where(payoutOf(transfer)).for("update");
  if (!row) return undefined;
  const destination = typeof transfer.destination === "string" ? transfer.destination : transfer.destination?.id;
  const same =
    (row.externalRef === null || row.externalRef === transfer.id) &&
    row.methodKind === "stripe_connect" &&
    BigInt(transfer.amount) === row.amountMinor &&
    transfer.currency.toUpperCase() === row.currency &&
    destination !== undefined &&
    destination === destinationOf(keyring, row);
  return same ? row : undefined;
}

const money = (amount: bigint, currency: string) => formatMinor(amount, currency, currencyDigits(currency));

/**
 * Stripe reversed some or all of a payout's transfer (`transfer.reversed`, or `transfer.updated` carrying
 * `amount_reversed`). Only the platform reverses a transfer, and the money had reached the partner, so the
 * reversed part is credited back as a held entry for a manager to approve or reject (creditStripeReversal).
 *
 * - A paid payout stays paid — it was, and the statement keeps that line — and the newly reversed part is
 *   credited. `amount_reversed` is cumulative and `payouts.reversed_minor` holds what was credited, so a late or
 *   repeated event credits nothing twice.
 * - A payout still processing (its transfer made but never recorded) reversed in full fails the way a declined
 *   transfer does: its entries return to the balance. Reversed in part, Stripe's reversed amount is stored on
 *   it and it is recorded paid, which credits that part. When it cannot be recorded paid (an entry held
 *   meanwhile), the amount stays stored and is credited whenever it is marked paid; failing it is refused.
 *
 * Runs in the caller's transaction and returns what it did, for the event log.
 */
export async function applyTransferReversal(
  tx: Db,
  ctx: StripeCtx,
  keyring: Keyring,
  transfer: Stripe.Transfer,
  eventId: string,
) {
  const payout = await findPayoutOf(tx, keyring, transfer);
  if (!payout) {
    ctx.log.warn({ transfer: transfer.id, eventId }, "Stripe reversed a transfer that pays no payout here; ignored");
    return `unknown transfer ${transfer.id}`;
  }
  const reversedTotal = BigInt(Math.min(transfer.amount_reversed, transfer.amount));
  if (reversedTotal <= 0n) return `transfer ${transfer.id} of ${payout.id} not reversed`;
  const full = reversedTotal >= payout.amountMinor;

  if (payout.status === "processing") {
    const now = ctx.clock.now();
    const reversedMinor = sql`greatest(${payouts.reversedMinor}, ${reversedTotal})`;
    await tx
      .update(payouts)
      .set({ externalRef: transfer.id, ...(full ? {} : { reversedMinor, reversedAt: now }), updatedAt: now })
      .where(eq(payouts.id, payout.id));
    if (full) {
      await settleFailed(tx, ctx, payout.id, `Stripe reversed the transfer ${transfer.id}`);
      return `failed ${payout.id}: transfer reversed in full before it was recorded`;
    }
    try {
      // A savepoint: when the payout cannot be recorded paid, the event is still acknowledged, the amount kept.
      await tx.transaction((sp) => settlePaid(sp, ctx, [payout.id], transfer.id));
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      ctx.log.error({ payoutId: payout.id, transfer: transfer.id, eventId }, error.message);
      const reversed = money(reversedTotal, payout.currency);
      const lastError =
        `Stripe transferred ${transfer.id} and has reversed ${reversed} of it, but the payout cannot be recorded paid: ` +
        `an entry of it is held or rejected. Once it is approved again (released in fraud review), mark the payout paid: ` +
        `the reversed ${reversed} is then credited for review. Do not fail it: the rest of the transfer reached the partner.`;
      await tx
        .update(payouts)
        .set({ lastError: lastError.slice(0, 500) })
        .where(eq(payouts.id, payout.id));
      return `needs review ${payout.id}: ${reversedTotal} reversed, kept until it is recorded paid`;
    }
    return `recorded ${payout.id} paid; ${reversedTotal} reversed, held for review`;
  }
  if (payout.status !== "paid") {
    ctx.log.warn({ payoutId: payout.id, status: payout.status, eventId }, "transfer reversed for an unpaid payout");
    return `ignored: ${payout.id} is ${payout.status}`;
  }
  const credited = await creditStripeReversal(tx, ctx, payout, {
    transferId: transfer.id,
    reversedTotal,
    credited: payout.reversedMinor,
    stripeEventId: eventId,
  });
  if (!credited) return `already credited: ${payout.id} reversed by ${payout.reversedMinor}`;
  return `reversed ${payout.id}: ${credited.credit} held for review as ${credited.entryId}`;
}
