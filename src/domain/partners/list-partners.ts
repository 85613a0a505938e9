import { and, desc, eq, exists, ilike, inArray, lt, or, type SQL, sql } from "drizzle-orm";
import { containsPattern } from "../../db/like-pattern.js";
import { enrollments, partners, programs } from "../../db/schema/index.js";
import type { Ctx } from "../context.js";
import { toPartnerView } from "./partner-view.js";
import type { ListPartnersQuery, PartnerView } from "./partners.schemas.js";

/** Search, filter and keyset-paginate partner organisations, each with its enrollments. */
export async function listPartners(ctx: Ctx, query: ListPartnersQuery) {
  const where: SQL[] = [];
  if (query.type) where.push(eq(partners.type, query.type));
  if (query.country) where.push(eq(partners.country, query.country));
  if (query.cursor) where.push(lt(partners.id, query.cursor));
  if (query.q?.trim()) {
    const pattern = containsPattern(query.q.trim());
    const match = or(
      ilike(partners.name, pattern),
      ilike(partners.website, pattern),
      sql`${partners.contacts}::text ilike ${pattern}`,
    );
    if (match) where.push(match);
  }
  if (query.programId || query.status) {
    const enrolled: SQL[] = [eq(enrollments.partnerId, partners.id)];
    if (query.programId) enrolled.push(eq(enrollments.programId, query.programId));
    if (query.status) enrolled.push(eq(enrollments.status, query.status));
    where.push(
      exists(
        ctx.db
          .select({ one: sql`1` })
          .from(enrollments)
          .where(and(...enrolled)),
      ),
    );
  }
  const rows = await ctx.db
    .select()
    .from(partners)
    .where(and(...where))
    .orderBy(desc(partners.id))
    .limit(query.limit + 1);
  const page = rows.slice(0, query.limit);
  const ids = page.map((p) => p.id);
  const memberships = ids.length
    ? await ctx.db
        .select({
          id: enrollments.id,
          partnerId: enrollments.partnerId,
          programId: enrollments.programId,
          programName: programs.name,
          status: enrollments.status,
        })
        .from(enrollments)
        .innerJoin(programs, eq(programs.id, enrollments.programId))
        .where(inArray(enrollments.partnerId, ids))
    : [];
  const byPartner = new Map<string, NonNullable<PartnerView["enrollments"]>>();
  for (const { partnerId, ...m } of memberships) byPartner.set(partnerId, [...(byPartner.get(partnerId) ?? []), m]);
  return {
    items: page.map((p) => toPartnerView(p, byPartner.get(p.id) ?? [])),
    nextCursor: rows.length > query.limit ? (page.at(-1)?.id ?? null) : null,
  };
}
