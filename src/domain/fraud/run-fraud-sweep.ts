import { sql } from "drizzle-orm";
import { type Db, selectRows } from "../../db/client.js";
import type { FraudRule } from "../../db/schema/index.js";
import type { Clock } from "../../lib/clock.js";
import type { Actor } from "../context.js";
import { holdEntriesOf, rejectEntriesOf } from "./fraud-ledger.js";
import { effectiveRules, type RuleSet, type StoredRuleSetting } from "./fraud-rules.js";
import { paidSearchDecisions } from "./paid-search.js";
import { type NewDecision, recordDecisions } from "./record-decisions.js";

const MINUTE = 60_000;
const DAY = 86_400_000;
/** The snippet counts as installed when it confirmed at least this share of the program's redirect clicks. */
const SNIPPET_INSTALLED_RATIO = 0.5;
const SNIPPET_INSTALLED_MIN_LANDINGS = 100;

export interface SweepResult {
  programs: number;
  decisions: Partial<Record<FraudRule, number>>;
  held: number;
  rejected: number;
}

type Deps = { db: Db; clock: Clock };
const sweepActor: Actor = { type: "system", label: "fraud sweep" };
const ids = (values: string[]) => sql`${sql.param(values)}::text[]`;

/**
 * The rules that need history, per program: click spamming, cookie stuffing (bursts without a referrer, clicks
 * that never reached a page with the snippet), conversion-rate outliers, velocity again once a conversion's
 * window has passed (counting the whole cluster, including conversions recorded at the same moment), and paid
 * search (the credited click's row, written after the conversion may have been screened). Decisions
 * made after the commission engine ran move the unpaid entries; the sweep also re-applies open holds to entries
 * created meanwhile. Idempotent: a rule decides a conversion once.
 */
export async function runFraudSweep(deps: Deps, options: { programId?: string } = {}): Promise<SweepResult> {
  const ctx = { ...deps, actor: sweepActor };
  const programs = options.programId
    ? [{ id: options.programId }]
    : await selectRows<{ id: string }>(deps.db, sql`select id from programs where status <> 'archived' order by id`);
  const result: SweepResult = { programs: programs.length, decisions: {}, held: 0, rejected: 0 };
  for (const { id } of programs) {
    const settings = await selectRows<StoredRuleSetting>(
      deps.db,
      sql`select rule, enabled, action, thresholds from fraud_rule_settings where program_id = ${id}`,
    );
    const rules = effectiveRules(settings);
    const now = deps.clock.now();
    const decisions = [
      ...(await perConversionChecks(deps.db, id, rules, now)),
      ...(await clickSpamming(deps.db, id, rules, now)),
      ...(await unlandedClicks(deps.db, id, rules, now)),
      ...(await conversionRateOutliers(deps.db, id, rules, now)),
      ...(await paidSearchDecisions(deps.db, id, rules)),
    ];
    for (const d of decisions) result.decisions[d.rule] = (result.decisions[d.rule] ?? 0) + 1;
    await deps.db.transaction(async (tx) => {
      const recorded = await recordDecisions(tx, ctx, decisions, "sweep", { moveLedger: true });
      result.held += recorded.held.length;
      result.rejected += recorded.rejected.length;
      await markSwept(tx, id, rules, now);
      await reapplyOpenCases(tx, ctx, id);
    });
  }
  return result;
}

/** Per-conversion checks are final once every click and conversion they count can have arrived. */
const sweepCutoff = (rules: RuleSet, now: Date) =>
  new Date(
    now.getTime() -
      Math.max(rules.velocity.thresholds.windowMinutes, rules.cookie_stuffing.thresholds.burstMinutes) * MINUTE,
  );

async function perConversionChecks(db: Db, programId: string, rules: RuleSet, now: Date): Promise<NewDecision[]> {
  const cutoff = sweepCutoff(rules, now).toISOString();
  const out: NewDecision[] = [];
  const decide = (rule: FraudRule, conversionId: string, partnerId: string, evidence: Record<string, unknown>) => {
    if (rules[rule].enabled)
      out.push({ rule, action: rules[rule].action, conversionId, programId, partnerId, evidence });
  };
  const v = rules.velocity.thresholds;
  if (rules.velocity.enabled && (v.byIp || v.byDevice)) {
    const span = sql`make_interval(mins => ${v.windowMinutes})`;
    const samePartner = v.scope === "program" ? sql`true` : sql`o.partner_id = s.partner_id`;
    const rows = await selectRows<{ conversion_id: string; partner_id: string; ip_n: number; device_n: number }>(
      db,
      sql`select s.conversion_id, s.partner_id,
            (select count(*)::int from conversion_screens o where ${sql.raw(v.byIp ? "true" : "false")}
               and o.program_id = s.program_id and o.ip_hash = s.ip_hash and ${samePartner}
               and o.occurred_at between s.occurred_at - ${span} and s.occurred_at + ${span}) as ip_n,
            (select count(*)::int from conversion_screens o where ${sql.raw(v.byDevice ? "true" : "false")}
               and o.program_id = s.program_id and o.device_hash = s.device_hash and ${samePartner}
               and o.occurred_at between s.occurred_at - ${span} and s.occurred_at + ${span}) as device_n
          from conversion_screens s
          where s.program_id = ${programId} and s.swept_at is null and s.occurred_at <= ${cutoff}::timestamptz
            and (s.ip_hash is not null or s.device_hash is not null)`,
    );
    for (const r of rows) {
      if (r.ip_n <= v.maxConversions && r.device_n <= v.maxConversions) continue;
      decide("velocity", r.conversion_id, r.partner_id, {
        detail: `conversions from the same ${r.ip_n > v.maxConversions ? "IP" : "device"} within ${v.windowMinutes} minutes either side`,
        ...(r.ip_n > v.maxConversions ? { conversionsFromIp: r.ip_n } : {}),
        ...(r.device_n > v.maxConversions ? { conversionsFromDevice: r.device_n } : {}),
        maxConversions: v.maxConversions,
        windowMinutes: v.windowMinutes,
        scope: v.scope,
      });
    }
  }
  if (rules.velocity.enabled && v.byIp) {
    // Click flooding: the credited click's IP (hashed per day on the click row) clicked this partner's links again
    // and again. Repeat clicks on one link within an hour are already counted once.
    const half = sql`make_interval(mins => ${v.clickWindowMinutes / 2})`;
    const rows = await selectRows<{ conversion_id: string; partner_id: string; clicks: number }>(
      db,
      sql`select s.conversion_id, s.partner_id, n.clicks
          from conversion_screens s
          join clicks c on c.id = s.click_id
          cross join lateral (
            select count(*)::int as clicks from clicks k
            where k.partner_id = s.partner_id and k.program_id = s.program_id and k.ip_hash = c.ip_hash
              and k.at between c.at - ${half} and c.at + ${half}) n
          where s.program_id = ${programId} and s.swept_at is null and s.occurred_at <= ${cutoff}::timestamptz
            and c.ip_hash is not null and n.clicks > ${v.maxClicks}`,
    );
    for (const r of rows) {
      if (out.some((d) => d.rule === "velocity" && d.conversionId === r.conversion_id)) continue;
      decide("velocity", r.conversion_id, r.partner_id, {
        detail: `the credited click's IP sent the partner ${r.clicks} clicks within ${v.clickWindowMinutes} minutes`,
        clicksFromIp: r.clicks,
        maxClicks: v.maxClicks,
        clickWindowMinutes: v.clickWindowMinutes,
      });
    }
  }
  const c = rules.cookie_stuffing.thresholds;
  if (rules.cookie_stuffing.enabled) {
    const half = sql`make_interval(secs => ${(c.burstMinutes * 60) / 2})`;
    const rows = await selectRows<{ conversion_id: string; partner_id: string; no_referrer: number; total: number }>(
      db,
      sql`select s.conversion_id, s.partner_id, b.no_referrer, b.total
          from conversion_screens s
          join clicks c on c.id = s.click_id
          cross join lateral (
            select count(*) filter (where coalesce(k.referrer, '') = '')::int as no_referrer, count(*)::int as total
            from clicks k
            where k.partner_id = s.partner_id and k.program_id = s.program_id and k.source = 'redirect'
              and k.at between c.at - ${half} and c.at + ${half}) b
          where s.program_id = ${programId} and s.swept_at is null and s.occurred_at <= ${cutoff}::timestamptz
            and c.source = 'redirect' and coalesce(c.referrer, '') = '' and b.no_referrer >= ${c.burstClicks}`,
    );
    for (const r of rows) {
      decide("cookie_stuffing", r.conversion_id, r.partner_id, {
        signal: "burst",
        detail: `the credited click came in a burst of ${r.no_referrer} clicks without a referrer within ${c.burstMinutes} minutes`,
        clicksWithoutReferrer: r.no_referrer,
        clicksInWindow: r.total,
        burstClicks: c.burstClicks,
        burstMinutes: c.burstMinutes,
      });
    }
  }
  return out;
}

async function markSwept(tx: Db, programId: string, rules: RuleSet, now: Date) {
  await tx.execute(
    sql`update conversion_screens set swept_at = ${now.toISOString()}::timestamptz
        where program_id = ${programId} and swept_at is null and occurred_at <= ${sweepCutoff(rules, now).toISOString()}::timestamptz`,
  );
}

/** The click-attributed conversions of these partners in the lookback that the rule has not decided yet. */
async function conversionsOf(db: Db, programId: string, rule: FraudRule, partnerIds: string[], since: Date) {
  if (partnerIds.length === 0) return [];
  return selectRows<{ conversion_id: string; partner_id: string }>(
    db,
    sql`select s.conversion_id, s.partner_id from conversion_screens s
        where s.program_id = ${programId} and s.partner_id = any(${ids(partnerIds)})
          and s.occurred_at > ${since.toISOString()}::timestamptz and s.click_id is not null
          and not exists (select 1 from fraud_decisions d where d.conversion_id = s.conversion_id and d.rule = ${rule})`,
  );
}

async function clickSpamming(db: Db, programId: string, rules: RuleSet, now: Date): Promise<NewDecision[]> {
  if (!rules.click_spamming.enabled) return [];
  const t = rules.click_spamming.thresholds;
  const since = new Date(now.getTime() - t.lookbackDays * DAY);
  // Only a customer's first conversion is timed against its click: a spammed click is claimed by the signup or
  // purchase it did not cause. What the customer does later (a sale after a 14-day trial, a renewal) is late by
  // nature, and counting it would hold honest partners of every program with a trial.
  const partners = await selectRows<{ partner_id: string; total: number; late: number }>(
    db,
    sql`select s.partner_id, count(*)::int as total,
          count(*) filter (where s.ctit_seconds > ${t.lateHours * 3600})::int as late
        from conversion_screens s join conversions c on c.id = s.conversion_id
        where s.program_id = ${programId} and s.occurred_at > ${since.toISOString()}::timestamptz
          and s.click_id is not null
          and (c.customer_id is null or not exists (
            select 1 from conversions earlier
            where earlier.customer_id = c.customer_id and earlier.occurred_at < c.occurred_at))
        group by s.partner_id having count(*) >= ${t.minConversions}`,
  );
  const suspects = new Map(partners.filter((p) => p.late / p.total > t.maxLateShare).map((p) => [p.partner_id, p]));
  const rows = await conversionsOf(db, programId, "click_spamming", [...suspects.keys()], since);
  return rows.map((r) => {
    const p = suspects.get(r.partner_id)!;
    return {
      rule: "click_spamming" as const,
      action: rules.click_spamming.action,
      conversionId: r.conversion_id,
      programId,
      partnerId: r.partner_id,
      evidence: {
        detail: `${p.late} of the partner's ${p.total} customers who converted through a click in ${t.lookbackDays} days first converted more than ${t.lateHours} h after it`,
        lateConversions: p.late,
        conversions: p.total,
        lateShare: Number((p.late / p.total).toFixed(3)),
        maxLateShare: t.maxLateShare,
        lateHours: t.lateHours,
      },
    };
  });
}

async function unlandedClicks(db: Db, programId: string, rules: RuleSet, now: Date): Promise<NewDecision[]> {
  if (!rules.cookie_stuffing.enabled) return [];
  const t = rules.cookie_stuffing.thresholds;
  const since = new Date(now.getTime() - t.lookbackDays * DAY);
  const partners = await selectRows<{ partner_id: string; clicks: number; landed: number }>(
    db,
    sql`select c.partner_id, count(*)::int as clicks, count(l.click_id)::int as landed
        from clicks c left join click_landings l on l.click_id = c.id
        where c.program_id = ${programId} and c.at > ${since.toISOString()}::timestamptz and c.source = 'redirect'
        group by c.partner_id`,
  );
  const clicks = partners.reduce((n, p) => n + p.clicks, 0);
  const landed = partners.reduce((n, p) => n + p.landed, 0);
  // Without the snippet on the program's pages no click lands: the signal means nothing there.
  if (landed < SNIPPET_INSTALLED_MIN_LANDINGS || landed / clicks < SNIPPET_INSTALLED_RATIO) return [];
  const suspects = new Map(
    partners
      .filter((p) => p.clicks >= t.minClicks && p.landed / p.clicks < t.minLandingRatio)
      .map((p) => [p.partner_id, p]),
  );
  const rows = await conversionsOf(db, programId, "cookie_stuffing", [...suspects.keys()], since);
  return rows.map((r) => {
    const p = suspects.get(r.partner_id)!;
    return {
      rule: "cookie_stuffing" as const,
      action: rules.cookie_stuffing.action,
      conversionId: r.conversion_id,
      programId,
      partnerId: r.partner_id,
      evidence: {
        signal: "no_page_activity",
        detail: `only ${p.landed} of the partner's ${p.clicks} redirect clicks in ${t.lookbackDays} days reached a page with the site snippet (program: ${((landed / clicks) * 100).toFixed(0)} %)`,
        redirectClicks: p.clicks,
        landed: p.landed,
        landingRatio: Number((p.landed / p.clicks).toFixed(3)),
        programLandingRatio: Number((landed / clicks).toFixed(3)),
        minLandingRatio: t.minLandingRatio,
      },
    };
  });
}

async function conversionRateOutliers(db: Db, programId: string, rules: RuleSet, now: Date): Promise<NewDecision[]> {
  if (!rules.conversion_rate_outlier.enabled) return [];
  const t = rules.conversion_rate_outlier.thresholds;
  const since = new Date(now.getTime() - t.lookbackDays * DAY).toISOString();
  const rows = await selectRows<{ partner_id: string; clicks: number; conversions: number }>(
    db,
    sql`select k.partner_id, k.clicks, coalesce(s.conversions, 0)::int as conversions
        from (select partner_id, count(*)::int as clicks from clicks
              where program_id = ${programId} and at > ${since}::timestamptz group by partner_id) k
        left join (select partner_id, count(*)::int as conversions from conversion_screens
                   where program_id = ${programId} and occurred_at > ${since}::timestamptz group by partner_id) s
          on s.partner_id = k.partner_id
        where k.clicks >= ${t.minClicks}`,
  );
  if (rows.length < t.minPartners) return [];
  // On log rates: partners' rates spread multiplicatively (a great partner converts at 2× the median, not +2 points),
  // and the half-conversion correction keeps a partner without conversions finite.
  const scored = robustZ(rows.map((r) => Math.log((r.conversions + 0.5) / (r.clicks + 1))));
  if (!scored) return [];
  const suspects = new Map(
    rows
      .map((r, i) => ({ ...r, rate: r.conversions / r.clicks, z: scored.z[i]! }))
      .filter((r) => r.z >= t.zScore)
      .map((r) => [r.partner_id, r]),
  );
  const found = await conversionsOf(db, programId, "conversion_rate_outlier", [...suspects.keys()], new Date(since));
  return found.map((r) => {
    const p = suspects.get(r.partner_id)!;
    return {
      rule: "conversion_rate_outlier" as const,
      action: rules.conversion_rate_outlier.action,
      conversionId: r.conversion_id,
      programId,
      partnerId: r.partner_id,
      evidence: {
        detail: `conversion rate ${(p.rate * 100).toFixed(2)} % against a program median of ${(Math.exp(scored.median) * 100).toFixed(2)} % (robust z ${p.z.toFixed(1)} on log rates)`,
        clicks: p.clicks,
        conversions: p.conversions,
        rate: Number(p.rate.toFixed(5)),
        programMedianRate: Number(Math.exp(scored.median).toFixed(5)),
        zScore: Number(p.z.toFixed(2)),
        threshold: t.zScore,
      },
    };
  });
}

/**
 * Robust z-scores (Iglewicz and Hoaglin): 0.6745 × (x − median) / MAD, so the outliers being looked for do not
 * widen the yardstick; with a zero MAD, the mean absolute deviation × 1.2533 stands in. Undefined when every value is equal.
 */
export function robustZ(values: number[]): { median: number; z: number[] } | undefined {
  const median = medianOf(values);
  const deviations = values.map((v) => Math.abs(v - median));
  const mad = medianOf(deviations);
  if (mad > 0) return { median, z: values.map((v) => (0.6745 * (v - median)) / mad) };
  const meanAd = deviations.reduce((a, b) => a + b, 0) / values.length;
  if (meanAd === 0) return undefined;
  return { median, z: values.map((v) => (v - median) / (1.2533 * meanAd)) };
}

function medianOf(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Entries the engine created while their case was being opened (or before a hold reached them) follow the case. */
async function reapplyOpenCases(tx: Db, ctx: { clock: Clock; actor: Actor }, programId: string) {
  const stale = await selectRows<{ conversion_id: string; status: string }>(
    tx,
    sql`select distinct r.conversion_id, r.status from fraud_reviews r
        join commission_entries e on e.conversion_id = r.conversion_id
        where r.program_id = ${programId} and e.payout_id is null and e.kind in ('commission', 'override')
          and ((r.status = 'open' and r.action in ('hold', 'reject') and e.status in ('pending', 'approved'))
            or (r.status = 'rejected' and e.status in ('pending', 'approved', 'held')))`,
  );
  await holdEntriesOf(
    tx,
    ctx,
    stale.filter((s) => s.status === "open").map((s) => s.conversion_id),
  );
  await rejectEntriesOf(
    tx,
    ctx,
    stale.filter((s) => s.status === "rejected").map((s) => s.conversion_id),
  );
}
