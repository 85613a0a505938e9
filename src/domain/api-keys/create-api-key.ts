import { apiKeys } from "../../db/schema/index.js";
import { randomToken, sha256 } from "../../lib/crypto.js";
import { newId } from "../../lib/ids.js";
import type { Ctx } from "../context.js";
import { recordAudit } from "../governance/record-audit.js";
import { type CreateApiKeyInput, toApiKeyView } from "./api-keys.schemas.js";

export const API_KEY_PREFIX = "trb_";

/** Returns the secret exactly once; only its SHA-256 and a short visible prefix are stored. */
export async function createApiKey(ctx: Ctx, input: CreateApiKeyInput) {
  const now = ctx.clock.now();
  const secret = `${API_KEY_PREFIX}${randomToken(32)}`;
  return ctx.db.transaction(async (tx) => {
    const [key] = await tx
      .insert(apiKeys)
      .values({
        id: newId("apiKey", now),
        name: input.name.trim(),
        prefix: secret.slice(0, API_KEY_PREFIX.length + 6),
        secretHash: sha256(secret),
        scopes: input.scopes,
        createdBy: "id" in ctx.actor ? ctx.actor.id : ctx.actor.label,
        createdAt: now,
      })
      .returning();
    if (!key) throw new Error("insert returned no row");
    await recordAudit(tx, ctx, { action: "api_key.create", entityType: "api_key", entityId: key.id, after: key });
    return { secret, apiKey: toApiKeyView(key) };
  });
}
