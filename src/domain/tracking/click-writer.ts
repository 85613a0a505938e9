import type { Db } from "../../db/client.js";
import { copyRows, copyValue } from "../../db/copy-rows.js";
import { postgresPoolOf, rawQuery, type Statement } from "../../db/raw-transaction.js";
import type { clicks } from "../../db/schema/index.js";
import type { Logger } from "../context.js";
import type { IpHasher } from "./ip-hasher.js";

export type ClickRow = typeof clicks.$inferInsert;
/** A click as queued: its row, and the visitor's address until the writer's IpHasher turns it into `ipHash`. */
export type QueuedClick = ClickRow & { ip?: string | undefined };

export interface ClickWriterOptions {
  /** A batch is written when it holds this many clicks... */
  maxBatch: number;
  /**
   * ...or this long after its first click arrived, whichever comes first. 0: as soon as the writer is idle
   * (group commit: clicks that arrive while a batch is being written go together in the next one).
   */
  flushIntervalMs: number;
  /** Clicks waiting in memory at most; beyond it callers wait (back-pressure) instead of memory growing. */
  maxQueue: number;
}

/** Clicks written together, and one promise for all of them (not one per click: this is the redirect's hot path). */
interface Batch {
  rows: QueuedClick[];
  done: Promise<void>;
  settle: () => void;
}

const RETRIES = 5;

const newBatch = (): Batch => {
  let settle!: () => void;
  const done = new Promise<void>((resolve) => {
    settle = resolve;
  });
  return { rows: [], done, settle };
};

/**
 * Writes clicks in multi-row inserts off the request path. `add` returns a promise that settles when the
 * click's batch has been written (group commit), so `CLICK_DURABILITY=sync` simply awaits it; buffered callers
 * do not, but must `await writer.space()` first so the queue stays bounded. A click that still fails on its own
 * after the batch's retries is logged and counted in `dropped`. `close()` flushes everything.
 */
export class ClickWriter {
  /** Oldest first; the last one takes new clicks until it is full. */
  #batches: Batch[] = [];
  #queued = 0;
  #timer: { handle: NodeJS.Timeout | NodeJS.Immediate; immediate: boolean } | undefined;
  #flushing: Promise<void> | undefined;
  #spaceWaiters: (() => void)[] = [];
  #closed = false;
  written = 0;
  dropped = 0;

  constructor(
    private readonly db: Db,
    private readonly log: Logger,
    private readonly options: ClickWriterOptions = { maxBatch: 1000, flushIntervalMs: 5, maxQueue: 50_000 },
    /** Hashes queued clicks' addresses just before they are written, with salts it may have to load first. */
    private readonly ipHasher?: Pick<IpHasher, "hashRows">,
  ) {}

  get queued(): number {
    return this.#queued;
  }

  /** Resolves at once while there is room; otherwise when a flush has made room. */
  space(): Promise<void> | undefined {
    if (this.#queued < this.options.maxQueue) return undefined;
    return new Promise((resolve) => this.#spaceWaiters.push(resolve));
  }

  add(row: QueuedClick): Promise<void> {
    if (this.#closed) {
      const refused = Promise.reject(new Error("click writer is closed"));
      refused.catch(() => undefined);
      return refused;
    }
    let batch = this.#batches[this.#batches.length - 1];
    if (!batch || batch.rows.length >= this.options.maxBatch) {
      batch = newBatch();
      this.#batches.push(batch);
    }
    batch.rows.push(row);
    this.#queued += 1;
    if (batch.rows.length >= this.options.maxBatch) this.#kick(0);
    else if (!this.#timer && !this.#flushing) this.#kick(this.options.flushIntervalMs);
    return batch.done;
  }

  /** Writes everything queued so far and waits for it (tests, shutdown). */
  async drain(): Promise<void> {
    while (this.#queued > 0 || this.#flushing) {
      this.#cancelTimer();
      await (this.#flushing ?? this.#flush());
    }
  }

  async close(): Promise<void> {
    this.#closed = true;
    await this.drain();
  }

  #cancelTimer() {
    const timer = this.#timer;
    if (!timer) return;
    if (timer.immediate) clearImmediate(timer.handle as NodeJS.Immediate);
    else clearTimeout(timer.handle as NodeJS.Timeout);
    this.#timer = undefined;
  }

  #kick(delayMs: number) {
    this.#cancelTimer();
    const fire = () => {
      this.#timer = undefined;
      if (!this.#flushing) void this.#flush();
    };
    // 0: after the requests already read in this turn of the event loop have added theirs.
    this.#timer =
      delayMs <= 0
        ? { handle: setImmediate(fire), immediate: true }
        : { handle: setTimeout(fire, delayMs), immediate: false };
  }

  #flush(): Promise<void> {
    const batch = this.#batches.shift();
    if (!batch) return Promise.resolve();
    this.#queued -= batch.rows.length;
    this.#wakeWaiters();
    this.#flushing = this.#write(batch.rows).finally(() => {
      batch.settle();
      this.#flushing = undefined;
      // Clicks that arrived during the write go out at once: they have already waited.
      if (this.#queued > 0) this.#kick(0);
    });
    return this.#flushing;
  }

  async #write(rows: QueuedClick[]): Promise<void> {
    for (let attempt = 1; attempt <= RETRIES; attempt++) {
      try {
        await this.ipHasher?.hashRows(rows);
        // A retry inserts: the first attempt's COPY may have committed before its answer was lost, and only the
        // insert skips rows that are there already.
        await (attempt === 1 ? appendClicks : insertClicks)(this.db, rows);
        this.written += rows.length;
        return;
      } catch (error) {
        this.log.warn({ err: error, attempt, clicks: rows.length }, "click batch insert failed; retrying");
        await new Promise((r) => setTimeout(r, 50 * 2 ** attempt));
      }
    }
    // One bad row must not sink its neighbours: write them one by one and drop only what still fails.
    for (const row of rows) {
      try {
        await this.#hashIp(row);
        await insertClicks(this.db, [row]);
        this.written += 1;
      } catch (error) {
        this.dropped += 1;
        this.log.error({ err: error, click: row.id }, "click dropped after retries");
      }
    }
  }

  /** A click written on its own: without its day's salt it is kept all the same, with no IP hash, and said so. */
  async #hashIp(row: QueuedClick) {
    try {
      await this.ipHasher?.hashRows([row]);
    } catch (error) {
      row.ip = undefined;
      this.log.error({ err: error, click: row.id }, "click written without its IP hash: the day's salt did not load");
    }
  }

  #wakeWaiters() {
    while (this.#spaceWaiters.length > 0 && this.#queued < this.options.maxQueue) this.#spaceWaiters.shift()!();
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
  "device_hash",
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
  "ad_network",
  "ad_click_param",
  "landing_url",
] as const;

/**
 * One statement per batch with one array parameter per column (`unnest`), so the SQL text and the parameter
 * count stay the same for 1 or 1,000 clicks: building and sending an 18,000-placeholder insert cost more
 * CPU than the redirect itself. Named, so PostgreSQL parses and plans it once per connection.
 */
export const INSERT_CLICKS: Statement = {
  name: "tributary_clicks_insert_4",
  text: `
    insert into clicks (${COLUMNS.join(", ")})
    select * from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::timestamptz[], $6::text[], $7::text[],
      $8::text[], $9::text[], $10::text[], $11::text[], $12::text[], $13::text[], $14::text[], $15::text[],
      $16::text[], $17::text[], $18::text[], $19::text[], $20::text[], $21::text[])
    on conflict (id) do nothing`,
};

/** Ids, hashes and enums (the ad network and its parameter too) are never escaped; the row's other text goes through copyValue. */
const clickLine = (r: ClickRow): string =>
  `${r.id}\t${r.programId}\t${r.partnerId}\t${r.linkId ?? "\\N"}\t${r.at.toISOString()}\t${r.source}\t${r.ipHash ?? "\\N"}\t${
    r.deviceHash ?? "\\N"
  }\t${copyValue(r.country)}\t${copyValue(r.deviceType)}\t${copyValue(r.browser)}\t${copyValue(r.os)}\t${copyValue(
    r.referrer,
  )}\t${copyValue(r.sub1)}\t${copyValue(r.sub2)}\t${copyValue(r.sub3)}\t${copyValue(r.sub4)}\t${copyValue(r.sub5)}\t${
    r.adNetwork ?? "\\N"
  }\t${r.adClickParam ?? "\\N"}\t${copyValue(r.landingUrl)}\n`;

/**
 * A new batch: COPY on PostgreSQL, which loads rows for about half the database CPU of the insert below; the
 * insert on PGlite, which has no COPY from a client stream.
 */
async function appendClicks(db: Db, rows: ClickRow[]): Promise<void> {
  const pool = postgresPoolOf(db);
  if (!pool) return insertClicks(db, rows);
  let lines = "";
  for (const row of rows) lines += clickLine(row);
  await copyRows(pool, "clicks", COLUMNS, lines);
}

async function insertClicks(db: Db, rows: ClickRow[]): Promise<void> {
  await rawQuery(db, INSERT_CLICKS, [
    rows.map((r) => r.id),
    rows.map((r) => r.programId),
    rows.map((r) => r.partnerId),
    rows.map((r) => r.linkId ?? null),
    rows.map((r) => r.at.toISOString()),
    rows.map((r) => r.source),
    rows.map((r) => r.ipHash ?? null),
    rows.map((r) => r.deviceHash ?? null),
    rows.map((r) => r.country ?? null),
    rows.map((r) => r.deviceType ?? null),
    rows.map((r) => r.browser ?? null),
    rows.map((r) => r.os ?? null),
    rows.map((r) => r.referrer ?? null),
    rows.map((r) => r.sub1 ?? null),
    rows.map((r) => r.sub2 ?? null),
    rows.map((r) => r.sub3 ?? null),
    rows.map((r) => r.sub4 ?? null),
    rows.map((r) => r.sub5 ?? null),
    rows.map((r) => r.adNetwork ?? null),
    rows.map((r) => r.adClickParam ?? null),
    rows.map((r) => r.landingUrl ?? null),
  ]);
}
