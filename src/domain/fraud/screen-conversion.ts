import { isIP } from "node:net";
import { sql } from "drizzle-orm";
import { type Db, selectRows } from "../../db/client.js";
import type { PartnerContact } from "../../db/schema/index.js";
import { fieldError } from "../../lib/errors.js";
import type { ConsideredTouch, PartnerCredit } from "../attribution/attribution.types.js";
import type { Ctx } from "../context.js";
import { describeDevice } from "../tracking/visitor.js";
import { emailDomain } from "./email-domains.js";
import { evaluateIngestionRules } from "./evaluate-rules.js";
import { fingerprintKey, hashDevice, hashEmail, hashIp } from "./fingerprint.js";
import { effectiveRules, ruleCatalog, type StoredRuleSetting } from "./fraud-rules.js";
import { recordDecisions } from "./record-decisions.js";

/** The converting session, as the lead/sale API receives it. */
export interface SessionFields {
  ip?: string | undefined;
  userAgent?: string | undefined;
  deviceId?: string | undefined;
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
  settings: StoredRuleSetting[];
  users: { partnerId: string; email: string }[];
  partners: { partnerId: string; website: string | null; contacts: PartnerContact[] }[];
  identifiers: { partnerId: string; kind: "ip" | "payout_email" }[];
  ip_count: number;
  device_count: number;
  duplicate_partners: string[];
  duplicate_orders: string[];
}

const defaults = {
  velocityMinutes: ruleCatalog.velocity.defaults.windowMinutes,
  velocityScope: ruleCatalog.velocity.defaults.scope,
  duplicateMinutes: ruleCatalog.duplicate_order.defaults.windowMinutes,
};

/**
 * The ingestion-time fraud check of an attributed lead or sale, inside its transaction: one statement stores what
 * the rules need to remember (the screen row) and reads everything they need to decide (the program's settings,
 * the partner's people, velocity counts, duplicates) through indexes; findings are then stored with their
 * evidence and open a review case, which the commission engine reads (fraudHoldsFor) when it creates entries.
 */
export async function screenConversion(tx: Db, ctx: Pick<Ctx, "db" | "clock" | "actor">, input: ScreeningInput) {
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
  const setting = (rule: string, keyName: string) =>
    sql`(select thresholds->>${keyName} from fraud_rule_settings where program_id = ${input.programId} and rule = ${rule})`;

  const [answer] = await selectRows<Answer>(
    tx,
    sql`with screen as (
          insert into conversion_screens (conversion_id, program_id, partner_id, kind, occurred_at, ip_hash, device_hash,
            device_type, browser, os, click_id, clicked_at, ctit_seconds)
          values (${input.conversionId}, ${input.programId}, ${top}, ${input.kind}, ${at}::timestamptz, ${param(ipHash)},
            ${param(deviceHash)}, ${param(device?.deviceType)}, ${param(device?.browser)}, ${param(device?.os)},
            ${param(topClick?.clickId)}, ${param(topClick?.at.toISOString())}::timestamptz, ${param(topClick?.seconds)}::int)
        ),
        velocity as (
          select make_interval(mins => coalesce(${setting("velocity", "windowMinutes")}::int, ${defaults.velocityMinutes})) as span,
                 coalesce(${setting("velocity", "scope")}, ${defaults.velocityScope}) = 'program' as program_wide
        )
        select
          (select coalesce(jsonb_agg(jsonb_build_object('rule', rule, 'enabled', enabled, 'action', action, 'thresholds', thresholds)), '[]')
             from fraud_rule_settings where program_id = ${input.programId}) as settings,
          (select coalesce(jsonb_agg(jsonb_build_object('partnerId', partner_id, 'email', lower(email))), '[]')
             from partner_users where partner_id = any(${sql.param(partnerIds)}::text[])) as users,
          (select coalesce(jsonb_agg(jsonb_build_object('partnerId', id, 'website', website, 'contacts', contacts)), '[]')
             from partners where id = any(${sql.param(partnerIds)}::text[])) as partners,
          (select coalesce(jsonb_agg(jsonb_build_object('partnerId', partner_id, 'kind', kind)), '[]')
             from partner_identifiers where partner_id = any(${sql.param(partnerIds)}::text[])
               and ((kind = 'ip' and value_hash = ${param(ipHash)}) or (kind = 'payout_email' and value_hash = ${param(emailHash)}))) as identifiers,
          (select count(*)::int from conversion_screens s, velocity v
             where s.program_id = ${input.programId} and s.ip_hash = ${param(ipHash)}
               and s.occurred_at > ${at}::timestamptz - v.span and s.occurred_at <= ${at}::timestamptz
               and (v.program_wide or s.partner_id = ${top})) as ip_count,
          (select count(*)::int from conversion_screens s, velocity v
             where s.program_id = ${input.programId} and s.device_hash = ${param(deviceHash)}
               and s.occurred_at > ${at}::timestamptz - v.span and s.occurred_at <= ${at}::timestamptz
               and (v.program_wide or s.partner_id = ${top})) as device_count,
          (select coalesce(jsonb_agg(distinct cc.partner_id), '[]')
             from customers c join conversions o on o.customer_id = c.id join conversion_credits cc on cc.conversion_id = o.id
             where c.program_id = ${input.programId} and c.email_hash = ${param(emailHash)} and c.id <> ${param(input.customerId)}
               and cc.partner_id <> all(${sql.param(partnerIds)}::text[])) as duplicate_partners,
          (select coalesce(jsonb_agg(d.id), '[]') from (
             select o.id from conversions o
             where ${sql.raw(input.kind === "sale" ? "true" : "false")} and o.customer_id = ${param(input.customerId)} and o.kind = 'sale'
               and o.id <> ${input.conversionId} and o.amount_minor = ${param(input.amountMinor?.toString())}::bigint
               and o.currency = ${param(input.currency)}
               and abs(extract(epoch from o.occurred_at - ${at}::timestamptz))
                   <= 60 * coalesce(${setting("duplicate_order", "windowMinutes")}::int, ${defaults.duplicateMinutes})
             limit 5) d) as duplicate_orders`,
  );
  if (!answer) throw new Error("fraud screening returned no row");
  const rules = effectiveRules(answer.settings);
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
    partnerUsers: answer.users,
    partners: answer.partners,
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
