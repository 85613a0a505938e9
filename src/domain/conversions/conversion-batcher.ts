import type { Db } from "../../db/client.js";
import { GroupCommit, type GroupCommitOptions } from "../../lib/group-commit.js";
import type { Logger } from "../context.js";
import type { ClickIdKeys } from "../tracking/click-id.js";
import { type ConversionRequest, type RecordedConversion, recordConversions } from "./record-conversion.js";

/**
 * Group commit for the conversion API (see GroupCommit): leads and sales arriving at the same moment are stored in
 * one transaction with set-based statements (recordConversions), and each caller is answered once it committed.
 */
export class ConversionBatcher {
  readonly #group: GroupCommit<ConversionRequest, RecordedConversion>;

  constructor(
    db: Db,
    keys: ClickIdKeys,
    log: Logger,
    // Two transactions in flight: one is being decided in this process while the other waits on the database.
    options: GroupCommitOptions = { maxBatch: 500, maxInFlight: 2 },
  ) {
    this.#group = new GroupCommit(
      (batch) => recordConversions(db, keys, batch),
      (error, conversions) => log.warn({ err: error, conversions }, "conversion batch failed; storing one by one"),
      options,
    );
  }

  record(request: ConversionRequest): Promise<RecordedConversion> {
    return this.#group.add(request);
  }

  /** Resolves once everything recorded so far has been stored (or has failed). */
  drain(): Promise<void> {
    return this.#group.drain();
  }
}
