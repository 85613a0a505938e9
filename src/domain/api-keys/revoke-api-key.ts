import { eq } from "drizzle-orm";
import { apiKeys } from "../../db/schema/index.js";
import { AppError } from "../../lib/errors.js";
import type { Ctx } from "../context.js";
import { recordAudit } from "../governance/record-audit.js";
import { notifyCacheChanged } from "../links/link-rules.js";
import { toApiKeyView } from "./api-keys.schemas.js";

export async function revokeApiKey(ctx: Ctx, keyId: string) {
  return ctx.db.transaction(async (tx) => {
    const [before] = await tx.select().from(apiKeys).where(eq(apiKeys.id, keyId)).for("update");
    if (!before) throw new AppError("not_found", `API key ${keyId} not found`);
    if (before.revokedAt) throw new AppError("invalid_state", "this API key is already revoked");
    const [after] = await tx
      .update(apiKeys)
      .set({ revokedAt: ctx.clock.now() })
      .where(eq(apiKeys.id, keyId))
      .returning();
    if (!after) throw new Error("update returned no row");
    await notifyCacheChanged(tx, ctx, `api_key:${keyId}`);
    await recordAudit(tx, ctx, { action: "api_key.revoke", entityType: "api_key", entityId: keyId, before, after });
    return toApiKeyView(after);
  });
}
