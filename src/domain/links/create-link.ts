import { links } from "../../db/schema/index.js";
import { newId } from "../../lib/ids.js";
import type { Ctx } from "../context.js";
import { recordAudit } from "../governance/record-audit.js";
import { uniqueViolation } from "../unique-violation.js";
import { findEnrollmentFor } from "./find-enrollment-for.js";
import { assertDestinationAllowed, generateSlug, notifyCacheChanged } from "./link-rules.js";
import { toLinkView } from "./link-view.js";
import type { CreateLinkInput } from "./links.schemas.js";

/** Generated slugs drawn before giving up (see ensureDefaultLink). */
const SLUG_DRAWS = 5;

/**
 * A custom link for an enrollment: a partner for itself (portal) or a manager for a partner (console). A slug the
 * caller chose and someone holds is a 409; a generated one that is taken is drawn again.
 */
export async function createLink(
  ctx: Ctx,
  enrollmentId: string,
  input: CreateLinkInput,
  newSlug: (name: string) => string = generateSlug,
) {
  const { enrollment, program } = await findEnrollmentFor(ctx.db, ctx.actor, enrollmentId);
  const destinationUrl = assertDestinationAllowed(input.destinationUrl, program.allowedDomains);
  const now = ctx.clock.now();
  return uniqueViolation({ links_slug_key: ["/slug", `the slug "${input.slug}" is taken`] }, () =>
    ctx.db.transaction(async (tx) => {
      const values = {
        programId: program.id,
        partnerId: enrollment.partnerId,
        enrollmentId: enrollment.id,
        destinationUrl,
        isDefault: false,
        createdAt: now,
        updatedAt: now,
      };
      let link: typeof links.$inferSelect | undefined;
      if (input.slug !== undefined) {
        [link] = await tx
          .insert(links)
          .values({ ...values, id: newId("link", now), slug: input.slug })
          .returning();
      } else {
        // The only conflict a new custom link can meet is its slug (its id is new, and it is not a default link).
        for (let draw = 0; draw < SLUG_DRAWS && !link; draw++)
          [link] = await tx
            .insert(links)
            .values({ ...values, id: newId("link", now), slug: newSlug(program.slug) })
            .onConflictDoNothing()
            .returning();
      }
      if (!link) throw new Error("insert returned no row");
      // A slug visited before it existed is cached as unknown for a while: the new link must answer at once.
      await notifyCacheChanged(tx, ctx, `slug:${link.slug.toLowerCase()}`);
      await recordAudit(tx, ctx, {
        action: "link.create",
        entityType: "link",
        entityId: link.id,
        programId: program.id,
        partnerId: link.partnerId,
        after: link,
      });
      return toLinkView(link, program.linkDomain);
    }),
  );
}
