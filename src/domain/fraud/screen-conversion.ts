import { isIP } from "node:net";
import { sql } from "drizzle-orm";
import { type Db, selectRows } from "../../db/client.js";
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
import { recordDecisions } from "./record-decisions.js";

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
  identifiers: { partnerId: string; kind: "ip" | "payout_email" }[];
  ip_count: number;
  device_count: number;
  duplicate_partners: string[];
  duplicate_orders: string[];
}

/**
 * The ingestion-time fraud check of an attributed lead or sale, inside its transaction: one statement stores what
 * the rules need to remember (the screen row) and reads everything they need to decide (the program's settings,
 * the partner's people, velocity counts, duplicates) through indexes; findings are then stored with their
 * evidence and open a review case, which the commission engine reads (fraudHoldsFor) when it creates entries.
 */
export async function screenConversion(tx: Db, ctx: Pick<Ctx, "db" | "clock" | "actor">, input: ScreeningInput) {
  if (!screening) return;
  const key = await fingerprintKey(tx, ctx.db);
  const email = input.email?.trim().toLowerCase() || undefined;
  const domain = email ? emailDomain(email) : undefined;
  const emailHash = email ? hashEmail(email) : undefined;
  const ipHash = input.ip ? hashIp(key, input.ip) : undefined;
  const deviceHash = input.deviceId?.trim() ? hashDevice(key, input.deviceId) : undefined;
  const device = input.userAgent?.trim() ? describeDevice(input.userAgent) : undefined;
  const partnerIds = input.decision.credits.map((c) => c.partnerId);
  const top = partnerIds[0]!;
  const clicks = latestClicks(input.decision, input.occurredAt);
  const topClick = clicks.find((c) => c.partnerId === top);
  const at = input.occurredAt.toISOString();
  const param = (value: unknown) => sql.param(value ?? null);
  const rules = await rulesFor(tx, input.programId);
  const velocity = rules.velocity.thresholds;
  const span = sql`${`${velocity.windowMinutes} minutes`}::interval`;
  const samePartner = velocity.scope === "program" ? sql`` : sql`and s.partner_id = ${top}`;
  const partnerList = sql`${sql.param(partnerIds)}::text[]`;
  // Only what this conversion can be judged on is read: each part is an index lookup.
  const reads = [
    email || ipHash
      ? sql`(select coalesce(jsonb_agg(jsonb_build_object('partnerId', partner_id, 'kind', kind)), '[]')
             from partner_identifiers where partner_id = any(${partnerList})
               and ((kind = 'ip' and value_hash = ${param(ipHash)}) or (kind = 'payout_email' and value_hash = ${param(emailHash)}))) as identifiers`
      : sql`'[]'::jsonb as identifiers`,
    email
      ? sql`(select jsonb_build_object(
               'users', (select coalesce(jsonb_agg(jsonb_build_object('partnerId', partner_id, 'email', lower(email))), '[]')
                         from partner_users where partner_id = any(${partnerList})),
               'partners', (select coalesce(jsonb_agg(jsonb_build_object('partnerId', id, 'website', website, 'contacts', contacts)), '[]')
                            from partners where id = any(${partnerList})))) as people`
      : sql`null::jsonb as people`,
    ipHash && velocity.byIp
      ? sql`(select count(*)::int from conversion_screens s where s.program_id = ${input.programId} and s.ip_hash = ${ipHash}
               and s.occurred_at > ${at}::timestamptz - ${span} and s.occurred_at <= ${at}::timestamptz ${samePartner}) as ip_count`
      : sql`0 as ip_count`,
    deviceHash && velocity.byDevice
      ? sql`(select count(*)::int from conversion_screens s where s.program_id = ${input.programId} and s.device_hash = ${deviceHash}
               and s.occurred_at > ${at}::timestamptz - ${span} and s.occurred_at <= ${at}::timestamptz ${samePartner}) as device_count`
      : sql`0 as device_count`,
    emailHash && input.customerId
      ? sql`(select coalesce(jsonb_agg(distinct cc.partner_id), '[]')
             from customers c join conversions o on o.customer_id = c.id join conversion_credits cc on cc.conversion_id = o.id
             where c.program_id = ${input.programId} and c.email_hash = ${emailHash} and c.id <> ${input.customerId}
               and cc.partner_id <> all(${partnerList})) as duplicate_partners`
      : sql`'[]'::jsonb as duplicate_partners`,
    input.kind === "sale" && input.customerId && input.amountMinor !== undefined
      ? sql`(select coalesce(jsonb_agg(d.id), '[]') from (
               select o.id from conversions o
               where o.customer_id = ${input.customerId} and o.kind = 'sale' and o.id <> ${input.conversionId}
                 and o.amount_minor = ${input.amountMinor.toString()}::bigint and o.currency = ${param(input.currency)}
                 and o.occurred_at between ${at}::timestamptz - ${`${rules.duplicate_order.thresholds.windowMinutes} minutes`}::interval
                                       and ${at}::timestamptz + ${`${rules.duplicate_order.thresholds.windowMinutes} minutes`}::interval
               limit 5) d) as duplicate_orders`
      : sql`'[]'::jsonb as duplicate_orders`,
  ];
  const [answer] = await selectRows<Answer>(
    tx,
    sql`with screen as (
          insert into conversion_screens (conversion_id, program_id, partner_id, kind, occurred_at, ip_hash, device_hash,
            device_type, browser, os, click_id, clicked_at, ctit_seconds)
          values (${input.conversionId}, ${input.programId}, ${top}, ${input.kind}, ${at}::timestamptz, ${param(ipHash)},
            ${param(deviceHash)}, ${param(device?.deviceType)}, ${param(device?.browser)}, ${param(device?.os)},
            ${param(topClick?.clickId)}, ${param(topClick?.at.toISOString())}::timestamptz, ${param(topClick?.seconds)}::int)
        )
        select ${sql.join(reads, sql`, `)}`,
  );
  if (!answer) throw new Error("fraud screening returned no row");
  const findings = evaluateIngestionRules(rules, {
    kind: input.kind,
    email,
    emailDomain: domain,
    ipGiven: input.ip !== undefined,
    ipHash,
    deviceHash,
    userAgent: input.userAgent,
    creditedPartnerIds: partnerIds,
    clicks: clicks.map((c) => ({ partnerId: c.partnerId, clickId: c.clickId, seconds: c.seconds })),
    partnerUsers: answer.people?.users ?? [],
    partners: answer.people?.partners ?? [],
    identifiers: answer.identifiers,
    ipCount: answer.ip_count,
    deviceCount: answer.device_count,
    duplicatePartners: answer.duplicate_partners,
    duplicateOrders: answer.duplicate_orders,
  });
  if (findings.length === 0) return;
  // The commission engine has not seen this conversion yet: nothing in the ledger to move.
  await recordDecisions(
    tx,
    ctx,
    findings.map((f) => ({ ...f, conversionId: input.conversionId, programId: input.programId })),
    "ingestion",
    { moveLedger: false },
  );
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
