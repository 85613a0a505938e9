import type { Db } from "../../db/client.js";
import { type RawQuery, rawTransaction, type Statement } from "../../db/raw-transaction.js";
import type { ConversionKind, conversionCredits, conversions, programs } from "../../db/schema/index.js";
import { sha256 } from "../../lib/crypto.js";
import { newId } from "../../lib/ids.js";
import { allocate } from "../../lib/money.js";
import { attribute } from "../attribution/attribute.js";
import type { AttributionDecision, CouponBinding, Touchpoint } from "../attribution/attribution.types.js";
import type { Ctx } from "../context.js";
import {
  type ScreeningInput,
  type ScreeningStore,
  type SessionFields,
  screenConversions,
} from "../fraud/screen-conversion.js";
import type { ClickIdKeys } from "../tracking/click-id.js";
import type { ConversionBatcher } from "./conversion-batcher.js";
import { toConversionView } from "./conversion-view.js";
import type { ConversionView } from "./conversions.schemas.js";
import { loadConversionView } from "./load-conversion.js";
import { type RejectedClickId, resolveTouchpoints } from "./resolve-touchpoints.js";
import { couponKey, readRoundContext } from "./round-context.js";
import { assertSameAsFirst } from "./same-as-first.js";

type Program = typeof programs.$inferSelect;
type ConversionRow = typeof conversions.$inferSelect;
type CreditRow = typeof conversionCredits.$inferSelect;

export interface ConversionRequest extends SessionFields {
  /** The conversion's id when it was given one before (an intake submission's id); else a new one. */
  id?: string | undefined;
  program: Program;
  kind: Exclude<ConversionKind, "refund">;
  idempotencyKey: string;
  customerExternalId?: string | undefined;
  email?: string | undefined;
  clickId?: string | undefined;
  touchpoints?: string[] | undefined;
  couponCode?: string | undefined;
  eventName?: string | undefined;
  amountMinor?: bigint | undefined;
  currency?: string | undefined;
  products?: { id: string; quantity?: number | undefined; amount?: number | undefined }[] | undefined;
  recurring?: boolean | undefined;
  country?: string | undefined;
  occurredAt: Date;
  /** When the request arrived: the conversion's received time and the new customer's creation time. */
  receivedAt: Date;
  /** Who sent it, and the clock its fraud decisions are stamped with. */
  caller: Pick<Ctx, "clock" | "actor">;
}

export interface RecordedConversion {
  /** True when the idempotency key was recorded before: `conversion` is that first result. */
  replayed: boolean;
  conversion: ConversionView;
}

/** What is stored as a conversion's decision: the engine's answer plus what the engine never saw. */
export type StoredDecision = AttributionDecision & { rejectedClickIds: RejectedClickId[] };

/**
 * Records a lead or a sale exactly once and decides who gets credit. With a batcher the request joins the
 * conversions arriving at the same moment in one transaction (group commit); either way the answer comes only
 * once its transaction has committed.
 */
export async function recordConversion(
  ctx: Ctx,
  keys: ClickIdKeys,
  request: ConversionRequest,
  batcher?: ConversionBatcher,
): Promise<RecordedConversion> {
  const recorded = batcher ? await batcher.record(request) : (await recordConversions(ctx.db, keys, [request]))[0]!;
  if (recorded.replayed)
    assertSameAsFirst(
      request.kind === "sale" ? "/orderId" : "/eventId",
      request.idempotencyKey,
      request,
      recorded.conversion,
    );
  return recorded;
}

/**
 * Batches up to this size are stored with generic plans (RawTransactionOptions): a generic plan is costed for
 * 100-element arrays, so up to that size a fresh plan knows nothing that would change it, and planning it afresh
 * cost more than the difference. Measured at one sale a request (rounds of about 16): PostgreSQL 108-129 µs a sale
 * with generic plans against 139-144 with fresh ones, 5,086-5,344 against 4,769-4,967 sales/s; batches of 100
 * sales (rounds of several hundred) were the same either way.
 */
const PLAN_ONCE_UP_TO = 100;

class AlreadyRecorded extends Error {
  constructor(readonly keys: ReadonlySet<string>) {
    super("idempotency keys recorded before");
  }
}

const keyOf = (r: ConversionRequest) => `${r.program.id}\u0000${r.kind}\u0000${r.idempotencyKey}`;
const keyOfRow = (r: ConversionRow) => `${r.programId}\u0000${r.kind}\u0000${r.idempotencyKey}`;

/**
 * Records conversions in one transaction with a handful of set-based statements, whatever their number. Each
 * idempotency key is recorded once: a key recorded before (a retry) or by a concurrent transaction that committed
 * first returns that first result and writes nothing — the batch is rolled back and stored again without it — and
 * repeats of one key within the batch collapse onto the first. The results are in the order of `requests`.
 */
export async function recordConversions(
  db: Db,
  keys: ClickIdKeys,
  requests: readonly ConversionRequest[],
  /** Runs last in the transaction that stores the new conversions (not the replays), with what it stored. */
  alsoInTransaction?: (tx: Db, stored: ConversionView[]) => Promise<void>,
): Promise<RecordedConversion[]> {
  const results: RecordedConversion[] = new Array(requests.length);
  const firstOfKey = new Map<string, number>();
  const repeats: [index: number, first: number][] = [];
  let pending: number[] = [];
  requests.forEach((request, i) => {
    const first = firstOfKey.get(keyOf(request));
    if (first === undefined) {
      firstOfKey.set(keyOf(request), i);
      pending.push(i);
    } else repeats.push([i, first]);
  });
  const replays: number[] = [];
  while (pending.length > 0) {
    const batch = pending.map((i) => requests[i]!);
    try {
      // No read before the write: the unique index decides, and a first delivery — the common case — costs nothing extra.
      const views = await rawTransaction(
        db,
        async (query, tx) => {
          const stored = await storeInRounds({ db, query, tx }, keys, batch);
          await alsoInTransaction?.(tx, stored);
          return stored;
        },
        { planOnce: batch.length <= PLAN_ONCE_UP_TO },
      );
      views.forEach((conversion, j) => {
        results[pending[j]!] = { replayed: false, conversion };
      });
      break;
    } catch (error) {
      if (!(error instanceof AlreadyRecorded)) throw error;
      replays.push(...pending.filter((i) => error.keys.has(keyOf(requests[i]!))));
      pending = pending.filter((i) => !error.keys.has(keyOf(requests[i]!)));
    }
  }
  for (const i of replays) {
    const request = requests[i]!;
    const first = await loadConversionView(db, {
      programId: request.program.id,
      kind: request.kind,
      key: request.idempotencyKey,
    });
    if (!first) throw new Error(`conversion ${request.idempotencyKey} conflicted but cannot be read`);
    results[i] = { replayed: true, conversion: first.view };
  }
  for (const [i, first] of repeats) results[i] = { replayed: true, conversion: results[first]!.conversion };
  return results;
}

/**
 * A customer's conversions must see each other (touchpoints, lifetime binding), so a batch is stored in rounds
 * that hold each customer at most once, in arrival order, all in the same transaction.
 */
/** The transaction a batch is stored in: raw statements, the same transaction through Drizzle, the database. */
type Store = ScreeningStore;

async function storeInRounds(store: Store, keys: ClickIdKeys, batch: ConversionRequest[]): Promise<ConversionView[]> {
  const rounds: number[][] = [];
  const roundsOfCustomer = new Map<string, number>();
  batch.forEach((request, i) => {
    const customer = request.customerExternalId ? `${request.program.id}\u0000${request.customerExternalId}` : "";
    const round = customer ? (roundsOfCustomer.get(customer) ?? 0) : 0;
    if (customer) roundsOfCustomer.set(customer, round + 1);
    if (rounds[round]) rounds[round].push(i);
    else rounds[round] = [i];
  });
  const views: ConversionView[] = new Array(batch.length);
  for (const round of rounds) {
    const stored = await storeRound(
      store,
      keys,
      round.map((i) => batch[i]!),
    );
    stored.forEach((view, j) => {
      views[round[j]!] = view;
    });
  }
  return views;
}

interface CustomerRow {
  id: string;
  program_id: string;
  external_id: string;
  bound_partner_id: string | null;
  bound_enrollment_id: string | null;
  /** Epoch milliseconds: raw queries get timestamps as the driver's strings otherwise. */
  bound_at_ms: number | null;
  first_seen_via: "partner" | "direct";
  /** The partner that brought the customer, if a partner did. */
  sourced_by_partner_id: string | null;
  created: boolean;
}

interface CustomerUpdate {
  /** As the upsert returned it: its unique key finds the row; `created` means this conversion's partner brought it. */
  customer: CustomerRow;
  /** Only for the insert the statement's shape requires; the row exists, so it is never used. */
  createdAt: Date;
  bind: { partnerId: string; enrollmentId: string | null; at: Date } | undefined;
  /** Set when this conversion created the customer: the partner that brought it (its top credit). */
  sourcedBy: string | null;
}

interface Prepared {
  request: ConversionRequest;
  presented: ReturnType<typeof resolveTouchpoints>;
  customer?: CustomerRow | undefined;
  touchpoints: Touchpoint[];
  coupon?: CouponBinding | undefined;
}

/** Conversions of distinct customers: three statements (four with coupon codes), whatever their number. */
async function storeRound(
  { query, tx, db }: Store,
  keys: ClickIdKeys,
  round: ConversionRequest[],
): Promise<ConversionView[]> {
  const prepared: Prepared[] = round.map((request) => {
    const presented = resolveTouchpoints(keys, request.clickId, request.touchpoints);
    return { request, presented, touchpoints: presented.accepted };
  });
  // Sent together (RawQuery): the round's context is read right after the upsert, without its answer.
  const upserting = upsertCustomers(query, prepared);
  const reading = readRoundContext(query, prepared);
  await bothSettled(upserting, reading);
  const { eligible, names, coupons, storedTouches } = await reading;
  for (const p of prepared) {
    if (p.request.couponCode) p.coupon = coupons.get(couponKey(p.request));
    const stored = p.customer ? storedTouches.get(p.customer.id) : undefined;
    if (!stored) continue;
    // This conversion's touches first, then the earlier ones in its window that it did not repeat.
    const presentedIds = new Set(p.presented.accepted.map((t) => t.clickId));
    p.touchpoints = [...p.presented.accepted, ...stored.filter((s) => !presentedIds.has(s.clickId))];
  }

  const conversionRows: ConversionRow[] = [];
  const creditRows: CreditRow[] = [];
  const customerUpdates: CustomerUpdate[] = [];
  const views = prepared.map(({ request, presented, customer, touchpoints, coupon }) => {
    const { program } = request;
    const eligibleHere = eligible.get(program.id) ?? new Map<string, string>();
    // The engine checks the coupon's and the binding's partner against the eligible ones, and explains a refusal.
    const bound = customer?.bound_partner_id ? customer : undefined;
    const decision: StoredDecision = {
      ...attribute({
        programId: program.id,
        conversionAt: request.occurredAt,
        windowDays: program.cookieWindowDays,
        model: program.attributionModel,
        timeDecayHalfLifeDays: program.timeDecayHalfLifeDays,
        touchpoints,
        ...(coupon ? { coupon } : request.couponCode ? { unknownCouponCode: request.couponCode } : {}),
        couponPrecedence: program.couponPrecedence,
        ...(bound
          ? {
              boundPartner: {
                partnerId: bound.bound_partner_id!,
                boundAt: new Date(bound.bound_at_ms!),
                enrollmentId: bound.bound_enrollment_id ?? undefined,
              },
            }
          : {}),
        lifetimeBinding: program.lifetimeBinding,
        eligiblePartnerIds: new Set(eligibleHere.keys()),
        conversionKind: request.kind,
      }),
      rejectedClickIds: presented.rejected,
    };
    // Partner-sourced: a credited partner brought the customer (with this conversion, or it is the partner that
    // did); influenced: the customer was already ours, or another partner's. Without a customer id nothing says
    // the customer was known, and a tracked referral counts as brought.
    const partnerSourced = decision.attributed
      ? customer
        ? customer.created ||
          (customer.sourced_by_partner_id === null
            ? // Brought by a partner before sourcing partners were kept (an instance of an earlier version).
              customer.first_seen_via === "partner"
            : decision.credits.some((c) => c.partnerId === customer.sourced_by_partner_id))
        : true
      : null;
    if (customer && decision.attributed) {
      // Lifetime binding: the first attributed lead or sale binds the customer to its top-credited partner.
      const top = decision.credits[0]!;
      const bind =
        program.lifetimeBinding && !customer.bound_partner_id
          ? {
              partnerId: top.partnerId,
              enrollmentId: top.enrollmentId ?? null,
              // Not later than it arrived: a conversion dated ahead (a vendor's clock runs fast) must not leave the
              // customer's next, undated sale before the binding and so nobody's.
              at: request.occurredAt < request.receivedAt ? request.occurredAt : request.receivedAt,
            }
          : undefined;
      const sourcedBy = customer.created ? top.partnerId : null;
      if (bind || sourcedBy) customerUpdates.push({ customer, createdAt: request.receivedAt, bind, sourcedBy });
    }
    const row: ConversionRow = {
      id: request.id ?? newId("conversion", request.receivedAt),
      programId: program.id,
      kind: request.kind,
      idempotencyKey: request.idempotencyKey,
      customerId: customer?.id ?? null,
      eventName: request.eventName ?? null,
      amountMinor: request.amountMinor ?? null,
      currency: request.currency ?? null,
      refundedMinor: 0n,
      saleId: null,
      products:
        request.products?.map((p) => ({
          id: p.id,
          quantity: p.quantity,
          amountMinor: p.amount === undefined ? undefined : String(p.amount),
        })) ?? null,
      recurring: request.recurring ?? null,
      clickId: request.clickId?.slice(0, 200) ?? null,
      couponCode: request.couponCode ?? null,
      country: request.country ?? null,
      attributed: decision.attributed,
      partnerSourced,
      decision,
      occurredAt: request.occurredAt,
      receivedAt: request.receivedAt,
    };
    conversionRows.push(row);
    const amounts =
      decision.attributed && request.amountMinor !== undefined
        ? allocate(
            request.amountMinor,
            decision.credits.map((c) => BigInt(c.weightBps)),
          )
        : undefined;
    const credits: CreditRow[] = decision.attributed
      ? decision.credits.map((c, i) => ({
          conversionId: row.id,
          programId: program.id,
          partnerId: c.partnerId,
          enrollmentId: c.enrollmentId ?? eligibleHere.get(c.partnerId) ?? null,
          weightBps: c.weightBps,
          amountMinor: amounts?.[i] ?? null,
          occurredAt: request.occurredAt,
        }))
      : [];
    creditRows.push(...credits);
    return toConversionView(row, credits, request.customerExternalId ?? null, names);
  });

  const inserting = insertConversions(query, conversionRows, creditRows, customerUpdates);
  // The ingestion-time fraud check of the round's attributed conversions, in the same transaction, sent behind the
  // insert without waiting for its answer (RawQuery): the database runs it after the insert, so it sees the
  // round's conversions all the same, and when the insert finds a key recorded before, the transaction is rolled
  // back whatever the screen did.
  const screened = prepared.flatMap(({ request, customer }, i) => {
    const row = conversionRows[i]!;
    const decision = row.decision as StoredDecision;
    if (!decision.attributed) return [];
    // Field by field: spreading the whole request (program, caller and all) was a visible share of the round's CPU.
    const input: ScreeningInput = {
      programId: row.programId,
      conversionId: row.id,
      kind: request.kind,
      email: request.email,
      amountMinor: request.amountMinor,
      currency: request.currency,
      occurredAt: request.occurredAt,
      customerId: customer?.id ?? null,
      decision,
      ip: request.ip,
      userAgent: request.userAgent,
      deviceId: request.deviceId,
    };
    return [input];
  });
  const caller = round[0]!.caller;
  await bothSettled(
    inserting,
    screenConversions({ query, tx, db }, { clock: caller.clock, actor: caller.actor }, screened),
  );
  return views;
}

/**
 * Waits for two pipelined steps and fails with the first one's error if both failed: a later statement fails
 * because an earlier one did (an aborted transaction, a screen row whose conversion was not inserted).
 */
async function bothSettled(first: Promise<unknown>, second: Promise<unknown>): Promise<void> {
  const [a, b] = await Promise.allSettled([first, second]);
  if (a.status === "rejected") throw a.reason;
  if (b.status === "rejected") throw b.reason;
}

/**
 * Creates or locks each customer in one statement; `created` tells which (xmax is 0 only for a fresh insert).
 * Sorted by key, so two transactions lock shared customers in the same order.
 */
export const UPSERT_CUSTOMERS: Statement = {
  name: "tributary_conversions_upsert_customers_2",
  text: `
    insert into customers (id, program_id, external_id, email_hash, email_domain, first_seen_via, created_at)
    select id, program_id, external_id, email_hash, email_domain, 'direct', created_at
    from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::timestamptz[])
      as u(id, program_id, external_id, email_hash, email_domain, created_at)
    on conflict (program_id, external_id) do update set external_id = excluded.external_id
    returning id, program_id, external_id, bound_partner_id, bound_enrollment_id,
      (extract(epoch from bound_at) * 1000)::float8 as bound_at_ms, first_seen_via, sourced_by_partner_id,
      (xmax = 0) as created`,
};

async function upsertCustomers(query: RawQuery, prepared: Prepared[]) {
  const withCustomer = prepared
    .filter((p) => p.request.customerExternalId)
    .sort((a, b) =>
      a.request.program.id === b.request.program.id
        ? a.request.customerExternalId! < b.request.customerExternalId!
          ? -1
          : 1
        : a.request.program.id < b.request.program.id
          ? -1
          : 1,
    );
  if (withCustomer.length === 0) return;
  const emails = withCustomer.map((p) => p.request.email?.trim().toLowerCase());
  const rows = await query<CustomerRow>(UPSERT_CUSTOMERS, [
    withCustomer.map((p) => newId("customer", p.request.receivedAt)),
    withCustomer.map((p) => p.request.program.id),
    withCustomer.map((p) => p.request.customerExternalId),
    emails.map((e) => (e ? sha256(e) : null)),
    emails.map((e) => (e ? (e.split("@")[1] ?? null) : null)),
    withCustomer.map((p) => p.request.receivedAt.toISOString()),
  ]);
  const byKey = new Map(rows.map((r) => [`${r.program_id}\u0000${r.external_id}`, r]));
  for (const p of withCustomer) {
    p.customer = byKey.get(`${p.request.program.id}\u0000${p.request.customerExternalId}`);
    if (!p.customer) throw new Error("customer upsert returned no row");
  }
}

/**
 * One statement: the conversions, their credits (queued for the commission engine) and the customers' binding
 * and first-seen updates. A conversion whose key exists already is skipped by the unique index; the caller
 * learns which and the whole transaction is rolled back, so a replayed key writes nothing. The decisions travel
 * as one JSON array: no per-element escaping for the driver to do.
 */
export const INSERT_CONVERSIONS: Statement = {
  name: "tributary_conversions_insert_4",
  text: `
    with inserted as (
      insert into conversions (id, program_id, kind, idempotency_key, customer_id, event_name, amount_minor, currency,
        products, recurring, click_id, coupon_code, country, attributed, partner_sourced, decision, occurred_at,
        received_at)
      select u.id, u.program_id, u.kind, u.idempotency_key, u.customer_id, u.event_name, u.amount_minor, u.currency,
        u.products::jsonb, u.recurring, u.click_id, u.coupon_code, u.country, u.attributed, u.partner_sourced,
        d.decision, u.occurred_at, u.received_at
      from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::bigint[], $8::text[],
        $9::text[], $10::boolean[], $11::text[], $12::text[], $13::text[], $14::boolean[], $15::boolean[],
        $16::timestamptz[], $17::timestamptz[])
        with ordinality as u(id, program_id, kind, idempotency_key, customer_id, event_name, amount_minor, currency,
        products, recurring, click_id, coupon_code, country, attributed, partner_sourced, occurred_at, received_at, n)
      join jsonb_array_elements($18::jsonb) with ordinality as d(decision, n) on d.n = u.n
      on conflict do nothing
      returning id
    ),
    credited as (
      insert into conversion_credits (conversion_id, program_id, partner_id, enrollment_id, weight_bps, amount_minor,
        occurred_at)
      select u.conversion_id, u.program_id, u.partner_id, u.enrollment_id, u.weight_bps, u.amount_minor, u.occurred_at
      from unnest($19::text[], $20::text[], $21::text[], $22::text[], $23::integer[], $24::bigint[],
        $25::timestamptz[])
        as u(conversion_id, program_id, partner_id, enrollment_id, weight_bps, amount_minor, occurred_at)
      where u.conversion_id in (select id from inserted)
    ),
    queued as (
      -- The commission engine picks queued credits up on its own.
      insert into commission_queue (conversion_id, partner_id, program_id)
      select u.conversion_id, u.partner_id, u.program_id
      from unnest($19::text[], $20::text[], $21::text[]) as u(conversion_id, program_id, partner_id)
      where u.conversion_id in (select id from inserted)
    ),
    customers_updated as (
      -- An update spelled as an upsert on the customers' unique key, which the upsert above created or locked:
      -- the arbiter index finds each row whatever the plan. A join would be planned once, on whatever the table
      -- held then, and a plan made on a near-empty table scans all of it on every batch until the next ANALYZE.
      insert into customers as c (id, program_id, external_id, first_seen_via, sourced_by_partner_id, bound_partner_id,
        bound_enrollment_id, bound_at, created_at)
      select u.id, u.program_id, u.external_id, case when u.sourced_by is not null then 'partner' else 'direct' end,
        u.sourced_by, u.bound_partner_id, u.bound_enrollment_id, u.bound_at, u.created_at
      from unnest($26::text[], $27::text[], $28::text[], $29::text[], $30::text[], $31::text[], $32::timestamptz[],
        $33::timestamptz[])
        as u(id, program_id, external_id, sourced_by, bound_partner_id, bound_enrollment_id, bound_at, created_at)
      on conflict (program_id, external_id) do update
      set first_seen_via = case when excluded.first_seen_via = 'partner' then 'partner' else c.first_seen_via end,
        sourced_by_partner_id = coalesce(c.sourced_by_partner_id, excluded.sourced_by_partner_id),
        bound_partner_id = coalesce(excluded.bound_partner_id, c.bound_partner_id),
        bound_enrollment_id = case when excluded.bound_partner_id is null then c.bound_enrollment_id
          else excluded.bound_enrollment_id end,
        bound_at = coalesce(excluded.bound_at, c.bound_at)
    )
    select id from inserted`,
};

async function insertConversions(
  query: RawQuery,
  rows: ConversionRow[],
  credits: CreditRow[],
  customerUpdates: CustomerUpdate[],
) {
  const inserted = await query<{ id: string }>(INSERT_CONVERSIONS, [
    rows.map((r) => r.id),
    rows.map((r) => r.programId),
    rows.map((r) => r.kind),
    rows.map((r) => r.idempotencyKey),
    rows.map((r) => r.customerId),
    rows.map((r) => r.eventName),
    rows.map((r) => r.amountMinor?.toString() ?? null),
    rows.map((r) => r.currency),
    rows.map((r) => (r.products ? JSON.stringify(r.products) : null)),
    rows.map((r) => r.recurring),
    rows.map((r) => r.clickId),
    rows.map((r) => r.couponCode),
    rows.map((r) => r.country),
    rows.map((r) => r.attributed),
    rows.map((r) => r.partnerSourced),
    rows.map((r) => r.occurredAt.toISOString()),
    rows.map((r) => r.receivedAt.toISOString()),
    JSON.stringify(rows.map((r) => r.decision)),
    credits.map((c) => c.conversionId),
    credits.map((c) => c.programId),
    credits.map((c) => c.partnerId),
    credits.map((c) => c.enrollmentId),
    credits.map((c) => c.weightBps),
    credits.map((c) => c.amountMinor?.toString() ?? null),
    credits.map((c) => c.occurredAt.toISOString()),
    customerUpdates.map((u) => u.customer.id),
    customerUpdates.map((u) => u.customer.program_id),
    customerUpdates.map((u) => u.customer.external_id),
    customerUpdates.map((u) => u.sourcedBy),
    customerUpdates.map((u) => u.bind?.partnerId ?? null),
    customerUpdates.map((u) => u.bind?.enrollmentId ?? null),
    customerUpdates.map((u) => u.bind?.at.toISOString() ?? null),
    customerUpdates.map((u) => u.createdAt.toISOString()),
  ]);
  if (inserted.length === rows.length) return;
  const done = new Set(inserted.map((r) => r.id));
  throw new AlreadyRecorded(new Set(rows.filter((r) => !done.has(r.id)).map(keyOfRow)));
}
