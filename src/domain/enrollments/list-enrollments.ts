import { and, desc, eq, ilike, lt, or, type SQL } from "drizzle-orm";
import { containsPattern } from "../../db/like-pattern.js";
import { type EnrollmentStatus, enrollments, partners, programs } from "../../db/schema/index.js";
import { AppError } from "../../lib/errors.js";
import type { Ctx } from "../context.js";
import { toEnrollmentView } from "./enrollment-view.js";

export interface ListEnrollmentsQuery {
  programId?: string | undefined;
  partnerId?: string | undefined;
  status?: EnrollmentStatus | undefined;
  q?: string | undefined;
  limit: number;
  cursor?: string | undefined;
}

const select = (ctx: Ctx) =>
  ctx.db
    .select({
      enrollment: enrollments,
      program: { id: programs.id, name: programs.name, slug: programs.slug, type: programs.type },
      partner: { id: partners.id, name: partners.name, type: partners.type, country: partners.country },
    })
    .from(enrollments)
    .innerJoin(programs, eq(programs.id, enrollments.programId))
    .innerJoin(partners, eq(partners.id, enrollments.partnerId));

/** The review queue and enrollment lists: newest first, keyset-paginated by id. */
export async function listEnrollments(ctx: Ctx, query: ListEnrollmentsQuery) {
  const where: SQL[] = [];
  if (query.programId) where.push(eq(enrollments.programId, query.programId));
  if (query.partnerId) where.push(eq(enrollments.partnerId, query.partnerId));
  if (query.status) where.push(eq(enrollments.status, query.status));
  if (query.cursor) where.push(lt(enrollments.id, query.cursor));
  if (query.q) {
    const pattern = containsPattern(query.q.trim());
    const match = or(ilike(partners.name, pattern), ilike(enrollments.applicantEmail, pattern));
    if (match) where.push(match);
  }
  const rows = await select(ctx)
    .where(and(...where))
    .orderBy(desc(enrollments.id))
    .limit(query.limit + 1);
  const page = rows.slice(0, query.limit);
  return {
    items: page.map((r) => toEnrollmentView(r.enrollment, { program: r.program, partner: r.partner })),
    nextCursor: rows.length > query.limit ? (page.at(-1)?.enrollment.id ?? null) : null,
  };
}

export async function getEnrollment(ctx: Ctx, enrollmentId: string, scope: { partnerId?: string } = {}) {
  const where = [eq(enrollments.id, enrollmentId)];
  if (scope.partnerId) where.push(eq(enrollments.partnerId, scope.partnerId));
  const [row] = await select(ctx)
    .where(and(...where))
    .limit(1);
  if (!row) throw new AppError("not_found", `enrollment ${enrollmentId} not found`);
  return toEnrollmentView(row.enrollment, { program: row.program, partner: row.partner });
}
