import type { Db } from "../../db/client.js";
import type { Clock } from "../../lib/clock.js";
import type { Logger } from "../context.js";
import { type CalculationResult, calculateCommissions, DEFAULT_BATCH } from "./calculate-commissions.js";
import type { QueueCursor } from "./load-calculation-context.js";

/** Kicks are coalesced for this long when conversions are few: a lone sale's commission shows at once... */
const KICK_DELAY_MS = 20;
/**
 * ...and for this long while they stream in: the last run found BUSY_RUN_CREDITS or more, i.e. conversions came at
 * 500 a second or faster. Each run has a fixed cost — the batch's plans, rates, totals and holds are read once per
 * batch — which at one run per 20 ms under a steady sale load was a sixth of the database's CPU per ingested sale;
 * a few larger runs a second do the same work for less, and commissions still appear within a fraction of a second.
 */
const BUSY_KICK_DELAY_MS = 250;
const BUSY_RUN_CREDITS = 10;

/** How long a kick waits for more conversions to join its batch, given what the last run found. */
export const kickDelayAfter = (lastRunCredits: number): number =>
  lastRunCredits >= BUSY_RUN_CREDITS ? BUSY_KICK_DELAY_MS : KICK_DELAY_MS;
const BUSY_RETRY_MS = 500;

/**
 * Runs the commission engine in this process: a conversion kicks it (coalesced over a few milliseconds so a burst
 * becomes one batch), it drains the queue batch by batch, and a scheduled sweep catches anything a crash or
 * another instance left. Queued credits live in the database, so nothing is lost if the process dies.
 */
export class CommissionWorker {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private closed = false;
  /** Credits the last run handled: tells a stream of conversions from a lone one (see BUSY_KICK_DELAY_MS). */
  private lastRunCredits = 0;

  constructor(
    private readonly deps: { db: Db; clock: Clock; log: Logger },
    private readonly options: { batchSize?: number; onBatch?: (result: CalculationResult) => void } = {},
  ) {}

  /** New work may be queued: run soon. */
  kick(): void {
    if (this.closed || this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.drain().catch((error: unknown) => this.deps.log.error({ err: error }, "commission calculation failed"));
    }, this.kickDelayMs());
    this.timer.unref?.();
  }

  /** How long the next kick waits for more conversions to join its batch. */
  kickDelayMs(): number {
    return kickDelayAfter(this.lastRunCredits);
  }

  /** Runs until the queue is empty; concurrent callers share the run. Resolves when everything queued before is done. */
  async drain(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = this.loop().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running?.catch(() => undefined);
  }

  private async loop(): Promise<void> {
    let credits = 0;
    try {
      do {
        this.again = false;
        // Each pass starts from the head of the queue (catching credits committed late with smaller ids), then
        // follows the cursor batch after batch.
        let after: QueueCursor | undefined;
        for (;;) {
          if (this.closed) return;
          const result = await calculateCommissions(this.deps, { batchSize: this.options.batchSize, after });
          after = result.cursor;
          credits += result.processed;
          this.options.onBatch?.(result);
          if (result.busy) {
            // Another instance is calculating; it may finish before seeing our rows, so look again shortly.
            const retry = setTimeout(() => this.kick(), BUSY_RETRY_MS);
            retry.unref?.();
            return;
          }
          if (result.processed < (this.options.batchSize ?? DEFAULT_BATCH)) break;
        }
      } while (this.again);
    } finally {
      this.lastRunCredits = credits;
    }
  }
}
