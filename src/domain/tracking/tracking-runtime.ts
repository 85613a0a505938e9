import type { Database, Db } from "../../db/client.js";
import { listen, type Subscription } from "../../db/notifications.js";
import { ensureSetting } from "../../db/settings.js";
import { randomToken } from "../../lib/crypto.js";
import type { Logger } from "../context.js";
import { LINK_CHANGED_CHANNEL } from "../links/link-rules.js";
import type { ClickIdKeys } from "./click-id.js";
import { ClickTracker } from "./click-tracker.js";
import { ClickWriter, type ClickWriterOptions } from "./click-writer.js";
import { LinkCache, loadRedirectTarget } from "./link-cache.js";
import { IpHasher } from "./visitor.js";

export interface TrackingRuntime {
  cache: LinkCache;
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

export async function createTrackingRuntime(
  database: Database,
  log: Logger,
  writerOptions?: ClickWriterOptions,
): Promise<TrackingRuntime> {
  const keys = await loadClickIdKeys(database.db);
  const ipSecret = await ensureSetting(database.db, "ip_hash_secret", () => randomToken(32));
  const cache = new LinkCache((slug) => loadRedirectTarget(database.db, slug));
  const writer = new ClickWriter(database.db, log, writerOptions);
  const subscription: Subscription = await listen(
    database,
    LINK_CHANGED_CHANNEL,
    (message) => cache.invalidate(message),
    {
      warn: (obj, msg) => log.warn(obj, msg),
    },
  );
  return {
    cache,
    writer,
    keys,
    tracker: new ClickTracker(keys, writer, new IpHasher(ipSecret)),
    close: async () => {
      await subscription.close();
      await writer.close();
    },
  };
}
