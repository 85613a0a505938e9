import { and, eq } from "drizzle-orm";
import type { Db } from "../../db/client.js";
import { links, partners, programs } from "../../db/schema/index.js";
import { newId } from "../../lib/ids.js";
import type { Ctx } from "../context.js";
import { recordAudit } from "../governance/record-audit.js";
import { generateSlug } from "./link-rules.js";

/** Slugs drawn before giving up: a generated slug has 20 random bits (generateSlug), so a second draw is rare already. */
const SLUG_DRAWS = 5;

/**
 * Every approved enrollment has a default link. Idempotent: a second call (or a concurrent one, thanks to
 * the partial unique index) changes nothing. The default link follows the program's default landing URL.
 * A generated slug another link holds already is drawn again: the insert skips any conflict, so a row not
 * inserted is either this enrollment's default link made meanwhile (returned) or a taken slug.
 */
export async function ensureDefaultLink(
  tx: Db,
  ctx: Pick<Ctx, "actor" | "clock">,
  enrollment: { id: string; programId: string; partnerId: string },
  newSlug: (name: string) => string = generateSlug,
) {
  const existing = await findDefaultLink(tx, enrollment.id);
  if (existing) return existing;
  const [partner] = await tx
    .select({ name: partners.name })
    .from(partners)
    .where(eq(partners.id, enrollment.partnerId));
  const [program] = await tx.select({ id: programs.id }).from(programs).where(eq(programs.id, enrollment.programId));
  if (!partner || !program) throw new Error("enrollment without partner or program");
  const now = ctx.clock.now();
  for (let draw = 0; draw < SLUG_DRAWS; draw++) {
    const [link] = await tx
      .insert(links)
      .values({
        id: newId("link", now),
        programId: enrollment.programId,
        partnerId: enrollment.partnerId,
        enrollmentId: enrollment.id,
        slug: newSlug(partner.name),
        destinationUrl: null,
        isDefault: true,
        createdAt: now,
        updatedAt: now,
      })
      .onConflictDoNothing()
      .returning();
    if (!link) {
      const made = await findDefaultLink(tx, enrollment.id);
      if (made) return made;
      continue;
    }
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
  throw new Error(`no free slug for the default link of enrollment ${enrollment.id} after ${SLUG_DRAWS} draws`);
}

async function findDefaultLink(tx: Db, enrollmentId: string) {
  const [link] = await tx
    .select()
    .from(links)
    .where(and(eq(links.enrollmentId, enrollmentId), eq(links.isDefault, true)));
  return link;
}
