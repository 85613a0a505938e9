import type { Db } from "../../db/client.js";
import type { Logger } from "../context.js";
import type { ClickIdKeys } from "../tracking/click-id.js";
import { type ConversionRequest, type RecordedConversion, recordConversions } from "./record-conversion.js";

export interface ConversionBatcherOptions {
  /** Conversions stored in one transaction at most. */
  maxBatch: number;
  /** Transactions in flight at once; conversions arriving meanwhile wait and go together in the next one. */
  maxInFlight: number;
}

interface Pending {
  request: ConversionRequest;
  resolve: (recorded: RecordedConversion) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit for the conversion API: conversions that arrive while a transaction is in flight are stored
 * together in the next one, with set-based statements (see recordConversions), so the cost of a transaction
 * and its round trips is shared instead of paid per conversion. Each caller's promise settles only after the
 * transaction holding its conversion has committed. When a batch fails, each of its conversions is tried again
 * in a transaction of its own, so one bad conversion fails alone.
 */
export class ConversionBatcher {
  #queue: Pending[] = [];
  #inFlight = 0;
  #scheduled = false;
  #idle: (() => void)[] = [];

  constructor(
    private readonly db: Db,
    private readonly keys: ClickIdKeys,
    private readonly log: Logger,
    // Two transactions in flight: one is being decided in this process while the other waits on the database.
    private readonly options: ConversionBatcherOptions = { maxBatch: 500, maxInFlight: 2 },
  ) {}

  record(request: ConversionRequest): Promise<RecordedConversion> {
    return new Promise((resolve, reject) => {
      this.#queue.push({ request, resolve, reject });
      this.#schedule();
    });
  }

  /** Resolves once everything recorded so far has been stored (or has failed). */
  async drain(): Promise<void> {
    if (this.#queue.length === 0 && this.#inFlight === 0) return;
    await new Promise<void>((resolve) => this.#idle.push(resolve));
  }

  #schedule() {
    if (this.#scheduled || this.#inFlight >= this.options.maxInFlight) return;
    this.#scheduled = true;
    // After the requests already read in this turn of the event loop have joined.
    setImmediate(() => {
      this.#scheduled = false;
      while (this.#inFlight < this.options.maxInFlight && this.#queue.length > 0) {
        const batch = this.#queue.splice(0, this.options.maxBatch);
        this.#inFlight += 1;
        void this.#store(batch).finally(() => {
          this.#inFlight -= 1;
          if (this.#queue.length > 0) this.#schedule();
          else if (this.#inFlight === 0) for (const wake of this.#idle.splice(0)) wake();
        });
      }
    });
  }

  async #store(batch: Pending[]): Promise<void> {
    try {
      const recorded = await recordConversions(
        this.db,
        this.keys,
        batch.map((p) => p.request),
      );
      for (const [i, p] of batch.entries()) p.resolve(recorded[i]!);
    } catch (error) {
      if (batch.length === 1) return batch[0]!.reject(error);
      this.log.warn({ err: error, conversions: batch.length }, "conversion batch failed; storing one by one");
      await Promise.all(
        batch.map(async (p) => {
          try {
            const [recorded] = await recordConversions(this.db, this.keys, [p.request]);
            p.resolve(recorded!);
          } catch (single) {
            p.reject(single);
          }
        }),
      );
    }
  }
}
