import { desc } from "drizzle-orm";
import { apiKeys } from "../../db/schema/index.js";
import type { Ctx } from "../context.js";
import { toApiKeyView } from "./api-keys.schemas.js";

export async function listApiKeys(ctx: Ctx) {
  const rows = await ctx.db.select().from(apiKeys).orderBy(desc(apiKeys.createdAt));
  return rows.map(toApiKeyView);
}
