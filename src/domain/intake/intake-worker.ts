import { sql } from "drizzle-orm";
import type { Lease, TakeLease } from "../../db/advisory-lease.js";
import { arrayLiteral } from "../../db/array-literal.js";
import type { Db } from "../../db/client.js";
import { rawQuery, type Statement } from "../../db/raw-transaction.js";
import type { IntakeRefusal } from "../../db/schema/index.js";
import type { Clock } from "../../lib/clock.js";
import { AppError } from "../../lib/errors.js";
import type { Actor, Logger } from "../context.js";
import type { TrackLeadInput, TrackSaleInput } from "../conversions/conversions.schemas.js";
import type { ProgramCache } from "../conversions/find-program-ref.js";
import { leadRequest } from "../conversions/lead-request.js";
import {
  type ConversionRequest,
  type RecordedConversion,
  recordConversions,
} from "../conversions/record-conversion.js";
import { saleRequest } from "../conversions/sale-request.js";
import { assertSameAsFirst } from "../conversions/same-as-first.js";
import type { ClickIdKeys } from "../tracking/click-id.js";

/**
 * Submissions recorded in one transaction at most: large enough that a sale costs about half of what it does in the
 * rounds of a few that the sync route's group commit makes under load (README, Benchmarks), small enough that
 * preparing a round does not hold up this process's requests for long: with 200 or 400, the 202s' p99 under a sale
 * load was 56–78 ms, with 100 about 40 ms (bench/profile-load.ts async, 2026-11-23).
 */
export const INTAKE_ROUND = 100;
/** Rounds failed for a reason of the database's before a submission is refused rather than tried forever. */
export const INTAKE_MAX_ATTEMPTS = 5;
const RETRY_MS = 1000;
/**
 * How long a kick waits for more submissions to join its round: under a steady stream the worker would otherwise
 * take whatever came since its last round, a few at a time, at the per-sale cost of small rounds.
 */
export const INTAKE_GATHER_MS = 50;

interface QueuedRow {
  id: string;
  kind: "lead" | "sale";
  idempotency_key: string;
  input: unknown;
  actor: Actor;
  received_at_ms: number;
  attempts: number;
}

export const SELECT_QUEUED: Statement = {
  name: "tributary_intake_queued_1",
  text: `
    select id, kind, idempotency_key, input, actor, (extract(epoch from received_at) * 1000)::float8 as received_at_ms,
      attempts
    from conversion_intake where status = 'queued'
    order by received_at, id
    limit $1`,
};

/*
 * The statements that change intake rows by id are planned afresh each time (sent unnamed, through Drizzle), not
 * kept as named statements like the rest: PostgreSQL keeps a named statement's generic plan, and one made while the
 * intake was empty scans the whole table — tens of thousands of rows after a burst — on every round. Planned with
 * the table's current size, `id = any(…)` is a primary-key lookup once the table is large, for about the cost of
 * planning a one-table statement per round.
 */

/** In the transaction that records them: their conversions now stand for them (same ids). */
const deleteRecorded = (tx: Db, ids: string[]) =>
  tx.execute(sql`delete from conversion_intake where id = any(${arrayLiteral(ids)}::text[])`);

/** Refused submissions, and retries of keys recorded before (pointing at the first conversion). */
const markProcessed = (db: Db, processed: Processed[], now: Date) =>
  db.execute(sql`
    update conversion_intake i
    set status = u.status, conversion_id = u.conversion_id, refusal = u.refusal::jsonb, processed_at = ${now.toISOString()}
    from unnest(${arrayLiteral(processed.map((p) => p.id))}::text[], ${arrayLiteral(processed.map((p) => p.status))}::text[],
      ${arrayLiteral(processed.map((p) => p.conversionId ?? null))}::text[],
      ${arrayLiteral(processed.map((p) => (p.refusal ? JSON.stringify(p.refusal) : null)))}::text[])
      as u(id, status, conversion_id, refusal)
    where i.id = u.id`);

const countFailedAttempt = (db: Db, ids: string[]) =>
  db.execute(sql`update conversion_intake set attempts = attempts + 1 where id = any(${arrayLiteral(ids)}::text[])`);

export interface IntakeWorkerDeps {
  db: Db;
  clock: Clock;
  log: Logger;
  keys: ClickIdKeys;
  programs: ProgramCache;
  /** Told when conversions were recorded: their credits are queued for it. */
  commissions: { kick(): void };
  /**
   * The intake's lease (INTAKE_LOCK) when other instances may share the database: one instance records at a time.
   * Two taking the same oldest rows would each attribute them, the slower one's work thrown away on the idempotency
   * keys, and two taking successive rounds at once could record a customer's sale before the lead sent ahead of it.
   */
  lease?: TakeLease | undefined;
  /** Told of each round: how many submissions it tried to record (tests count the work done). */
  onRound?: ((tried: number) => void) | undefined;
}

/** How often a drain asks again for the lease another instance holds. */
const LEASE_POLL_MS = 200;

/** The advisory lock key of the intake's lease ("tribintk"). */
export const INTAKE_LOCK = 0x7472_6962_696e_746bn;

interface Processed {
  id: string;
  status: "recorded" | "refused";
  conversionId?: string | undefined;
  refusal?: IntakeRefusal | undefined;
}

const refusalOf = (error: AppError): IntakeRefusal => ({
  code: error.code,
  message: error.message,
  ...(error.fields ? { fields: error.fields } : {}),
});

/**
 * Records what the intake accepted: kicked by each accepted submission (coalesced), it takes the oldest waiting
 * submissions round after round, in the order they came, and records each as the sync route would — same checks,
 * same idempotency, same attribution — with the submission's id as its conversion's. Submissions live in the
 * database, so after a crash the next start (or the sweep job) picks up what was left; a round that fails for a
 * reason of the database's is tried again a second later.
 */
export class IntakeWorker {
  /** The run in progress; it resolves true when it left the recording to another instance (a kick's run). */
  private running: Promise<boolean> | undefined;
  /** drain() was called during a run: run again at once, so that it covers what was stored before it was called. */
  private again = false;
  private kickedWhileRunning = false;
  private timer: NodeJS.Timeout | undefined;
  private closed = false;
  private retry: NodeJS.Timeout | undefined;

  constructor(private readonly deps: IntakeWorkerDeps) {}

  /** Something was accepted: record it soon, with whatever else comes meanwhile. */
  kick(): void {
    if (this.closed) return;
    if (this.running) {
      this.kickedWhileRunning = true;
      return;
    }
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.run(false);
    }, INTAKE_GATHER_MS);
    this.timer.unref?.();
  }

  /**
   * Records until nothing is waiting; concurrent callers share the run. With other instances, it waits for the one
   * recording (which records what this one's callers stored, too) and then looks again itself.
   */
  async drain(): Promise<void> {
    // Joining a kick's run that left the recording to another instance has not drained: run again, waiting.
    for (;;) if (!(await this.run(true))) return;
  }

  /** A run: `wait` for the lease (drain), or leave it to the instance holding it and look again later (a kick). */
  private run(wait: boolean): Promise<boolean> {
    // A pending kick's run would find nothing this one does not.
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = this.loop(wait).finally(() => {
      this.running = undefined;
      // What came during the last round waits for a gathering time of its own rather than going alone at once.
      if (this.kickedWhileRunning) {
        this.kickedWhileRunning = false;
        this.kick();
      }
    });
    return this.running;
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.retry) clearTimeout(this.retry);
    if (this.timer) clearTimeout(this.timer);
    await this.running?.catch(() => undefined);
  }

  private async loop(wait: boolean): Promise<boolean> {
    let lease: Lease | undefined;
    try {
      if (this.deps.lease) {
        lease = await this.deps.lease(false);
        // Asked rather than queued for, so that a stopping process is never held up by another instance's long run.
        while (!lease && wait && !this.closed) {
          await new Promise((resolve) => setTimeout(resolve, LEASE_POLL_MS));
          lease = await this.deps.lease(false);
        }
        // Another instance is recording; it may finish before seeing what this one stored, so look again shortly.
        if (!lease) {
          this.retryLater();
          return !this.closed;
        }
      }
      do {
        this.again = false;
        for (;;) {
          if (this.closed) return false;
          const rows = await rawQuery<QueuedRow>(this.deps.db, SELECT_QUEUED, [INTAKE_ROUND]);
          if (rows.length === 0) break;
          if (!(await this.recordRound(rows))) {
            this.retryLater();
            return false;
          }
          if (rows.length < INTAKE_ROUND) break;
        }
      } while (this.again);
    } catch (error) {
      // The database is away (or the process is stopping): what waits is stored, so try again shortly.
      this.deps.log.error({ err: error }, "intake round failed");
      this.retryLater();
    } finally {
      await lease?.release();
    }
    return false;
  }

  private retryLater() {
    if (this.closed || this.retry) return;
    this.retry = setTimeout(() => {
      this.retry = undefined;
      this.kick();
    }, RETRY_MS);
    this.retry.unref?.();
  }

  /** False when the round failed for a reason of the database's: its submissions wait for the next try. */
  private async recordRound(rows: QueuedRow[]): Promise<boolean> {
    const processed: Processed[] = [];
    const failed: QueuedRow[] = [];
    const ready: { row: QueuedRow; request: ConversionRequest }[] = [];
    for (const row of rows) {
      try {
        const { request, earlier } = await this.requestOf(row);
        // A lead recorded under the plain key of earlier versions: this is its retry.
        if (earlier) processed.push({ id: row.id, status: "recorded", conversionId: earlier.id });
        else ready.push({ row, request: { ...request, id: row.id } });
      } catch (error) {
        if (error instanceof AppError) processed.push({ id: row.id, status: "refused", refusal: refusalOf(error) });
        else failed.push(row);
      }
    }
    this.deps.onRound?.(ready.length);
    if (ready.length > 0) {
      const outcomes = await this.record(ready.map((r) => r.request));
      ready.forEach(({ row, request }, i) => {
        const outcome = outcomes[i]!;
        if (outcome instanceof AppError) processed.push({ id: row.id, status: "refused", refusal: refusalOf(outcome) });
        else if (outcome instanceof Error) failed.push(row);
        else if (outcome.replayed) processed.push(this.replayOf(row, request, outcome));
      });
    }
    if (failed.length > 0) await this.countFailedAttempts(failed, processed);
    if (processed.length > 0) await markProcessed(this.deps.db, processed, this.deps.clock.now());
    if (ready.length > 0) this.deps.commissions.kick();
    return failed.length === 0;
  }

  /** The lead or sale as its route built it when it was accepted (the same checks, the same received time). */
  private async requestOf(row: QueuedRow): Promise<{ request: ConversionRequest; earlier?: { id: string } }> {
    const ctx = { db: this.deps.db, clock: this.deps.clock, actor: row.actor };
    const receivedAt = new Date(row.received_at_ms);
    if (row.kind === "lead") return leadRequest(ctx, row.input as TrackLeadInput, receivedAt, this.deps.programs);
    return { request: await saleRequest(ctx, row.input as TrackSaleInput, receivedAt, this.deps.programs) };
  }

  /**
   * Records the round in one transaction that also deletes the recorded submissions; if it fails, each alone, so
   * one bad submission fails alone. An outcome is the recorded conversion, or the error it alone met.
   */
  private async record(requests: ConversionRequest[]): Promise<(RecordedConversion | Error)[]> {
    const alsoDelete = async (tx: Db, stored: { id: string }[]) => {
      await deleteRecorded(
        tx,
        stored.map((s) => s.id),
      );
    };
    try {
      return await recordConversions(this.deps.db, this.deps.keys, requests, alsoDelete);
    } catch (error) {
      if (requests.length === 1) return [error instanceof Error ? error : new Error(String(error))];
      this.deps.log.warn({ err: error, submissions: requests.length }, "intake round failed; recording one by one");
      const outcomes: (RecordedConversion | Error)[] = [];
      for (const request of requests) {
        try {
          const [recorded] = await recordConversions(this.deps.db, this.deps.keys, [request], alsoDelete);
          outcomes.push(recorded!);
        } catch (single) {
          outcomes.push(single instanceof Error ? single : new Error(String(single)));
        }
      }
      return outcomes;
    }
  }

  /** A key recorded before: the same sale sent again points at the first; another sale under it is refused (409). */
  private replayOf(row: QueuedRow, request: ConversionRequest, recorded: RecordedConversion): Processed {
    try {
      assertSameAsFirst(
        row.kind === "sale" ? "/orderId" : "/eventId",
        row.idempotency_key,
        request,
        recorded.conversion,
      );
      return { id: row.id, status: "recorded", conversionId: recorded.conversion.id };
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      return { id: row.id, status: "refused", refusal: refusalOf(error) };
    }
  }

  /** A submission that keeps failing is refused after a few rounds instead of holding the queue's head forever. */
  private async countFailedAttempts(failed: QueuedRow[], processed: Processed[]) {
    this.deps.log.error({ submissions: failed.map((r) => r.id) }, "intake submissions could not be recorded");
    const exhausted = failed.filter((r) => r.attempts + 1 >= INTAKE_MAX_ATTEMPTS);
    for (const row of exhausted)
      processed.push({
        id: row.id,
        status: "refused",
        refusal: {
          code: "invalid_state",
          message: `could not be recorded after ${INTAKE_MAX_ATTEMPTS} attempts; send it again`,
        },
      });
    const again = failed.filter((r) => r.attempts + 1 < INTAKE_MAX_ATTEMPTS);
    if (again.length > 0)
      await countFailedAttempt(
        this.deps.db,
        again.map((r) => r.id),
      );
  }
}
