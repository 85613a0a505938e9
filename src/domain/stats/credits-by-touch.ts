import { type SQL, sql } from "drizzle-orm";
import { type Db, selectRows } from "../../db/client.js";
import type { CreditGroup } from "./credited-counts.js";

/**
 * Credited conversions grouped by the click that earned each credit, with `key` read from that touch (`earned`:
 * its `click_id` and `link_id`) and `where` choosing the credits (`cc`: conversion_credits; start it with the
 * partner and a time range, which its index leads with). A credit's touch is, of the partner's touches its
 * conversion's attribution model weighed and gave a share, the latest (the decision stored with the conversion
 * says which); a refund's is its sale's, so a refund counts where its sale did. A conversion credited without a
 * click of the partner's (a coupon code, a lifetime binding) has no touch: its link and click are null. `key` may
 * also read the conversion (`c`) and, for a refund, its sale (`s`): their `coupon_code`.
 */
export function creditsByTouch(db: Db, key: SQL, where: SQL) {
  return selectRows<CreditGroup & { key: string | null }>(
    db,
    sql`select ${key} as key, c.kind, c.currency, count(distinct cc.conversion_id)::int as n,
          sum(cc.amount_minor)::text as amount
        from conversion_credits cc
        cross join lateral (
          select kind, currency, decision, sale_id, coupon_code from conversions c where c.id = cc.conversion_id offset 0
        ) c
        left join lateral (select decision, coupon_code from conversions s where s.id = c.sale_id offset 0) s on true
        left join lateral (
          select t->'touch'->>'clickId' as click_id, t->'touch'->>'linkId' as link_id
          from jsonb_array_elements(coalesce(s.decision, c.decision)->'considered') t
          where (t->>'included')::boolean and coalesce((t->>'weightBps')::int, 0) > 0
            and t->'touch'->>'partnerId' = cc.partner_id
          order by t->'touch'->>'at' desc
          limit 1
        ) earned on true
        where ${where}
        group by 1, 2, 3`,
  );
}
