import type { RawQuery, Statement } from "../../db/raw-transaction.js";
import { type CouponBinding, DAY_MS, type Touchpoint } from "../attribution/attribution.types.js";
import type { ConversionRequest } from "./record-conversion.js";

/**
 * How many of a customer's earlier touches a conversion reads back, from each end of its window: the earliest
 * and the latest are the ones the models weigh most (first and last click, the 40 % ends of position-based),
 * and the decision a conversion stores stays small whatever the customer's history.
 */
export const STORED_TOUCHES_PER_END = 25;

/**
 * One statement for a round of conversions of distinct customers: stores the touches each customer presented,
 * reads back the touches the customers presented before that fall in each conversion's window (at most
 * STORED_TOUCHES_PER_END from each end of it), finds the coupon codes used, finds which of all the partners
 * involved (touches, coupons, lifetime bindings) may earn in the conversion's program now, and reads their names
 * (the answer's summary names them; every partner a decision can mention is one of them).
 *
 * The customers are found by their external ids, not by the ids the customers' upsert returns: so this statement
 * can be sent right behind the upsert, without waiting for its answer (one round trip for both instead of two).
 * It runs after the upsert all the same, on a snapshot of its own, so it sees the customers the upsert created or
 * locked, and everything another transaction committed while the upsert waited for a customer it was writing:
 * that transaction's touches of the customer count here, as they would in a later statement.
 */
export const ROUND_CONTEXT: Statement = {
  name: "tributary_conversions_round_context_1",
  text: `
    with customer as (
      select k.program_id, k.external_id, k.since, k.until, c.id, c.bound_partner_id
      from unnest($7::text[], $8::text[], $9::timestamptz[], $10::timestamptz[])
        as k(program_id, external_id, since, until)
      -- One primary-key lookup each (customers_program_external_key), whatever the plan: the limit keeps the
      -- planner from joining all customers.
      cross join lateral (
        select c.id, c.bound_partner_id from customers c
        where c.program_id = k.program_id and c.external_id = k.external_id
        limit 1
      ) c
    ),
    remembered as (
      insert into customer_touchpoints (customer_id, click_id, program_id, partner_id, link_id, clicked_at)
      select c.id, t.click_id, t.program_id, t.partner_id, t.link_id, t.clicked_at
      from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::timestamptz[])
        as t(external_id, click_id, program_id, partner_id, link_id, clicked_at)
      join customer c on c.program_id = t.program_id and c.external_id = t.external_id
      on conflict do nothing
    ),
    stored as (
      -- Two index range reads per customer (customer_touchpoints_customer_clicked_idx): the window's earliest and
      -- latest touches. A touch outside the window could not take part; one of another program neither. The
      -- touches stored above are not among them (one snapshot for the whole statement): the caller has those.
      select t.customer_id, t.click_id, t.program_id, t.partner_id, t.link_id, t.clicked_at
      from customer k
      cross join lateral (
        (select * from customer_touchpoints t
          where t.customer_id = k.id and t.clicked_at between k.since and k.until
            and t.program_id = k.program_id
          order by t.clicked_at limit ${STORED_TOUCHES_PER_END})
        union
        (select * from customer_touchpoints t
          where t.customer_id = k.id and t.clicked_at between k.since and k.until
            and t.program_id = k.program_id
          order by t.clicked_at desc limit ${STORED_TOUCHES_PER_END})
      ) t
    ),
    coupon as (
      select c.program_id, lower(c.code) as lowered, c.code, c.partner_id, c.enrollment_id
      from coupon_codes c
      join unnest($13::text[], $14::text[]) as w(program_id, lowered)
        on c.program_id = w.program_id and lower(c.code) = w.lowered
      where c.disabled_at is null
    ),
    wanted as (
      select program_id, partner_id from stored
      union
      select * from unnest($11::text[], $12::text[])
      union
      select program_id, bound_partner_id from customer where bound_partner_id is not null
      union
      select program_id, partner_id from coupon
    )
    select 'touch' as row_kind, customer_id, click_id, program_id, partner_id, link_id,
      (extract(epoch from clicked_at) * 1000)::float8 as clicked_at_ms, null::text as enrollment_id,
      null::text as partner_name, null::text as coupon_code, null::text as coupon_lowered
    from stored
    union all
    select 'coupon', null, null, program_id, partner_id, null, null, enrollment_id, null, code, lowered
    from coupon
    union all
    -- One index lookup per partner for an enrollment that may earn (the limit keeps this from becoming a scan of all
    -- enrollments), and one primary-key lookup for its name (the limit keeps the planner from hashing all partners).
    select 'partner', null, null, w.program_id, w.partner_id, null, null, e.id, p.name, null, null
    from wanted w
    left join lateral (
      select e.id from enrollments e
      where e.program_id = w.program_id and e.partner_id = w.partner_id and e.status in ('approved', 'active')
      limit 1
    ) e on true
    left join lateral (select p.name from partners p where p.id = w.partner_id limit 1) p on true`,
};

/** A conversion of the round, with the touches it presented itself (its verified click ids). */
export interface RoundConversion {
  request: ConversionRequest;
  presented: { accepted: Touchpoint[] };
}

/** What a round's conversions are decided on, besides what they carry themselves. */
export interface RoundContext {
  /** programId → partnerId → enrollmentId of the partners involved that may earn in that program now. */
  eligible: Map<string, Map<string, string>>;
  /** The names of all the partners involved. */
  names: Map<string, string>;
  /** The enabled coupon codes used, by couponKey. */
  coupons: Map<string, CouponBinding>;
  /** customer id → the touches it presented before, in the window of its conversion in this round. */
  storedTouches: Map<string, Touchpoint[]>;
}

/** How a conversion's coupon code is looked up in RoundContext.coupons: codes are case-insensitive. */
export const couponKey = (request: ConversionRequest) =>
  `${request.program.id}\u0000${request.couponCode!.toLowerCase()}`;

interface Row {
  row_kind: "touch" | "coupon" | "partner";
  customer_id: string | null;
  click_id: string | null;
  program_id: string;
  partner_id: string;
  link_id: string | null;
  clicked_at_ms: number | null;
  enrollment_id: string | null;
  partner_name: string | null;
  coupon_code: string | null;
  coupon_lowered: string | null;
}

/**
 * Sends ROUND_CONTEXT at once (see RawQuery: it travels with whatever was sent just before, such as the customers'
 * upsert, which it must follow) and reads its answer.
 */
export async function readRoundContext(query: RawQuery, round: readonly RoundConversion[]): Promise<RoundContext> {
  const context: RoundContext = { eligible: new Map(), names: new Map(), coupons: new Map(), storedTouches: new Map() };
  const withCustomer = round.filter((c) => c.request.customerExternalId);
  // A touch of another program is kept in this conversion's explanation only: it can never count for the customer.
  const presented = withCustomer.flatMap(({ request, presented }) =>
    presented.accepted.filter((t) => t.programId === request.program.id).map((t) => ({ request, t })),
  );
  const withCoupon = round.filter((c) => c.request.couponCode);
  const wanted = round.flatMap(({ request, presented }) =>
    presented.accepted.map((t) => [request.program.id, t.partnerId] as const),
  );
  if (withCustomer.length === 0 && withCoupon.length === 0 && wanted.length === 0) return context;
  const rows = await query<Row>(ROUND_CONTEXT, [
    presented.map((r) => r.request.customerExternalId),
    presented.map((r) => r.t.clickId),
    presented.map((r) => r.t.programId),
    presented.map((r) => r.t.partnerId),
    presented.map((r) => r.t.linkId ?? null),
    presented.map((r) => r.t.at.toISOString()),
    withCustomer.map((c) => c.request.program.id),
    withCustomer.map((c) => c.request.customerExternalId),
    withCustomer.map((c) =>
      new Date(c.request.occurredAt.getTime() - c.request.program.cookieWindowDays * DAY_MS).toISOString(),
    ),
    withCustomer.map((c) => c.request.occurredAt.toISOString()),
    wanted.map((w) => w[0]),
    wanted.map((w) => w[1]),
    withCoupon.map((c) => c.request.program.id),
    withCoupon.map((c) => c.request.couponCode!.toLowerCase()),
  ]);
  for (const r of rows) {
    if (r.row_kind === "partner") {
      if (r.partner_name !== null) context.names.set(r.partner_id, r.partner_name);
      if (r.enrollment_id === null) continue;
      const inProgram = context.eligible.get(r.program_id) ?? new Map<string, string>();
      context.eligible.set(r.program_id, inProgram.set(r.partner_id, r.enrollment_id));
    } else if (r.row_kind === "coupon") {
      context.coupons.set(`${r.program_id}\u0000${r.coupon_lowered}`, {
        code: r.coupon_code!,
        partnerId: r.partner_id,
        enrollmentId: r.enrollment_id!,
      });
    } else {
      const touches = context.storedTouches.get(r.customer_id!) ?? [];
      context.storedTouches.set(r.customer_id!, touches);
      touches.push({
        clickId: r.click_id!,
        programId: r.program_id,
        partnerId: r.partner_id,
        linkId: r.link_id ?? undefined,
        at: new Date(r.clicked_at_ms!),
        source: "stored",
      });
    }
  }
  return context;
}
