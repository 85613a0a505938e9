import { and, eq } from "drizzle-orm";
import type { Db } from "../../db/client.js";
import { commissionEntries, enrollments, payouts } from "../../db/schema/index.js";
import { currencyDigits } from "../../lib/currency-digits.js";
import { newId } from "../../lib/ids.js";
import { formatMinor } from "../../lib/money.js";
import type { Ctx } from "../context.js";
import { recordAudits } from "../governance/record-audit.js";
import { RETURNED_TRANSFER_KEY_PREFIX } from "./payout-rules.js";

type PayoutRow = typeof payouts.$inferSelect;

const money = (amount: bigint, currency: string) => formatMinor(amount, currency, currencyDigits(currency));

/**
 * Credits the part of a paid payout's Stripe transfer that Stripe has reversed and the ledger has not credited
 * yet (`reversedTotal` is Stripe's cumulative `amount_reversed`; `credited` what earlier credits covered).
 *
 * Only the platform reverses a transfer (from the dashboard or the API, or a refund or dispute with
 * `reverse_transfer`), and the money had reached the partner: whether it is owed again is a decision, so the
 * credit is a `held` adjustment with the reason, for a manager to approve (the next run then pays it, whatever
 * the schedule) or reject. `payouts.reversed_minor` becomes `reversedTotal`, so a late or repeated event credits
 * nothing twice; the dedupe key (payout and cumulative amount) refuses a second credit of the same reversal.
 * Runs in the caller's transaction; returns the entry and amount credited, or null when nothing was new.
 */
export async function creditStripeReversal(
  tx: Db,
  ctx: Pick<Ctx, "actor" | "clock">,
  payout: PayoutRow,
  reversal: { transferId: string; reversedTotal: bigint; credited: bigint; stripeEventId: string | null },
): Promise<{ entryId: string; credit: bigint } | null> {
  const { transferId, reversedTotal, credited, stripeEventId } = reversal;
  const credit = reversedTotal - credited;
  if (credit <= 0n) return null;
  const now = ctx.clock.now();
  const [enrollment] = await tx
    .select({ id: enrollments.id })
    .from(enrollments)
    .where(and(eq(enrollments.programId, payout.programId), eq(enrollments.partnerId, payout.partnerId)));
  const entryId = newId("commission", now);
  const reason = `Stripe reversed transfer ${transferId} — approve to pay it again, reject if the reversal was deliberate`;
  await tx.insert(commissionEntries).values({
    id: entryId,
    programId: payout.programId,
    partnerId: payout.partnerId,
    enrollmentId: enrollment?.id ?? null,
    kind: "adjustment",
    amountMinor: credit,
    currency: payout.currency,
    status: "held",
    statusReason: reason,
    explanation: {
      summary: `Payout ${payout.id} reversed by Stripe: ${money(credit, payout.currency)} held for review`,
      steps: [
        `transfer ${transferId} of ${money(payout.amountMinor, payout.currency)}; Stripe has reversed ${money(reversedTotal, payout.currency)} of it`,
        `already credited before: ${money(credited, payout.currency)}`,
        `credited now: ${money(reversedTotal, payout.currency)} − ${money(credited, payout.currency)} = ${money(credit, payout.currency)}`,
      ],
      inputs: { payoutId: payout.id, transferId, stripeEventId },
    },
    // The prefix makes it payable by the next run once approved, whatever the schedule: it was due already.
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
  const scope = { programId: payout.programId, partnerId: payout.partnerId };
  await recordAudits(tx, ctx, [
    {
      action: "payout.reversed",
      entityType: "payout",
      entityId: payout.id,
      ...scope,
      before: { reversedMinor: credited },
      after: { reversedMinor: reversedTotal, transferId, creditEntryId: entryId, stripeEventId },
    },
    {
      action: "commission.hold",
      entityType: "commission",
      entityId: entryId,
      ...scope,
      before: null,
      after: { status: "held", reason, amountMinor: credit, currency: payout.currency },
    },
  ]);
  return { entryId, credit };
}
