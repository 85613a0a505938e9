import { and, eq } from "drizzle-orm";
import type Stripe from "stripe";
import type { Db } from "../../db/client.js";
import { commissionEntries, enrollments, payouts } from "../../db/schema/index.js";
import { currencyDigits } from "../../lib/currency-digits.js";
import { AppError } from "../../lib/errors.js";
import { newId } from "../../lib/ids.js";
import { formatMinor } from "../../lib/money.js";
import type { Ctx } from "../context.js";
import { recordAudits } from "../governance/record-audit.js";
import { RETURNED_TRANSFER_KEY_PREFIX } from "../payouts/payout-rules.js";
import { settleFailed, settlePaid } from "../payouts/settle-payouts.js";

type PayoutRow = typeof payouts.$inferSelect;
type StripeCtx = Pick<Ctx, "actor" | "clock" | "log">;

/**
 * The payout a transfer paid: the one whose id Tributary put in the transfer's metadata (found even when the
 * transfer's response was lost and its id never recorded), or else the one that recorded the transfer's id.
 */
async function findPayoutOf(tx: Db, transfer: Stripe.Transfer): Promise<PayoutRow | undefined> {
  const byMetadata = transfer.metadata?.payout_id;
  const [row] = byMetadata
    ? await tx.select().from(payouts).where(eq(payouts.id, byMetadata)).for("update")
    : await tx.select().from(payouts).where(eq(payouts.externalRef, transfer.id)).for("update");
  if (!row) return undefined;
  // Signed by Stripe, but a transfer made by other software on the same Stripe account could reuse the key.
  const same =
    (row.externalRef === null || row.externalRef === transfer.id) &&
    row.methodKind === "stripe_connect" &&
    BigInt(transfer.amount) === row.amountMinor &&
    transfer.currency.toUpperCase() === row.currency;
  return same ? row : undefined;
}

/**
 * Stripe reversed some or all of a payout's transfer (`transfer.reversed`, or `transfer.updated` carrying
 * `amount_reversed`): the reversed money did not reach the partner and is owed again.
 *
 * - A paid payout stays paid — it was, and the statement keeps that line — and an approved ledger credit of the
 *   newly reversed amount is appended, so the next payout run pays it. `payouts.reversed_minor` holds how much
 *   has been credited: `amount_reversed` is cumulative, so a late or repeated event credits nothing twice.
 * - A payout still processing (its transfer made but never recorded) reversed in full fails the way a declined
 *   transfer does: its entries return to the balance. Reversed in part, it is recorded paid, then credited.
 *
 * Runs in the caller's transaction and returns what it did, for the event log.
 */
export async function applyTransferReversal(tx: Db, ctx: StripeCtx, transfer: Stripe.Transfer, eventId: string) {
  const payout = await findPayoutOf(tx, transfer);
  if (!payout) {
    ctx.log.warn({ transfer: transfer.id, eventId }, "Stripe reversed a transfer that pays no payout here; ignored");
    return `unknown transfer ${transfer.id}`;
  }
  const reversedTotal = BigInt(Math.min(transfer.amount_reversed, transfer.amount));
  if (reversedTotal <= 0n) return `transfer ${transfer.id} of ${payout.id} not reversed`;
  const full = reversedTotal >= payout.amountMinor;
  const reason = `Stripe reversed ${full ? "the transfer" : `${money(reversedTotal, payout.currency)} of the transfer`} ${transfer.id}`;

  if (payout.status === "processing") {
    await tx.update(payouts).set({ externalRef: transfer.id }).where(eq(payouts.id, payout.id));
    if (full) {
      await settleFailed(tx, ctx, payout.id, reason);
      return `failed ${payout.id}: transfer reversed in full before it was recorded`;
    }
    try {
      // A savepoint: when the payout cannot be recorded paid, the event is still acknowledged and logged.
      await tx.transaction((sp) => settlePaid(sp, ctx, [payout.id], transfer.id));
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      ctx.log.error({ payoutId: payout.id, transfer: transfer.id, eventId }, error.message);
      await tx
        .update(payouts)
        .set({ lastError: `${reason}, but the transfer could not be recorded: ${error.message}`.slice(0, 500) })
        .where(eq(payouts.id, payout.id));
      return `needs review ${payout.id}: ${error.message}`;
    }
    const [paid] = await tx.select().from(payouts).where(eq(payouts.id, payout.id));
    return creditReversal(tx, ctx, paid ?? payout, transfer, reversedTotal, eventId);
  }
  if (payout.status !== "paid") {
    ctx.log.warn({ payoutId: payout.id, status: payout.status, eventId }, "transfer reversed for an unpaid payout");
    return `ignored: ${payout.id} is ${payout.status}`;
  }
  return creditReversal(tx, ctx, payout, transfer, reversedTotal, eventId);
}

const money = (amount: bigint, currency: string) => formatMinor(amount, currency, currencyDigits(currency));

async function creditReversal(
  tx: Db,
  ctx: StripeCtx,
  payout: PayoutRow,
  transfer: Stripe.Transfer,
  reversedTotal: bigint,
  eventId: string,
) {
  const credit = reversedTotal - payout.reversedMinor;
  if (credit <= 0n) return `already credited: ${payout.id} reversed by ${payout.reversedMinor}`;
  const now = ctx.clock.now();
  const [enrollment] = await tx
    .select({ id: enrollments.id })
    .from(enrollments)
    .where(and(eq(enrollments.programId, payout.programId), eq(enrollments.partnerId, payout.partnerId)));
  const entryId = newId("commission", now);
  await tx.insert(commissionEntries).values({
    id: entryId,
    programId: payout.programId,
    partnerId: payout.partnerId,
    enrollmentId: enrollment?.id ?? null,
    kind: "adjustment",
    amountMinor: credit,
    currency: payout.currency,
    status: "approved",
    statusReason: `Stripe reversed transfer ${transfer.id}`,
    explanation: {
      summary: `Payout ${payout.id} reversed by Stripe: ${money(credit, payout.currency)} returned to the balance`,
      steps: [
        `transfer ${transfer.id} of ${money(payout.amountMinor, payout.currency)}; Stripe has reversed ${money(reversedTotal, payout.currency)} of it`,
        `already returned before: ${money(payout.reversedMinor, payout.currency)}`,
        `returned now: ${money(reversedTotal, payout.currency)} − ${money(payout.reversedMinor, payout.currency)} = ${money(credit, payout.currency)}`,
      ],
      inputs: { payoutId: payout.id, transferId: transfer.id, stripeEventId: eventId },
    },
    // One credit per payout and cumulative reversed amount (the unique key refuses a second); the prefix makes
    // it payable by the next run whatever the schedule, as it was due already.
    dedupeKey: `${RETURNED_TRANSFER_KEY_PREFIX}${payout.id}:${reversedTotal}`,
    occurredAt: now,
    createdBy: null,
    createdAt: now,
    statusChangedAt: now,
  });
  await tx
    .update(payouts)
    .set({ reversedMinor: reversedTotal, reversedAt: now, updatedAt: now })
    .where(eq(payouts.id, payout.id));
  await recordAudits(tx, ctx, [
    {
      action: "payout.reversed",
      entityType: "payout",
      entityId: payout.id,
      programId: payout.programId,
      partnerId: payout.partnerId,
      before: { reversedMinor: payout.reversedMinor },
      after: { reversedMinor: reversedTotal, transferId: transfer.id, creditEntryId: entryId, stripeEventId: eventId },
    },
  ]);
  return `reversed ${payout.id}: ${credit} returned to the balance as ${entryId}`;
}
