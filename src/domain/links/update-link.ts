import { and, eq } from "drizzle-orm";
import { links, programs } from "../../db/schema/index.js";
import { AppError } from "../../lib/errors.js";
import type { Ctx } from "../context.js";
import { recordAudit } from "../governance/record-audit.js";
import { assertDestinationAllowed, notifyCacheChanged } from "./link-rules.js";
import { toLinkView } from "./link-view.js";
import type { UpdateLinkInput } from "./links.schemas.js";

/** Changes a link's destination or disables/enables it; every instance's redirect cache drops it on commit. */
export async function updateLink(ctx: Ctx, linkId: string, input: UpdateLinkInput) {
  return ctx.db.transaction(async (tx) => {
    const where = [eq(links.id, linkId)];
    if (ctx.actor.type === "partner") where.push(eq(links.partnerId, ctx.actor.partnerId));
    const [before] = await tx
      .select()
      .from(links)
      .where(and(...where))
      .for("update");
    if (!before) throw new AppError("not_found", `link ${linkId} not found`);
    const [program] = await tx
      .select({ allowedDomains: programs.allowedDomains, linkDomain: programs.linkDomain })
      .from(programs)
      .where(eq(programs.id, before.programId));
    let destinationUrl = before.destinationUrl;
    if (input.destinationUrl !== undefined) {
      destinationUrl =
        input.destinationUrl === null
          ? null
          : assertDestinationAllowed(input.destinationUrl, program?.allowedDomains ?? []);
      if (destinationUrl === null && !before.isDefault) {
        throw new AppError("validation", "only the default link follows the program's landing URL", {
          fields: [{ field: "/destinationUrl", message: "a custom link needs a destination" }],
        });
      }
    }
    const now = ctx.clock.now();
    const disabledAt =
      input.disabled === undefined ? before.disabledAt : input.disabled ? (before.disabledAt ?? now) : null;
    const [after] = await tx
      .update(links)
      .set({ destinationUrl, disabledAt, updatedAt: now })
      .where(eq(links.id, linkId))
      .returning();
    if (!after) throw new Error("update returned no row");
    await notifyCacheChanged(tx, ctx, `slug:${after.slug.toLowerCase()}`);
    await recordAudit(tx, ctx, {
      action: "link.update",
      entityType: "link",
      entityId: linkId,
      programId: after.programId,
      partnerId: after.partnerId,
      before,
      after,
    });
    return toLinkView(after, program?.linkDomain ?? null);
  });
}
