import { sql } from "drizzle-orm";
import { type Db, selectRows } from "../../db/client.js";

const ids = (values: string[]) => sql`${sql.param(values)}::text[]`;

/**
 * Where a partner stands after the team's actions, for the review queue's partner headers: banned (a ban is final),
 * suspended (no active enrollment left, at least one suspended), active, or inactive (nothing active or suspended:
 * applied, rejected or terminated only). `warnedAt` is the latest warning, so a second one is a choice, not a slip.
 */
export type PartnerStanding = "active" | "suspended" | "banned" | "inactive";

export async function partnerStandings(
  db: Db,
  partnerIds: string[],
): Promise<Map<string, { standing: PartnerStanding; warnedAt: string | null }>> {
  if (partnerIds.length === 0) return new Map();
  const rows = await selectRows<{
    partner_id: string;
    active: number;
    suspended: number;
    banned: boolean;
    warned_at: string | Date | null;
  }>(
    db,
    sql`select p.id as partner_id,
          (select count(*)::int from enrollments e where e.partner_id = p.id and e.status = 'active') as active,
          (select count(*)::int from enrollments e where e.partner_id = p.id and e.status = 'suspended') as suspended,
          exists (select 1 from partner_actions a where a.partner_id = p.id and a.kind = 'ban') as banned,
          (select max(a.created_at) from partner_actions a where a.partner_id = p.id and a.kind = 'warn') as warned_at
        from partners p where p.id = any(${ids(partnerIds)})`,
  );
  return new Map(
    rows.map((r) => [
      r.partner_id,
      {
        standing: r.banned ? "banned" : r.active > 0 ? "active" : r.suspended > 0 ? "suspended" : "inactive",
        warnedAt: r.warned_at ? new Date(r.warned_at).toISOString() : null,
      },
    ]),
  );
}
