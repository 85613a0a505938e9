import { and, eq } from "drizzle-orm";
import type { Db } from "../../db/client.js";
import { links, partners, programs } from "../../db/schema/index.js";
import { newId } from "../../lib/ids.js";
import type { Ctx } from "../context.js";
import { recordAudit } from "../governance/record-audit.js";
import { generateSlug } from "./link-rules.js";

/**
 * Every approved enrollment has a default link. Idempotent: a second call (or a concurrent one, thanks to
 * the partial unique index) changes nothing. The default link follows the program's default landing URL.
 */
export async function ensureDefaultLink(
  tx: Db,
  ctx: Pick<Ctx, "actor" | "clock">,
  enrollment: { id: string; programId: string; partnerId: string },
) {
  const [existing] = await tx
    .select()
    .from(links)
    .where(and(eq(links.enrollmentId, enrollment.id), eq(links.isDefault, true)));
  if (existing) return existing;
  const [partner] = await tx
    .select({ name: partners.name })
    .from(partners)
    .where(eq(partners.id, enrollment.partnerId));
  const [program] = await tx.select({ id: programs.id }).from(programs).where(eq(programs.id, enrollment.programId));
  if (!partner || !program) throw new Error("enrollment without partner or program");
  const now = ctx.clock.now();
  const [link] = await tx
    .insert(links)
    .values({
      id: newId("link", now),
      programId: enrollment.programId,
      partnerId: enrollment.partnerId,
      enrollmentId: enrollment.id,
      slug: generateSlug(partner.name),
      destinationUrl: null,
      isDefault: true,
      createdAt: now,
      updatedAt: now,
    })
    .onConflictDoNothing()
    .returning();
  if (!link) return undefined;
  await recordAudit(tx, ctx, {
    action: "link.create",
    entityType: "link",
    entityId: link.id,
    programId: link.programId,
    partnerId: link.partnerId,
    after: link,
  });
  return link;
}
