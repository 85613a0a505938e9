import type { Db } from "../../db/client.js";
import type { Clock } from "../../lib/clock.js";
import type { Logger } from "../context.js";
import { type CalculationResult, calculateCommissions, DEFAULT_BATCH } from "./calculate-commissions.js";
import type { QueueCursor } from "./load-calculation-context.js";

const KICK_DELAY_MS = 20;
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
    }, KICK_DELAY_MS);
    this.timer.unref?.();
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
    do {
      this.again = false;
      // Each pass starts from the head of the queue (catching credits committed late with smaller ids), then
      // follows the cursor batch after batch.
      let after: QueueCursor | undefined;
      for (;;) {
        if (this.closed) return;
        const result = await calculateCommissions(this.deps, { batchSize: this.options.batchSize, after });
        after = result.cursor;
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
  }
}
