import { and, asc, eq, inArray, isNotNull } from "drizzle-orm";
import Stripe from "stripe";
import { payoutBatches, payoutMethods, payouts } from "../../db/schema/index.js";
import { AppError } from "../../lib/errors.js";
import type { Ctx } from "../context.js";
import { stripeAccountDigest } from "../stripe-events/stripe-account-digest.js";
import { loadBatchView } from "./get-payout-batch.js";
import type { PayoutMethodDetails } from "./payout-method-details.js";
import { payoutRuntime, stripeClient } from "./payout-runtime.js";
import { settleFailed, settlePaid } from "./settle-payouts.js";

type Outcome = "paid" | "failed" | "retryable" | "held";

/** Stripe refused the transfer itself (bad account, insufficient balance…): retrying the same request cannot help. */
const declined = (error: unknown): error is Stripe.errors.StripeError =>
  error instanceof Stripe.errors.StripeInvalidRequestError || error instanceof Stripe.errors.StripeCardError;

/**
 * Sends each processing payout of a Stripe Connect batch as a transfer to the partner's connected account,
 * with the payout id as the idempotency key: sending again after a timeout or a lost response replays the
 * first transfer instead of paying twice. A declined transfer fails the payout (its amount returns to the
 * partner's balance); a transient error leaves it processing with `lastError`, to be sent again. A payout to
 * an account Stripe reported unable to receive payouts (`account.updated`) is held: not sent, still processing
 * with the reason in `lastError`, and sent by a later send once Stripe enables the account again.
 */
export async function sendStripeBatch(ctx: Ctx, batchId: string) {
  const stripe = stripeClient(ctx);
  const { keyring } = payoutRuntime(ctx);
  const [batch] = await ctx.db.select().from(payoutBatches).where(eq(payoutBatches.id, batchId));
  if (!batch) throw new AppError("not_found", `payout batch ${batchId} not found`);
  if (batch.methodKind !== "stripe_connect")
    throw new AppError("invalid_state", `a ${batch.methodKind} batch is paid with its file, not sent through Stripe`);
  if (batch.status !== "processing")
    throw new AppError("invalid_state", `payout batch ${batchId} is already ${batch.status}`, {
      extra: { currentStatus: batch.status },
    });
  const open = await ctx.db
    .select()
    .from(payouts)
    .where(and(eq(payouts.batchId, batchId), eq(payouts.status, "processing")))
    .orderBy(asc(payouts.id));
  const counts: Record<Outcome, number> = { paid: 0, failed: 0, retryable: 0, held: 0 };
  const destinations = open.map((payout) => {
    if (!payout.methodDetailsEncrypted) throw new Error(`payout ${payout.id} has no method copy`);
    const details = JSON.parse(keyring.open(payout.methodDetailsEncrypted, payout.partnerId)) as PayoutMethodDetails;
    return details.accountId ?? "";
  });
  const attention = await accountsNeedingAttention(ctx, destinations);
  for (const [i, payout] of open.entries()) {
    const destination = destinations[i] ?? "";
    const reason = attention.get(stripeAccountDigest(destination));
    counts[reason ? await hold(ctx, payout.id, reason) : await sendOne(ctx, stripe, payout, destination)] += 1;
  }
  return { batch: await loadBatchView(ctx.db, batchId), ...counts };
}

/** The attention reasons of the accounts that Stripe reported unable to receive payouts, by account digest. */
async function accountsNeedingAttention(ctx: Ctx, accountIds: string[]) {
  const digests = [...new Set(accountIds.filter(Boolean).map(stripeAccountDigest))];
  if (digests.length === 0) return new Map<string, string>();
  const rows = await ctx.db
    .select({ digest: payoutMethods.stripeAccountDigest, reason: payoutMethods.attentionReason })
    .from(payoutMethods)
    .where(and(inArray(payoutMethods.stripeAccountDigest, digests), isNotNull(payoutMethods.attentionReason)));
  return new Map(rows.map((r) => [r.digest ?? "", r.reason ?? ""]));
}

async function hold(ctx: Ctx, payoutId: string, reason: string): Promise<Outcome> {
  await ctx.db
    .update(payouts)
    .set({ lastError: `held, not sent: ${reason}`.slice(0, 500), updatedAt: ctx.clock.now() })
    .where(and(eq(payouts.id, payoutId), eq(payouts.status, "processing")));
  return "held";
}

async function sendOne(
  ctx: Ctx,
  stripe: Stripe,
  payout: typeof payouts.$inferSelect,
  destination: string,
): Promise<Outcome> {
  let transfer: Stripe.Transfer;
  try {
    transfer = await stripe.transfers.create(
      {
        amount: Number(payout.amountMinor),
        currency: payout.currency.toLowerCase(),
        destination,
        transfer_group: payout.batchId ?? payout.id,
        description: `Partner payout ${payout.id}`,
        metadata: { payout_id: payout.id, partner_id: payout.partnerId, program_id: payout.programId },
      },
      { idempotencyKey: payout.id },
    );
  } catch (error) {
    if (declined(error)) {
      const reason = `Stripe declined the transfer${error.code ? ` (${error.code})` : ""}: ${error.message}`;
      await ctx.db.transaction((tx) => settleFailed(tx, ctx, payout.id, reason));
      return "failed";
    }
    const message = error instanceof Error ? error.message : String(error);
    ctx.log.warn({ payoutId: payout.id, err: error }, "Stripe transfer not confirmed; the payout stays processing");
    await ctx.db
      .update(payouts)
      .set({ lastError: `Stripe: ${message}`.slice(0, 500), updatedAt: ctx.clock.now() })
      .where(and(eq(payouts.id, payout.id), eq(payouts.status, "processing")));
    return "retryable";
  }
  try {
    await ctx.db.transaction((tx) => settlePaid(tx, ctx, [payout.id], transfer.id));
    return "paid";
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    // Paid at Stripe but not recordable here (settled by a concurrent send, or an entry held meanwhile). The
    // transfer id is kept so a later Stripe event about this transfer finds its payout — on a payout still
    // processing only: one a concurrent send recorded paid, or a webhook failed (transfer reversed in full), is
    // settled already.
    ctx.log.error({ payoutId: payout.id, transfer: transfer.id }, error.message);
    const [kept] = await ctx.db
      .update(payouts)
      .set({
        externalRef: transfer.id,
        lastError: `transferred as ${transfer.id} but not recorded: ${error.message}`.slice(0, 500),
        updatedAt: ctx.clock.now(),
      })
      .where(and(eq(payouts.id, payout.id), eq(payouts.status, "processing")))
      .returning({ id: payouts.id });
    if (kept) return "retryable";
    const [now] = await ctx.db.select({ status: payouts.status }).from(payouts).where(eq(payouts.id, payout.id));
    return now?.status === "paid" ? "paid" : "failed";
  }
}
