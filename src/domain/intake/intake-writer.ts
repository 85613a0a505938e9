import type { Db } from "../../db/client.js";
import { rawQuery, type Statement } from "../../db/raw-transaction.js";
import { GroupCommit } from "../../lib/group-commit.js";
import type { Actor, Logger } from "../context.js";
import { type Submission, type SubmissionRow, submissionColumns, toSubmission } from "./submission.js";

/** A lead or sale to store in the intake, checked and ready. */
export interface NewSubmission {
  id: string;
  programId: string;
  kind: "lead" | "sale";
  idempotencyKey: string;
  /** The request body the worker records it from. */
  input: unknown;
  actor: Actor;
  receivedAt: Date;
}

export interface AcceptedSubmission {
  /** True when its key was in the intake already: `submission` is that first one. */
  replayed: boolean;
  submission: Submission;
  /** replayed: what the first submission under the key said (the caller checks the retry says the same). */
  firstInput?: unknown;
}

/**
 * Stores the batch's submissions with one statement. A key already waiting (or recorded through the intake and
 * pointing at its conversion) writes nothing; a key refused before is queued again with what was sent now, as a
 * corrected retry is. The rows the statement did not write are read back, with what they said, to answer with them.
 */
export const INSERT_SUBMISSIONS: Statement = {
  name: "tributary_intake_insert_1",
  text: `
    insert into conversion_intake as i (id, program_id, kind, idempotency_key, input, actor, received_at)
    select u.id, u.program_id, u.kind, u.idempotency_key, d.e -> 'input', d.e -> 'actor', u.received_at
    from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::timestamptz[])
      with ordinality as u(id, program_id, kind, idempotency_key, received_at, n)
    join jsonb_array_elements($6::jsonb) with ordinality as d(e, n) on d.n = u.n
    on conflict (program_id, kind, idempotency_key) do update
    set input = excluded.input, actor = excluded.actor, received_at = excluded.received_at, status = 'queued',
      refusal = null, conversion_id = null, attempts = 0, processed_at = null
    where i.status = 'refused'
    returning ${submissionColumns("i")}`,
};

export const FIND_SUBMISSIONS: Statement = {
  name: "tributary_intake_find_2",
  text: `
    select ${submissionColumns("i")}, i.input
    from unnest($1::text[], $2::text[], $3::text[]) as w(program_id, kind, idempotency_key)
    -- One lookup of the key's unique index per submission (the limit keeps a plan made on an empty table from
    -- hashing the whole intake).
    cross join lateral (
      select * from conversion_intake i
      where i.program_id = w.program_id and i.kind = w.kind and i.idempotency_key = w.idempotency_key
      limit 1
    ) i`,
};

const keyOf = (s: { programId: string; kind: string; idempotencyKey: string }) =>
  `${s.programId}\u0000${s.kind}\u0000${s.idempotencyKey}`;
const keyOfRow = (r: SubmissionRow) => `${r.program_id}\u0000${r.kind}\u0000${r.idempotency_key}`;

/**
 * Batches' submissions stored in one statement at most: a batch holds up to a thousand, so a few batches that arrive
 * together still share a statement (as single submissions do) without one statement growing past a few thousand rows.
 */
const BATCHES_PER_ROUND = 4;

/** Stores submissions with group commit: each caller is answered once its submission is durable. */
export class IntakeWriter {
  readonly #group: GroupCommit<NewSubmission, AcceptedSubmission>;
  /** Whole batches (`POST /v1/track/batch`): each is stored by one statement, so all of it or none. */
  readonly #batches: GroupCommit<NewSubmission[], AcceptedSubmission[]>;

  constructor(db: Db, log: Logger) {
    this.#group = new GroupCommit(
      (batch) => storeSubmissions(db, batch),
      (error, submissions) => log.warn({ err: error, submissions }, "intake batch failed; storing one by one"),
      { maxBatch: 1000, maxInFlight: 2 },
    );
    this.#batches = new GroupCommit(
      async (batches) => {
        const stored = await storeSubmissions(db, batches.flat());
        const starts = batches.map((_, i) => batches.slice(0, i).reduce((n, b) => n + b.length, 0));
        return batches.map((batch, i) => stored.slice(starts[i], starts[i]! + batch.length));
      },
      (error, batches) => log.warn({ err: error, batches }, "intake batches failed; storing each batch alone"),
      { maxBatch: BATCHES_PER_ROUND, maxInFlight: 2 },
    );
  }

  accept(submission: NewSubmission): Promise<AcceptedSubmission> {
    return this.#group.add(submission);
  }

  /**
   * Stores a request's submissions together, atomically: one statement holds them all (should the round it shares
   * with other batches fail, it is tried again alone, still whole). Answered in the order given; a key repeated in
   * the batch, or waiting from before, answers as the single accept does.
   */
  acceptAll(submissions: NewSubmission[]): Promise<AcceptedSubmission[]> {
    if (submissions.length === 0) return Promise.resolve([]);
    return this.#batches.add(submissions);
  }

  async drain(): Promise<void> {
    await Promise.all([this.#group.drain(), this.#batches.drain()]);
  }
}

export async function storeSubmissions(db: Db, batch: readonly NewSubmission[]): Promise<AcceptedSubmission[]> {
  // One row per key: a statement may not upsert the same row twice, and a repeat within the batch is a retry.
  const firsts = new Map<string, NewSubmission>();
  for (const s of batch) if (!firsts.has(keyOf(s))) firsts.set(keyOf(s), s);
  const unique = [...firsts.values()];
  // One statement on its own (it is atomic): an explicit transaction would add a BEGIN and a COMMIT round trip to
  // every acceptance round, for the rare follow-up read that needs none (it reads committed rows either way).
  const written = await rawQuery<SubmissionRow>(db, INSERT_SUBMISSIONS, [
    unique.map((s) => s.id),
    unique.map((s) => s.programId),
    unique.map((s) => s.kind),
    unique.map((s) => s.idempotencyKey),
    unique.map((s) => s.receivedAt.toISOString()),
    JSON.stringify(unique.map((s) => ({ input: s.input, actor: s.actor }))),
  ]);
  const writtenKeys = new Set(written.map(keyOfRow));
  const others = unique.filter((s) => !writtenKeys.has(keyOf(s)));
  // A key found neither written nor here (recorded and deleted meanwhile) fails the batch, and the group commit
  // stores each submission alone: then it is written afresh.
  const found =
    others.length === 0
      ? []
      : await rawQuery<SubmissionRow & { input?: unknown }>(db, FIND_SUBMISSIONS, [
          others.map((s) => s.programId),
          others.map((s) => s.kind),
          others.map((s) => s.idempotencyKey),
        ]);
  const writtenById = new Map(written.map((r) => [r.id, r]));
  const byKey = new Map<string, SubmissionRow & { input?: unknown }>(
    [...written, ...found].map((r) => [keyOfRow(r), r]),
  );
  return batch.map((s) => {
    const row = byKey.get(keyOf(s));
    if (!row) throw new Error(`submission ${s.idempotencyKey} was neither stored nor found`);
    const first = firsts.get(keyOf(s))!;
    // Written now and by this very submission (not a repeat of it later in the batch).
    if (writtenById.has(row.id) && first === s) return { replayed: false, submission: toSubmission(row) };
    const { input: stored, ...submission } = row;
    return {
      replayed: true,
      submission: toSubmission(submission),
      firstInput: writtenById.has(row.id) ? first.input : stored,
    };
  });
}
