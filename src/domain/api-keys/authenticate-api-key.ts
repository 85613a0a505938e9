import { and, eq, isNull, lt, or } from "drizzle-orm";
import type { Db } from "../../db/client.js";
import { apiKeys } from "../../db/schema/index.js";
import { sha256 } from "../../lib/crypto.js";
import type { TtlCache } from "../ttl-cache.js";

// last_used_at is informational; writing it at most once a minute keeps key-authenticated hot paths read-only.
const LAST_USED_RESOLUTION_MS = 60_000;

export interface AuthenticatedKey {
  id: string;
  name: string;
  scopes: string[];
  lastUsedAt: Date | null;
}

/**
 * Resolves a key's secret to the key. With a cache, a server-to-server caller costs one database read per
 * key per TTL instead of one per request; a revocation drops the entry everywhere through NOTIFY.
 */
export async function authenticateApiKey(db: Db, now: Date, secret: string, cache?: TtlCache<AuthenticatedKey>) {
  const hash = sha256(secret);
  let key = cache?.get(hash);
  if (!key) {
    [key] = await db
      .select({ id: apiKeys.id, name: apiKeys.name, scopes: apiKeys.scopes, lastUsedAt: apiKeys.lastUsedAt })
      .from(apiKeys)
      .where(and(eq(apiKeys.secretHash, hash), isNull(apiKeys.revokedAt)))
      .limit(1);
    if (!key) return undefined;
    cache?.set(hash, key);
  }
  if (!key.lastUsedAt || now.getTime() - key.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
    const stale = new Date(now.getTime() - LAST_USED_RESOLUTION_MS);
    key.lastUsedAt = now;
    await db
      .update(apiKeys)
      .set({ lastUsedAt: now })
      .where(and(eq(apiKeys.id, key.id), or(isNull(apiKeys.lastUsedAt), lt(apiKeys.lastUsedAt, stale))));
  }
  return key;
}
