import { AppError, fieldError } from "../../lib/errors.js";
import type { Ctx } from "../context.js";
import type { ClickIdKeys } from "../tracking/click-id.js";
import type { ConversionBatcher } from "./conversion-batcher.js";
import type { TrackLeadInput, TrackRefundInput, TrackSaleInput } from "./conversions.schemas.js";
import { findProgramRef, type ProgramCache } from "./find-program-ref.js";
import type { RecordedConversion } from "./record-conversion.js";
import { trackLead } from "./track-lead.js";
import { trackRefund } from "./track-refund.js";
import { trackSale } from "./track-sale.js";

/** Events in one batch at most: a thousand sales are about 250 KB of JSON, the default body limit. */
export const TRACK_BATCH_MAX_EVENTS = 1000;

export interface TrackBatchInput {
  leads?: TrackLeadInput[] | undefined;
  sales?: TrackSaleInput[] | undefined;
  refunds?: TrackRefundInput[] | undefined;
}

/** What one event of a batch came to: recorded (or found recorded before), or refused as it would be alone. */
export type BatchOutcome = { recorded: RecordedConversion } | { refused: AppError };

export interface TrackBatchResult {
  leads: BatchOutcome[];
  sales: BatchOutcome[];
  refunds: BatchOutcome[];
}

/** The refusal of one event, its fields pointing into the batch (`/sales/3/currency`). */
export const refusedAt = (path: string, error: AppError): { refused: AppError } => {
  const at = (field: string) => `${path}${field === "/" ? "" : field}`;
  const fields = error.fields ?? [{ field: "", message: error.message }];
  // A detail that starts with its one field's pointer ("/occurredAt is in the future") gets the batch's pointer too.
  const only = fields.length === 1 ? fields[0]!.field : undefined;
  const detail =
    only && error.message.startsWith(`${only} `) ? `${at(only)}${error.message.slice(only.length)}` : error.message;
  return {
    refused: new AppError(error.code, detail, {
      fields: fields.map((f) => ({ field: at(f.field), message: f.message })),
      ...(error.extra ? { extra: error.extra } : {}),
    }),
  };
};

/** A batch holds one event at least and TRACK_BATCH_MAX_EVENTS at most (the schema cannot count across kinds). */
export function assertBatchSize(input: TrackBatchInput): void {
  const total = (input.leads?.length ?? 0) + (input.sales?.length ?? 0) + (input.refunds?.length ?? 0);
  if (total === 0) throw fieldError("/", "send at least one lead, sale or refund");
  if (total > TRACK_BATCH_MAX_EVENTS)
    throw fieldError("/", `at most ${TRACK_BATCH_MAX_EVENTS} events in one batch; this one has ${total}`);
}

/**
 * Settles each event on its own: a refusal (bad currency, unknown program, a key reused for another event) is that
 * event's outcome; anything else (the database gone) fails the whole batch, whose retry is safe — events stored
 * meanwhile answer as retries.
 */
async function settle<T>(
  pathOf: (i: number) => string,
  events: T[],
  record: (event: T) => Promise<RecordedConversion>,
) {
  const settled = await Promise.allSettled(events.map(record));
  const unexpected = settled.find((s) => s.status === "rejected" && !(s.reason instanceof AppError));
  if (unexpected) throw (unexpected as PromiseRejectedResult).reason;
  return settled.map(
    (s, i): BatchOutcome =>
      s.status === "fulfilled" ? { recorded: s.value } : refusedAt(pathOf(i), s.reason as AppError),
  );
}

/**
 * Many leads, sales and refunds in one request: for a billing system's sync, a backfill, a reseller's monthly report.
 * Each event is recorded exactly as its own request would record it — same validation, same idempotency keys, same
 * attribution — and gets its own outcome. Leads go first, then sales, then refunds, each group through the
 * conversion batcher at once, so a batch's sales are stored together in a few large transactions (set-based
 * statements cost far less per sale in rounds of hundreds than of ten). Leads are stored before sales so that a
 * customer's signup and purchase in one batch are attributed in that order; refunds last, one by one, since each
 * locks its sale.
 */
export async function trackBatch(
  ctx: Ctx,
  keys: ClickIdKeys,
  input: TrackBatchInput,
  programs: ProgramCache,
  batcher?: ConversionBatcher,
): Promise<TrackBatchResult> {
  const leads = input.leads ?? [];
  const sales = input.sales ?? [];
  const refunds = input.refunds ?? [];
  assertBatchSize(input);
  // Every program named is read (or found cached) first, so each event then joins the batcher in the order it was
  // sent: a customer's two sales in one batch are stored in that order.
  const refused = new Map<string, AppError>();
  for (const ref of new Set([...leads, ...sales, ...refunds].map((e) => e.programId))) {
    try {
      await findProgramRef(ctx.db, ref, programs);
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      refused.set(ref, error);
    }
  }
  const unlessRefused =
    <T extends { programId: string }>(record: (event: T) => Promise<RecordedConversion>) =>
    (event: T) => {
      const error = refused.get(event.programId);
      return error ? Promise.reject(error) : record(event);
    };
  return {
    leads: await settle(
      (i) => `/leads/${i}`,
      leads,
      unlessRefused((lead) => trackLead(ctx, keys, lead, programs, batcher)),
    ),
    sales: await settle(
      (i) => `/sales/${i}`,
      sales,
      unlessRefused((sale) => trackSale(ctx, keys, sale, programs, batcher)),
    ),
    refunds: await settleInTurn(
      refunds,
      unlessRefused((refund) => trackRefund(ctx, refund, programs)),
    ),
  };
}

/** Refunds one after another: two refunds of one sale lock it in turn anyway, and each must see the one before. */
async function settleInTurn(
  refunds: TrackRefundInput[],
  record: (refund: TrackRefundInput) => Promise<RecordedConversion>,
): Promise<BatchOutcome[]> {
  const outcomes: BatchOutcome[] = [];
  for (const [i, refund] of refunds.entries()) {
    const [outcome] = await settle(() => `/refunds/${i}`, [refund], record);
    outcomes.push(outcome!);
  }
  return outcomes;
}
