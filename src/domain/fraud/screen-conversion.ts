import { isIP } from "node:net";
import { sql } from "drizzle-orm";
import { type Db, selectRows } from "../../db/client.js";
import type { RawQuery, Statement } from "../../db/raw-transaction.js";
import type { PartnerContact } from "../../db/schema/index.js";
import { fieldError } from "../../lib/errors.js";
import type { ConsideredTouch, PartnerCredit } from "../attribution/attribution.types.js";
import type { Ctx } from "../context.js";
import { describeDevice } from "../tracking/visitor.js";
import { TtlCache } from "../ttl-cache.js";
import { emailDomain } from "./email-domains.js";
import { evaluateIngestionRules } from "./evaluate-rules.js";
import { fingerprintKey, hashDevice, hashEmail, hashIp } from "./fingerprint.js";
import { effectiveRules, type RuleSet, type StoredRuleSetting } from "./fraud-rules.js";
import { type NewDecision, recordDecisions } from "./record-decisions.js";

let screening = true;
/** For the fraud simulation only: ingestion with and without the rules, measured in one process (bench/fraud-sim.ts). */
export const setFraudScreening = (on: boolean) => {
  screening = on;
};

/** The converting session, as the lead/sale API receives it. */
export interface SessionFields {
  ip?: string | undefined;
  userAgent?: string | undefined;
  deviceId?: string | undefined;
}

/**
 * Rule settings are read on every conversion, so each process keeps them for a few seconds; a change made here
 * applies at once (forgetRules), on other instances within RULES_TTL_MS.
 */
const RULES_TTL_MS = 5_000;
const ruleCache = new TtlCache<{ programId: string; rules: RuleSet }>(RULES_TTL_MS);
export const forgetRules = (programId: string) => ruleCache.deleteWhere((v) => v.programId === programId);

async function rulesFor(tx: Db, programId: string): Promise<RuleSet> {
  const cached = ruleCache.get(programId);
  if (cached) return cached.rules;
  const rules = effectiveRules(
    await selectRows<StoredRuleSetting>(
      tx,
      sql`select rule, enabled, action, thresholds from fraud_rule_settings where program_id = ${programId}`,
    ),
  );
  ruleCache.set(programId, { programId, rules });
  return rules;
}

/** Refuses a malformed session IP before anything is written (the API validates lengths; this the address). */
export function checkSessionFields(input: SessionFields): void {
  if (input.ip !== undefined && isIP(input.ip.trim()) === 0) {
    throw fieldError("/ip", "must be an IPv4 or IPv6 address (the converting visitor's, not your server's)");
  }
}

export interface ScreeningInput extends SessionFields {
  programId: string;
  conversionId: string;
  kind: "lead" | "sale";
  email?: string | undefined;
  amountMinor?: bigint | undefined;
  currency?: string | undefined;
  occurredAt: Date;
  customerId: string | null;
  decision: { credits: PartnerCredit[]; considered: ConsideredTouch[] };
}

interface Answer {
  people: {
    users: { partnerId: string; email: string }[];
    partners: { partnerId: string; website: string | null; contacts: PartnerContact[] }[];
  } | null;
  identifiers: { partnerId: string; kind: "ip" | "device" | "payout_email" }[];
  ip_count: number;
  device_count: number;
  duplicate_partners: string[];
  duplicate_orders: string[];
}

/**
 * One statement for a whole round of conversions: it stores what the rules need to remember (the screen rows)
 * and reads, per conversion, everything they need to decide (the partners' people, velocity counts, duplicates),
 * each part an index lookup that runs only when the conversion can be judged on it. Its text never changes, so
 * PostgreSQL prepares it once per connection. Counts see the conversions screened before this statement; those
 * of the same round are counted in the process (see inRoundCount).
 */
export const SCREEN_ROUND: Statement = {
  name: "tributary_fraud_screen_round_3",
  text: `
    with input as (
      select * from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::timestamptz[], $6::text[], $7::text[],
        $8::text[], $9::text[], $10::text[], $11::text[], $12::timestamptz[], $13::int[], $14::text[], $15::text[],
        $16::bool[], $17::int[], $18::bool[], $19::bool[], $20::bool[], $21::text[], $22::bigint[], $23::text[],
        $24::int[], $25::text[]) with ordinality
        as u(conversion_id, program_id, partner_id, kind, occurred_at, ip_hash, device_hash, device_type, browser, os,
          click_id, clicked_at, ctit_seconds, partner_ids, email_hash, with_people, velocity_minutes, program_scope,
          by_ip, by_device, customer_id, amount_minor, currency, duplicate_minutes, device_click_ids, n)
    ), screen as (
      insert into conversion_screens (conversion_id, program_id, partner_id, kind, occurred_at, ip_hash, device_hash,
        device_type, browser, os, click_id, clicked_at, ctit_seconds)
      select conversion_id, program_id, partner_id, kind, occurred_at, ip_hash, device_hash, device_type, browser, os,
        click_id, clicked_at, ctit_seconds
      from input
    )
    select
      case when i.ip_hash is not null or i.email_hash is not null then
        (select coalesce(jsonb_agg(jsonb_build_object('partnerId', p.partner_id, 'kind', p.kind)), '[]')
         from partner_identifiers p where p.partner_id = any(string_to_array(i.partner_ids, ','))
           and ((p.kind = 'ip' and p.value_hash = i.ip_hash) or (p.kind = 'payout_email' and p.value_hash = i.email_hash)))
      else '[]'::jsonb end
      || case when i.device_click_ids is not null then
        (select coalesce(jsonb_agg(jsonb_build_object('partnerId', p.partner_id, 'kind', p.kind)), '[]')
         from unnest(string_to_array(i.device_click_ids, ',')) as k(id)
         -- One primary-key lookup per click whatever the plan: "offset 0" keeps the planner from joining all clicks.
         cross join lateral (select c.partner_id, c.device_hash from clicks c where c.id = k.id offset 0) c
         join partner_identifiers p
           on p.partner_id = c.partner_id and p.kind = 'device' and p.value_hash = c.device_hash)
      else '[]'::jsonb end as identifiers,
      case when i.with_people then jsonb_build_object(
        'users', (select coalesce(jsonb_agg(jsonb_build_object('partnerId', pu.partner_id, 'email', lower(pu.email))), '[]')
                  from partner_users pu where pu.partner_id = any(string_to_array(i.partner_ids, ','))),
        'partners', (select coalesce(jsonb_agg(jsonb_build_object('partnerId', pa.id, 'website', pa.website, 'contacts', pa.contacts)), '[]')
                     from partners pa where pa.id = any(string_to_array(i.partner_ids, ','))))
      end as people,
      case when i.by_ip and i.ip_hash is not null then
        (select count(*)::int from conversion_screens s where s.program_id = i.program_id and s.ip_hash = i.ip_hash
           and s.occurred_at > i.occurred_at - make_interval(mins => i.velocity_minutes) and s.occurred_at <= i.occurred_at
           and (i.program_scope or s.partner_id = i.partner_id))
      else 0 end as ip_count,
      case when i.by_device and i.device_hash is not null then
        (select count(*)::int from conversion_screens s where s.program_id = i.program_id and s.device_hash = i.device_hash
           and s.occurred_at > i.occurred_at - make_interval(mins => i.velocity_minutes) and s.occurred_at <= i.occurred_at
           and (i.program_scope or s.partner_id = i.partner_id))
      else 0 end as device_count,
      case when i.email_hash is not null and i.customer_id is not null then
        (select coalesce(jsonb_agg(distinct cc.partner_id), '[]')
         from customers c join conversions o on o.customer_id = c.id join conversion_credits cc on cc.conversion_id = o.id
         where c.program_id = i.program_id and c.email_hash = i.email_hash and c.id <> i.customer_id
           and cc.partner_id <> all(string_to_array(i.partner_ids, ',')))
      else '[]'::jsonb end as duplicate_partners,
      case when i.kind = 'sale' and i.customer_id is not null and i.amount_minor is not null then
        (select coalesce(jsonb_agg(d.id), '[]') from (
           select o.id from conversions o
           where o.customer_id = i.customer_id and o.kind = 'sale' and o.id <> i.conversion_id
             and o.amount_minor = i.amount_minor and o.currency = i.currency
             and o.occurred_at between i.occurred_at - make_interval(mins => i.duplicate_minutes)
                                   and i.occurred_at + make_interval(mins => i.duplicate_minutes)
           limit 5) d)
      else '[]'::jsonb end as duplicate_orders
    from input i
    order by i.n`,
};

/** What a conversion is screened on, worked out in the process before the round's statement. */
interface Screened {
  input: ScreeningInput;
  rules: RuleSet;
  email: string | undefined;
  domain: string | undefined;
  emailHash: string | undefined;
  ipHash: string | undefined;
  deviceHash: string | undefined;
  device: ReturnType<typeof describeDevice> | undefined;
  partnerIds: string[];
  clicks: ReturnType<typeof latestClicks>;
  /** The top-credited partner's latest click: what the screen row keeps. */
  topClick: ReturnType<typeof latestClicks>[number] | undefined;
}

/** The statement's transaction: raw statements for the round, Drizzle for settings and decisions, the root. */
export interface ScreeningStore {
  query: RawQuery;
  tx: Db;
  db: Db;
}

/**
 * The ingestion-time fraud check of a round of attributed leads and sales, inside their transaction; findings
 * are then stored with their evidence and open review cases, which the commission engine reads (fraudHoldsFor)
 * when it creates entries. The verdicts are those of screening the conversions one by one, in order.
 */
export async function screenConversions(
  store: ScreeningStore,
  ctx: Pick<Ctx, "clock" | "actor">,
  inputs: ScreeningInput[],
): Promise<void> {
  if (!screening || inputs.length === 0) return;
  const key = await fingerprintKey(store.tx, store.db);
  const screened: Screened[] = [];
  for (const input of inputs) {
    const email = input.email?.trim().toLowerCase() || undefined;
    const partnerIds = input.decision.credits.map((c) => c.partnerId);
    const clicks = latestClicks(input.decision, input.occurredAt);
    screened.push({
      input,
      rules: await rulesFor(store.tx, input.programId),
      email,
      domain: email ? emailDomain(email) : undefined,
      emailHash: email ? hashEmail(email) : undefined,
      ipHash: input.ip ? hashIp(key, input.ip) : undefined,
      deviceHash: input.deviceId?.trim() ? hashDevice(key, input.deviceId) : undefined,
      device: input.userAgent?.trim() ? describeDevice(input.userAgent) : undefined,
      partnerIds,
      clicks,
      topClick: clicks.find((c) => c.partnerId === partnerIds[0]),
    });
  }
  const column = <T>(pick: (s: Screened) => T) => screened.map(pick);
  const answers = await store.query<Answer>(SCREEN_ROUND, [
    column((s) => s.input.conversionId),
    column((s) => s.input.programId),
    column((s) => s.partnerIds[0]),
    column((s) => s.input.kind),
    column((s) => s.input.occurredAt.toISOString()),
    column((s) => s.ipHash ?? null),
    column((s) => s.deviceHash ?? null),
    column((s) => s.device?.deviceType ?? null),
    column((s) => s.device?.browser ?? null),
    column((s) => s.device?.os ?? null),
    column((s) => s.topClick?.clickId ?? null),
    column((s) => s.topClick?.at.toISOString() ?? null),
    column((s) => s.topClick?.seconds ?? null),
    column((s) => s.partnerIds.join(",")),
    column((s) => s.emailHash ?? null),
    column((s) => s.email !== undefined),
    column((s) => s.rules.velocity.thresholds.windowMinutes),
    column((s) => s.rules.velocity.thresholds.scope === "program"),
    column((s) => s.rules.velocity.thresholds.byIp),
    column((s) => s.rules.velocity.thresholds.byDevice),
    column((s) => s.input.customerId),
    column((s) =>
      s.input.kind === "sale" && s.input.amountMinor !== undefined ? s.input.amountMinor.toString() : null,
    ),
    column((s) => s.input.currency ?? null),
    column((s) => s.rules.duplicate_order.thresholds.windowMinutes),
    // Each credited partner's latest click, whose browser the device match compares (a primary-key lookup each).
    column((s) =>
      s.rules.self_referral.thresholds.matchDevice && s.clicks.length > 0
        ? s.clicks.map((c) => c.clickId).join(",")
        : null,
    ),
  ]);
  const decisions: NewDecision[] = [];
  screened.forEach((s, i) => {
    const answer = answers[i];
    if (!answer) throw new Error("fraud screening returned fewer rows than conversions");
    const findings = evaluateIngestionRules(s.rules, {
      kind: s.input.kind,
      email: s.email,
      emailDomain: s.domain,
      ipGiven: s.input.ip !== undefined,
      ipHash: s.ipHash,
      deviceHash: s.deviceHash,
      userAgent: s.input.userAgent,
      creditedPartnerIds: s.partnerIds,
      clicks: s.clicks.map((c) => ({ partnerId: c.partnerId, clickId: c.clickId, seconds: c.seconds })),
      partnerUsers: answer.people?.users ?? [],
      partners: answer.people?.partners ?? [],
      identifiers: answer.identifiers,
      ipCount: answer.ip_count + inRoundCount(screened, i, (e) => s.ipHash !== undefined && e.ipHash === s.ipHash),
      deviceCount:
        answer.device_count +
        inRoundCount(screened, i, (e) => s.deviceHash !== undefined && e.deviceHash === s.deviceHash),
      duplicatePartners: answer.duplicate_partners,
      duplicateOrders: answer.duplicate_orders,
    });
    for (const f of findings)
      decisions.push({ ...f, conversionId: s.input.conversionId, programId: s.input.programId });
  });
  // The commission engine has not seen these conversions yet: nothing in the ledger to move.
  if (decisions.length > 0) await recordDecisions(store.tx, ctx, decisions, "ingestion", { moveLedger: false });
}

/**
 * Earlier conversions of the same round that the velocity rule counts for conversion i: same program, the same
 * IP or device, in i's window (and for the same partner unless the rule's scope is the program) — what the
 * database would have counted had they been screened one statement each.
 */
function inRoundCount(screened: Screened[], i: number, sameVisitor: (earlier: Screened) => boolean): number {
  const s = screened[i]!;
  const { windowMinutes, scope } = s.rules.velocity.thresholds;
  const at = s.input.occurredAt.getTime();
  let count = 0;
  for (let j = 0; j < i; j++) {
    const e = screened[j]!;
    const when = e.input.occurredAt.getTime();
    if (
      e.input.programId === s.input.programId &&
      sameVisitor(e) &&
      when > at - windowMinutes * 60_000 &&
      when <= at &&
      (scope === "program" || e.partnerIds[0] === s.partnerIds[0])
    )
      count += 1;
  }
  return count;
}

/** Per credited partner, its latest touch the model included that came before the conversion. */
function latestClicks(decision: ScreeningInput["decision"], occurredAt: Date) {
  const credited = new Set(decision.credits.map((c) => c.partnerId));
  const latest = new Map<string, { partnerId: string; clickId: string; at: Date; seconds: number }>();
  for (const considered of decision.considered) {
    const touch = considered.touch;
    if (!considered.included || !credited.has(touch.partnerId)) continue;
    const at = new Date(touch.at);
    if (at > occurredAt) continue;
    const previous = latest.get(touch.partnerId);
    if (!previous || at > previous.at) {
      latest.set(touch.partnerId, {
        partnerId: touch.partnerId,
        clickId: touch.clickId,
        at,
        seconds: Math.floor((occurredAt.getTime() - at.getTime()) / 1000),
      });
    }
  }
  return [...latest.values()];
}
