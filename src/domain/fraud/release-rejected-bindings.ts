import { sql } from "drizzle-orm";
import { type Db, selectRows } from "../../db/client.js";
import type { Ctx } from "../context.js";
import { recordAudits } from "../governance/record-audit.js";

/**
 * Rejecting conversions for fraud unbinds the customers they bound for life to a partner, unless another of the
 * customer's leads or sales, not rejected, credits that partner too. Otherwise a self-referral's lead would keep
 * crediting the fraudster with every later sale of the customer. Unbound, the customer's next attributed
 * conversion binds it, as a first one does.
 */
export async function releaseRejectedBindings(tx: Db, ctx: Pick<Ctx, "clock" | "actor">, conversionIds: string[]) {
  if (conversionIds.length === 0) return;
  const rejected = sql`${sql.param(conversionIds)}::text[]`;
  const released = await selectRows<{ id: string; program_id: string; partner_id: string; conversion_id: string }>(
    tx,
    sql`with bound_by_rejected as (
          select distinct on (cu.id) cu.id, cu.program_id, cu.bound_partner_id as partner_id, c.id as conversion_id
          from conversions c
          join customers cu on cu.id = c.customer_id
          join conversion_credits cr on cr.conversion_id = c.id and cr.partner_id = cu.bound_partner_id
          where c.id = any(${rejected})
          order by cu.id, c.id
        )
        update customers cu set bound_partner_id = null, bound_enrollment_id = null, bound_at = null
        from bound_by_rejected b
        where cu.id = b.id
          and not exists (
            select 1 from conversions o
            join conversion_credits ocr on ocr.conversion_id = o.id and ocr.partner_id = b.partner_id
            where o.customer_id = b.id and o.kind in ('lead', 'sale') and o.id <> all(${rejected})
              and not exists (
                select 1 from fraud_reviews r where r.conversion_id = o.id and r.status = 'rejected'))
        returning cu.id, b.program_id, b.partner_id, b.conversion_id`,
  );
  await recordAudits(
    tx,
    ctx,
    released.map((r) => ({
      action: "customer.unbound",
      entityType: "customer",
      entityId: r.id,
      programId: r.program_id,
      partnerId: r.partner_id,
      before: { boundPartnerId: r.partner_id },
      after: { boundPartnerId: null, reason: `conversion ${r.conversion_id} rejected by fraud review` },
    })),
  );
}
