export interface GroupCommitOptions {
  /** Items stored in one transaction at most. */
  maxBatch: number;
  /** Transactions in flight at once; items arriving meanwhile wait and go together in the next one. */
  maxInFlight: number;
}

interface Pending<I, O> {
  item: I;
  resolve: (stored: O) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit: items that arrive while a transaction is in flight are stored together in the next one, with
 * set-based statements, so the cost of a transaction and its round trips is shared instead of paid per item. Each
 * caller's promise settles only after the transaction holding its item has committed. When a batch fails, each of
 * its items is tried again in a transaction of its own, so one bad item fails alone.
 */
export class GroupCommit<I, O> {
  #queue: Pending<I, O>[] = [];
  #inFlight = 0;
  #scheduled = false;
  #idle: (() => void)[] = [];

  constructor(
    /** Stores a batch in one transaction; its results are in the order of the batch. */
    private readonly store: (batch: I[]) => Promise<O[]>,
    private readonly onBatchFailed: (error: unknown, size: number) => void,
    private readonly options: GroupCommitOptions,
  ) {}

  add(item: I): Promise<O> {
    return new Promise((resolve, reject) => {
      this.#queue.push({ item, resolve, reject });
      this.#schedule();
    });
  }

  /** Resolves once everything added so far has been stored (or has failed). */
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
        void this.#storeBatch(batch).finally(() => {
          this.#inFlight -= 1;
          if (this.#queue.length > 0) this.#schedule();
          else if (this.#inFlight === 0) for (const wake of this.#idle.splice(0)) wake();
        });
      }
    });
  }

  async #storeBatch(batch: Pending<I, O>[]): Promise<void> {
    try {
      const stored = await this.store(batch.map((p) => p.item));
      for (const [i, p] of batch.entries()) p.resolve(stored[i]!);
    } catch (error) {
      if (batch.length === 1) return batch[0]!.reject(error);
      this.onBatchFailed(error, batch.length);
      await Promise.all(
        batch.map(async (p) => {
          try {
            const [stored] = await this.store([p.item]);
            p.resolve(stored!);
          } catch (single) {
            p.reject(single);
          }
        }),
      );
    }
  }
}
