import { and, asc, eq, gt, isNotNull, ne } from "drizzle-orm";
import { payoutMethods, payouts } from "../../db/schema/index.js";
import type { Ctx } from "../context.js";
import { recordAudit } from "../governance/record-audit.js";
import { payoutRuntime } from "./payout-runtime.js";

const PAGE = 500;

/**
 * Re-encrypts every payout method (and every batched payout's method copy) that is not under the newest key,
 * so the old key can be removed from PAYOUT_ENCRYPTION_KEYS. Safe to run while the service runs and to run
 * again: each row is rewritten only if it still carries the ciphertext that was read.
 */
export async function reencryptPayoutDetails(ctx: Ctx) {
  const { keyring } = payoutRuntime(ctx);
  const current = keyring.current.id;
  let methods = 0;
  let copies = 0;
  for (let after = ""; ; ) {
    const rows = await ctx.db
      .select()
      .from(payoutMethods)
      .where(and(ne(payoutMethods.keyId, current), gt(payoutMethods.partnerId, after)))
      .orderBy(asc(payoutMethods.partnerId))
      .limit(PAGE);
    for (const row of rows) {
      const sealed = keyring.seal(keyring.open(row.detailsEncrypted, row.partnerId), row.partnerId);
      const updated = await ctx.db
        .update(payoutMethods)
        .set({ detailsEncrypted: sealed, keyId: current })
        .where(
          and(eq(payoutMethods.partnerId, row.partnerId), eq(payoutMethods.detailsEncrypted, row.detailsEncrypted)),
        )
        .returning({ partnerId: payoutMethods.partnerId });
      methods += updated.length;
    }
    if (rows.length < PAGE) break;
    after = rows.at(-1)?.partnerId ?? after;
  }
  for (let after = ""; ; ) {
    const rows = await ctx.db
      .select({ id: payouts.id, partnerId: payouts.partnerId, sealed: payouts.methodDetailsEncrypted })
      .from(payouts)
      .where(and(isNotNull(payouts.methodDetailsEncrypted), ne(payouts.methodKeyId, current), gt(payouts.id, after)))
      .orderBy(asc(payouts.id))
      .limit(PAGE);
    for (const row of rows) {
      if (!row.sealed) continue;
      const sealed = keyring.seal(keyring.open(row.sealed, row.partnerId), row.partnerId);
      const updated = await ctx.db
        .update(payouts)
        .set({ methodDetailsEncrypted: sealed, methodKeyId: current })
        .where(and(eq(payouts.id, row.id), eq(payouts.methodDetailsEncrypted, row.sealed)))
        .returning({ id: payouts.id });
      copies += updated.length;
    }
    if (rows.length < PAGE) break;
    after = rows.at(-1)?.id ?? after;
  }
  await ctx.db.transaction((tx) =>
    recordAudit(tx, ctx, {
      action: "payout_details.reencrypt",
      entityType: "payout_keyring",
      entityId: current,
      after: { keyId: current, methods, payoutCopies: copies },
    }),
  );
  return { keyId: current, methods, payoutCopies: copies };
}
