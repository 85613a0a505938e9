import { and, desc, eq, gte, lt, type SQL, sql } from "drizzle-orm";
import { selectRows } from "../../db/client.js";
import { commissionEntries, partners } from "../../db/schema/index.js";
import { AppError } from "../../lib/errors.js";
import type { Ctx } from "../context.js";
import { toCommissionView } from "./commission-view.js";
import type { ListCommissionsQuery } from "./commissions.schemas.js";

/** Ledger entries, newest first, with cursor paging; `partnerId` is forced by the portal to the signed-in partner. */
export async function listCommissions(ctx: Ctx, query: ListCommissionsQuery) {
  const limit = query.limit ?? 50;
  const where: SQL[] = [];
  if (query.programId) where.push(eq(commissionEntries.programId, query.programId));
  if (query.partnerId) where.push(eq(commissionEntries.partnerId, query.partnerId));
  if (query.status) where.push(eq(commissionEntries.status, query.status));
  if (query.kind) where.push(eq(commissionEntries.kind, query.kind));
  if (query.conversionId) where.push(eq(commissionEntries.conversionId, query.conversionId));
  if (query.from) where.push(gte(commissionEntries.occurredAt, new Date(query.from)));
  if (query.to) where.push(lt(commissionEntries.occurredAt, new Date(query.to)));
  if (query.cursor) where.push(lt(commissionEntries.id, query.cursor));
  const rows = await ctx.db
    .select({ entry: commissionEntries, partnerName: partners.name })
    .from(commissionEntries)
    .leftJoin(partners, eq(partners.id, commissionEntries.partnerId))
    .where(and(...where))
    .orderBy(desc(commissionEntries.id))
    .limit(limit + 1);
  const page = rows.slice(0, limit);
  return {
    items: page.map((r) => toCommissionView(r.entry, r.partnerName)),
    nextCursor: rows.length > limit ? (page.at(-1)?.entry.id ?? null) : null,
  };
}

export async function getCommission(ctx: Ctx, id: string, scope: { partnerId?: string } = {}) {
  const [row] = await ctx.db
    .select({ entry: commissionEntries, partnerName: partners.name })
    .from(commissionEntries)
    .leftJoin(partners, eq(partners.id, commissionEntries.partnerId))
    .where(
      and(eq(commissionEntries.id, id), scope.partnerId ? eq(commissionEntries.partnerId, scope.partnerId) : undefined),
    );
  if (!row) throw new AppError("not_found", `commission ${id} not found`);
  return toCommissionView(row.entry, row.partnerName);
}

/** Credits whose sale is in a currency without an exchange rate for its day yet. */
export async function countWaitingFx(
  ctx: Pick<Ctx, "db">,
  filter: { programId?: string | undefined; partnerId?: string | undefined },
): Promise<number> {
  const conditions = [sql`state = 'waiting_fx'`];
  if (filter.programId) conditions.push(sql`program_id = ${filter.programId}`);
  if (filter.partnerId) conditions.push(sql`partner_id = ${filter.partnerId}`);
  const [row] = await selectRows<{ n: string }>(
    ctx.db,
    sql`select count(*)::text as n from commission_queue where ${sql.join(conditions, sql` and `)}`,
  );
  return Number(row?.n ?? 0);
}
