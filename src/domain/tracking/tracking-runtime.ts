import type { Database, Db } from "../../db/client.js";
import { listen, type Subscription } from "../../db/notifications.js";
import { ensureSetting } from "../../db/settings.js";
import { randomToken } from "../../lib/crypto.js";
import type { AuthenticatedKey } from "../api-keys/authenticate-api-key.js";
import type { Logger } from "../context.js";
import { ConversionBatcher } from "../conversions/conversion-batcher.js";
import type { ProgramCache } from "../conversions/find-program-ref.js";
import { fingerprintKey } from "../fraud/fingerprint.js";
import { CACHE_CHANGED_CHANNEL } from "../links/link-rules.js";
import { TtlCache } from "../ttl-cache.js";
import type { ClickIdKeys } from "./click-id.js";
import { ClickTracker } from "./click-tracker.js";
import { ClickWriter, type ClickWriterOptions } from "./click-writer.js";
import { IpHasher } from "./ip-hasher.js";
import { LinkCache, loadRedirectTarget } from "./link-cache.js";

export interface TrackingRuntime {
  cache: LinkCache;
  /** API keys and programs read by every server-to-server call; see TtlCache. */
  apiKeys: TtlCache<AuthenticatedKey>;
  programs: ProgramCache;
  /** Group commit for leads and sales (the conversion API). */
  conversions: ConversionBatcher;
  /** Drops what a change announced (`slug:`, `program:`, `enrollment:`, `api_key:` or `*`) from every cache here. */
  invalidate(message: string): void;
  writer: ClickWriter;
  tracker: ClickTracker;
  keys: ClickIdKeys;
  close(): Promise<void>;
}

/** Installation secrets are generated on first boot and shared by every instance through the database. */
export async function loadClickIdKeys(db: Db): Promise<ClickIdKeys> {
  const secret = Buffer.from(await ensureSetting(db, "click_id_key_1", () => randomToken(32)), "base64url");
  return { current: { id: 1, secret }, accepted: new Map([[1, secret]]) };
}

/**
 * Buffered clicks go out at least every 5 ms (fewer, larger inserts). With `sync` durability every queued click
 * holds a response, so a batch goes out as soon as the writer is idle (group commit).
 */
export const clickWriterOptions = (durability: "buffered" | "sync"): ClickWriterOptions => ({
  maxBatch: 1000,
  flushIntervalMs: durability === "sync" ? 0 : 5,
  maxQueue: 50_000,
});

export async function createTrackingRuntime(
  database: Database,
  log: Logger,
  writerOptions?: ClickWriterOptions,
): Promise<TrackingRuntime> {
  const keys = await loadClickIdKeys(database.db);
  const cache = new LinkCache((slug) => loadRedirectTarget(database.db, slug));
  const apiKeys = new TtlCache<AuthenticatedKey>(30_000);
  const programCache: ProgramCache = new TtlCache(30_000);
  const invalidate = (message: string) => {
    cache.invalidate(message);
    const [kind, id] = message.split(/:(.*)/s);
    if (kind === "api_key") apiKeys.deleteWhere((k) => k.id === id);
    else if (kind === "program") programCache.deleteWhere((p) => p.id === id);
    else if (message === "*") {
      apiKeys.clear();
      programCache.clear();
    }
  };
  const writer = new ClickWriter(database.db, log, writerOptions, new IpHasher(database.db));
  const conversions = new ConversionBatcher(database.db, keys, log);
  const subscription: Subscription = await listen(database, CACHE_CHANGED_CHANNEL, invalidate, {
    warn: (obj, msg) => log.warn(obj, msg),
  });
  return {
    cache,
    apiKeys,
    programs: programCache,
    invalidate,
    writer,
    conversions,
    keys,
    tracker: new ClickTracker(keys, writer, await fingerprintKey(database.db, database.db)),
    close: async () => {
      await subscription.close();
      await writer.close();
      await conversions.drain();
    },
  };
}
