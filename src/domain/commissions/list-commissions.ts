import { and, desc, eq, getTableColumns, gte, lt, type SQL, sql } from "drizzle-orm";
import { selectRows } from "../../db/client.js";
import { commissionEntries, partners, programs } from "../../db/schema/index.js";
import { decodeTimeCursor, encodeTimeCursor, olderThan } from "../../db/time-cursor.js";
import { AppError } from "../../lib/errors.js";
import type { Ctx } from "../context.js";
import { toCommissionView } from "./commission-view.js";
import type { ListCommissionsQuery } from "./commissions.schemas.js";

/**
 * Ledger entries, newest first, with cursor paging; `partnerId` is forced by the portal to the signed-in partner.
 * Without dates, in the order they were written (the primary key, or `(…, status, id)` for a status). Filtered by
 * date, by when they happened, so a page is a range of `(program_id, occurred_at)` or of the partner's
 * `(partner_id, program_id, occurred_at)`: ordered by id, a month a year back walked the primary key past every
 * newer entry. All programs (or a partner across them) are read a page per program and merged, as no index orders
 * the whole ledger by time. The cursor is opaque: the last entry's time and id.
 */
export async function listCommissions(ctx: Ctx, query: ListCommissionsQuery) {
  const limit = query.limit ?? 50;
  const dated = Boolean(query.from || query.to);
  const where: SQL[] = [];
  if (query.programId) where.push(eq(commissionEntries.programId, query.programId));
  if (query.partnerId) where.push(eq(commissionEntries.partnerId, query.partnerId));
  if (query.status) where.push(eq(commissionEntries.status, query.status));
  if (query.kind) where.push(eq(commissionEntries.kind, query.kind));
  if (query.conversionId) where.push(eq(commissionEntries.conversionId, query.conversionId));
  if (query.from) where.push(gte(commissionEntries.occurredAt, new Date(query.from)));
  if (query.to) where.push(lt(commissionEntries.occurredAt, new Date(query.to)));
  if (query.cursor) {
    const after = decodeTimeCursor(query.cursor, "com_");
    if (dated) where.push(...olderThan(commissionEntries.occurredAt, commissionEntries.id, after));
    else where.push(lt(commissionEntries.id, after.id));
  }
  const rows = !dated
    ? await withPartnerNames(ctx, where)
        .orderBy(desc(commissionEntries.id))
        .limit(limit + 1)
    : query.programId
      ? await withPartnerNames(ctx, where)
          .orderBy(desc(commissionEntries.occurredAt), desc(commissionEntries.id))
          .limit(limit + 1)
      : await datedAcrossPrograms(ctx, where, limit + 1);
  const page = rows.slice(0, limit);
  const last = page.at(-1)?.entry;
  return {
    items: page.map((r) => toCommissionView(r.entry, r.partnerName)),
    nextCursor: rows.length > limit && last ? encodeTimeCursor(last.occurredAt, last.id) : null,
  };
}

const withPartnerNames = (ctx: Ctx, where: SQL[]) =>
  ctx.db
    .select({ entry: commissionEntries, partnerName: partners.name })
    .from(commissionEntries)
    .leftJoin(partners, eq(partners.id, commissionEntries.partnerId))
    .where(and(...where));

/**
 * The newest `count` entries of each program that match, merged newest first: each program's is a range of its own
 * time index, up to a page, however far back the dates are.
 */
async function datedAcrossPrograms(ctx: Ctx, where: SQL[], count: number) {
  const perProgram = ctx.db
    .select()
    .from(commissionEntries)
    .where(and(eq(commissionEntries.programId, programs.id), ...where))
    .orderBy(desc(commissionEntries.occurredAt), desc(commissionEntries.id))
    .limit(count)
    .as("e");
  // The subquery's own columns, each read back as the table's (bigint amounts, the stored explanation).
  const entry = Object.fromEntries(
    Object.keys(getTableColumns(commissionEntries)).map((key) => [key, perProgram[key as keyof typeof perProgram]]),
  ) as unknown as typeof perProgram._.selectedFields;
  // The partner's name looked up for each entry of the page: joined, the planner hashed every partner instead.
  const partnerName = sql<
    string | null
  >`(select ${partners.name} from ${partners} where ${partners.id} = ${perProgram.partnerId})`;
  return ctx.db
    .select({ entry, partnerName })
    .from(programs)
    .innerJoinLateral(perProgram, sql`true`)
    .orderBy(desc(perProgram.occurredAt), desc(perProgram.id))
    .limit(count);
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
