import pg from "pg";
import type { Database } from "./client.js";

export interface Subscription {
  close(): Promise<void>;
}

/**
 * LISTEN on a channel. PGlite delivers notifications inside the process; on PostgreSQL a dedicated
 * connection listens and reconnects after errors. After a reconnect `onMessage("*")` is called,
 * because notifications sent while disconnected are lost and caches must start over.
 */
export async function listen(
  database: Database,
  channel: string,
  onMessage: (payload: string) => void,
  log: { warn: (obj: object, msg: string) => void } = { warn: () => undefined },
): Promise<Subscription> {
  if (database.kind === "pglite") {
    const unlisten = await database.pglite!.listen(channel, onMessage);
    // Unlistening a database that is already closed has nothing left to undo.
    return { close: () => unlisten().catch(() => undefined) };
  }
  const connectionString = database.connectionString!;
  let client: pg.Client | undefined;
  let closed = false;
  let retryTimer: NodeJS.Timeout | undefined;

  const connect = async (isReconnect: boolean): Promise<void> => {
    const c = new pg.Client({ connectionString });
    c.on("notification", (n) => {
      if (n.channel === channel) onMessage(n.payload ?? "*");
    });
    c.on("error", (error) => {
      log.warn({ err: error }, "notification listener lost its connection; reconnecting");
      scheduleReconnect();
    });
    await c.connect();
    await c.query(`listen "${channel.replaceAll('"', "")}"`);
    client = c;
    if (isReconnect) onMessage("*");
  };

  const scheduleReconnect = () => {
    const old = client;
    client = undefined;
    void old?.end().catch(() => undefined);
    if (closed || retryTimer) return;
    retryTimer = setTimeout(() => {
      retryTimer = undefined;
      if (closed) return;
      connect(true).catch((error: unknown) => {
        log.warn({ err: error }, "notification listener could not reconnect; retrying");
        scheduleReconnect();
      });
    }, 500);
  };

  await connect(false);
  return {
    close: async () => {
      closed = true;
      if (retryTimer) clearTimeout(retryTimer);
      await client?.end().catch(() => undefined);
    },
  };
}
