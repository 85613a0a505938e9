import { sql } from "drizzle-orm";
import type { Db } from "../../db/client.js";
import type { clicks } from "../../db/schema/index.js";
import type { Logger } from "../context.js";

export type ClickRow = typeof clicks.$inferInsert;

export interface ClickWriterOptions {
  /** A batch is written when it holds this many clicks... */
  maxBatch: number;
  /** ...or this long after its first click arrived, whichever comes first. */
  flushIntervalMs: number;
  /** Clicks waiting in memory at most; beyond it callers wait (back-pressure) instead of memory growing. */
  maxQueue: number;
}

interface Pending {
  row: ClickRow;
  resolve: () => void;
  reject: (error: unknown) => void;
}

const RETRIES = 5;

/**
 * Writes clicks in multi-row inserts off the request path. `add` returns a promise that settles when the
 * click's batch commits (group commit), so `CLICK_DURABILITY=sync` simply awaits it; buffered callers do
 * not, but must `await writer.space()` first so the queue stays bounded. `close()` flushes everything.
 */
export class ClickWriter {
  #queue: Pending[] = [];
  #timer: NodeJS.Timeout | undefined;
  #flushing: Promise<void> | undefined;
  #spaceWaiters: (() => void)[] = [];
  #closed = false;
  written = 0;
  dropped = 0;

  constructor(
    private readonly db: Db,
    private readonly log: Logger,
    private readonly options: ClickWriterOptions = { maxBatch: 1000, flushIntervalMs: 5, maxQueue: 50_000 },
  ) {}

  get queued(): number {
    return this.#queue.length;
  }

  /** Resolves at once while there is room; otherwise when a flush has made room. */
  space(): Promise<void> | undefined {
    if (this.#queue.length < this.options.maxQueue) return undefined;
    return new Promise((resolve) => this.#spaceWaiters.push(resolve));
  }

  add(row: ClickRow): Promise<void> {
    if (this.#closed) return Promise.reject(new Error("click writer is closed"));
    const committed = new Promise<void>((resolve, reject) => this.#queue.push({ row, resolve, reject }));
    if (this.#queue.length >= this.options.maxBatch) this.#kick(0);
    else if (!this.#timer && !this.#flushing) this.#kick(this.options.flushIntervalMs);
    return committed;
  }

  /** Writes everything queued so far and waits for it (tests, shutdown). */
  async drain(): Promise<void> {
    while (this.#queue.length > 0 || this.#flushing) {
      if (this.#timer) clearTimeout(this.#timer);
      this.#timer = undefined;
      await (this.#flushing ?? this.#flush());
    }
  }

  async close(): Promise<void> {
    this.#closed = true;
    await this.drain();
  }

  #kick(delayMs: number) {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      if (!this.#flushing) void this.#flush();
    }, delayMs);
  }

  #flush(): Promise<void> {
    const batch = this.#queue.splice(0, this.options.maxBatch);
    if (batch.length === 0) return Promise.resolve();
    this.#wakeWaiters();
    this.#flushing = this.#write(batch).finally(() => {
      this.#flushing = undefined;
      // Clicks that arrived during the write go out at once: they have already waited.
      if (this.#queue.length > 0) this.#kick(0);
    });
    return this.#flushing;
  }

  async #write(batch: Pending[]): Promise<void> {
    for (let attempt = 1; attempt <= RETRIES; attempt++) {
      try {
        await insertClicks(
          this.db,
          batch.map((p) => p.row),
        );
        this.written += batch.length;
        for (const p of batch) p.resolve();
        return;
      } catch (error) {
        this.log.warn({ err: error, attempt, clicks: batch.length }, "click batch insert failed; retrying");
        await new Promise((r) => setTimeout(r, 50 * 2 ** attempt));
      }
    }
    // One bad row must not sink its neighbours: write them one by one and drop only what still fails.
    for (const p of batch) {
      try {
        await insertClicks(this.db, [p.row]);
        this.written += 1;
        p.resolve();
      } catch (error) {
        this.dropped += 1;
        this.log.error({ err: error, click: p.row.id }, "click dropped after retries");
        p.reject(error);
      }
    }
  }

  #wakeWaiters() {
    while (this.#spaceWaiters.length > 0 && this.#queue.length < this.options.maxQueue) this.#spaceWaiters.shift()!();
  }
}

const COLUMNS = [
  "id",
  "program_id",
  "partner_id",
  "link_id",
  "at",
  "source",
  "ip_hash",
  "country",
  "device_type",
  "browser",
  "os",
  "referrer",
  "sub1",
  "sub2",
  "sub3",
  "sub4",
  "sub5",
] as const;

/**
 * One statement per batch with one array parameter per column (`unnest`), so the SQL text and the parameter
 * count stay the same for 1 or 1,000 clicks: building and sending a 17,000-placeholder insert cost more
 * CPU than the redirect itself.
 */
async function insertClicks(db: Db, rows: ClickRow[]): Promise<void> {
  // sql.param keeps each array one parameter (a bare array would expand into a list of placeholders).
  const column = <T>(pick: (r: ClickRow) => T) => sql.param(rows.map(pick));
  await db.execute(sql`
    insert into clicks (${sql.raw(COLUMNS.join(", "))})
    select * from unnest(
      ${column((r) => r.id)}::text[], ${column((r) => r.programId)}::text[], ${column((r) => r.partnerId)}::text[],
      ${column((r) => r.linkId ?? null)}::text[], ${column((r) => r.at.toISOString())}::timestamptz[], ${column((r) => r.source)}::text[],
      ${column((r) => r.ipHash ?? null)}::text[], ${column((r) => r.country ?? null)}::text[], ${column((r) => r.deviceType ?? null)}::text[],
      ${column((r) => r.browser ?? null)}::text[], ${column((r) => r.os ?? null)}::text[], ${column((r) => r.referrer ?? null)}::text[],
      ${column((r) => r.sub1 ?? null)}::text[], ${column((r) => r.sub2 ?? null)}::text[], ${column((r) => r.sub3 ?? null)}::text[],
      ${column((r) => r.sub4 ?? null)}::text[], ${column((r) => r.sub5 ?? null)}::text[]
    )
    on conflict (id) do nothing`);
}
