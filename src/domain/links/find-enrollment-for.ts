import { and, eq } from "drizzle-orm";
import type { Db } from "../../db/client.js";
import { enrollments, programs } from "../../db/schema/index.js";
import { AppError } from "../../lib/errors.js";
import type { Actor } from "../context.js";

/**
 * The enrollment a link or coupon belongs to, with its program. A partner only ever finds its own
 * enrollments (another partner's id is simply not found); links need an approved or active enrollment.
 */
export async function findEnrollmentFor(db: Db, actor: Actor, enrollmentId: string, field = "/enrollmentId") {
  const where = [eq(enrollments.id, enrollmentId)];
  if (actor.type === "partner") where.push(eq(enrollments.partnerId, actor.partnerId));
  const [row] = await db
    .select({ enrollment: enrollments, program: programs })
    .from(enrollments)
    .innerJoin(programs, eq(programs.id, enrollments.programId))
    .where(and(...where));
  if (!row)
    throw new AppError("not_found", `enrollment ${enrollmentId} not found`, {
      fields: [{ field, message: "no such enrollment" }],
    });
  if (row.enrollment.status !== "approved" && row.enrollment.status !== "active") {
    throw new AppError(
      "invalid_state",
      `links and coupons need an approved or active enrollment; this one is ${row.enrollment.status}`,
      {
        extra: { currentStatus: row.enrollment.status },
      },
    );
  }
  return row;
}
