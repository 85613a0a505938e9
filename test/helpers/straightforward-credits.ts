import { sql } from "drizzle-orm";
import { type Db, selectRows } from "../../src/db/client.js";
import { addCredits, type CreditedCounts, type CreditGroup } from "../../src/domain/stats/credited-counts.js";
import type { PartnerCredits } from "../../src/domain/stats/credits-by-partner.js";

/** Each partner's leads, sales and revenue per currency, by partner id: what the ranking shows of its credits. */
export type CreditsOfPartners = Record<string, CreditedCounts>;

const partnerOf = (into: CreditsOfPartners, partnerId: string) => {
  into[partnerId] ??= { leads: 0, sales: 0, revenue: {} };
  return into[partnerId];
};

/**
 * A program's credited conversions over a window per partner, read the straightforward way, as the ranking read them
 * before credit_partner_periods: every conversion of the window through (program_id, occurred_at), each one's credits
 * by key. What the faster read must equal.
 */
export async function straightforwardCredits(
  db: Db,
  query: { programId: string; from: Date; to: Date },
): Promise<CreditsOfPartners> {
  const rows = await selectRows<CreditGroup & { partner_id: string }>(
    db,
    sql`select cc.partner_id, c.kind, c.currency, count(*)::int as n, sum(cc.amount_minor)::text as amount
        from conversions c
        cross join lateral (
          select partner_id, amount_minor from conversion_credits cc where cc.conversion_id = c.id offset 0
        ) cc
        where c.program_id = ${query.programId} and c.occurred_at >= ${query.from.toISOString()}::timestamptz
          and c.occurred_at < ${query.to.toISOString()}::timestamptz
        group by 1, 2, 3`,
  );
  const into: CreditsOfPartners = {};
  for (const r of rows) addCredits(partnerOf(into, r.partner_id), r);
  return into;
}

/** creditsByPartner's rows in the same shape, as partnerRanking adds them up. */
export function creditsOfPartners(rows: PartnerCredits[]): CreditsOfPartners {
  const into: CreditsOfPartners = {};
  for (const r of rows) {
    const counts = partnerOf(into, r.partner_id);
    addCredits(counts, { kind: "lead", currency: r.currency || null, n: r.leads, amount: null });
    addCredits(counts, { kind: "sale", currency: r.currency || null, n: r.sales, amount: r.amount });
  }
  return into;
}
