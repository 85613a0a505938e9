import { setImmediate as nextTurn } from "node:timers/promises";
import { sql } from "drizzle-orm";
import { type Db, selectRows } from "../../db/client.js";
import { type ExplanationRecipe, renderRecipe } from "../../db/explanation-recipe.js";
import type { CommissionExplanation, CommissionState } from "../../db/schema/index.js";
import type { Clock } from "../../lib/clock.js";
import { newId } from "../../lib/ids.js";
import { formatBps, formatMinor, percentOf } from "../../lib/money.js";
import { forEachTimeSliced } from "../../lib/time-sliced.js";
import { systemActor } from "../context.js";
import { FRAUD_HOLD_REASON, FRAUD_REJECT_REASON, type FraudEffect } from "../fraud/fraud-holds-for.js";
import { bonusEntries } from "./bonus-entries.js";
import { type CommissionInput, computeCommission, type PeriodTotals } from "./compute-commission.js";
import { convertMinor, minorDigits } from "./fx.js";
import {
  type ActivePlan,
  type CalculationContext,
  loadCalculationContext,
  loadQueuedCredits,
  type ProgramTerms,
  pairKey,
  type QueueCursor,
  type QueuedCredit,
} from "./load-calculation-context.js";
import { addDays, dayOf, monthOf, periodDays } from "./periods.js";
import { planFor } from "./plan-for.js";
import { reverseForRefund } from "./reverse-for-refund.js";
import { type PartnerMonth, withdrawUnreachedBonuses } from "./withdraw-unreached-bonuses.js";
import { type NewEntry, writeLedgerBatch } from "./write-ledger-batch.js";

/** Only one engine runs at a time across every instance: tiers and caps depend on the order of sales. */
const ENGINE_LOCK = 0x7472_6962_636f_6dn & 0x7fff_ffff_ffff_ffffn;
/**
 * Credits per batch. A batch reads and writes the period totals of the partners it credits once: the larger the
 * batch, the more of its credits share a partner (at 10,000 partners, 5,000 credits touch ~3,900 of them and
 * 10,000 credits ~6,300). Measured at 300,000 sales: 5,000 → 10,000 cut the database's CPU per sale by a tenth;
 * 20,000 gained nothing more.
 */
export const DEFAULT_BATCH = 10_000;
/**
 * Credits per batch on PGlite. Its statements run on the server's own thread, one after another with nothing to
 * wait for in between, so a batch's statements hold every request for as long as they take: 1-3 s for 10,000
 * credits (the ledger insert alone about a second), 150-250 ms for 1,000, at 15 % less throughput.
 */
export const PGLITE_BATCH = 1_000;

/** The batch size for a database: see DEFAULT_BATCH and PGLITE_BATCH. */
export const batchSizeFor = (kind: "pglite" | "postgres"): number => (kind === "pglite" ? PGLITE_BATCH : DEFAULT_BATCH);
/** The largest amount the API takes or gives (minor units, a JSON number). */
const MAX_AMOUNT = BigInt(Number.MAX_SAFE_INTEGER);

export interface CalculationResult {
  /** Credits handled (done or waiting for an FX rate). */
  processed: number;
  entries: number;
  waitingFx: number;
  /** Another instance holds the engine: try again later. */
  busy: boolean;
  /** Where this batch stopped; pass it as `after` to continue the same drain. */
  cursor?: QueueCursor | undefined;
}

/**
 * Turns queued conversion credits into ledger entries, one batch per transaction: commissions by the plan that
 * applies to each partner, second-tier overrides, reversals and clawbacks for refunds, bonuses reached, badges
 * and referral rewards. Reads every fact with one query per kind, computes in memory, writes with one
 * statement per table — so a batch of thousands costs a dozen round trips.
 */
export async function calculateCommissions(
  ctx: { db: Db; clock: Clock },
  options: { batchSize?: number | undefined; after?: QueueCursor | undefined } = {},
): Promise<CalculationResult> {
  return ctx.db.transaction(async (tx) => {
    const [lock] = await selectRows<{ locked: boolean }>(
      tx,
      sql`select pg_try_advisory_xact_lock(${ENGINE_LOCK}) as locked`,
    );
    if (!lock?.locked) return { processed: 0, entries: 0, waitingFx: 0, busy: true };
    // The batch's statements touch thousands of rows by key: a JIT compile (PostgreSQL's default above a cost of
    // 100,000, reached as soon as statistics lag a growing ledger) costs tens of milliseconds each and buys nothing.
    await tx.execute(sql`set local jit = off`);
    const credits = await loadQueuedCredits(tx, options.batchSize ?? DEFAULT_BATCH, options.after);
    if (credits.length === 0) return { processed: 0, entries: 0, waitingFx: 0, busy: false };
    // PGlite answers without a turn of the event loop: these give the requests one between the batch's phases.
    await nextTurn();
    const context = await loadCalculationContext(tx, credits);
    await nextTurn();
    const batch = new Batch(context, ctx.clock.now());
    // A few hundred milliseconds for a full batch: sliced, so the process's requests are answered meanwhile.
    await forEachTimeSliced(credits, (credit) => batch.handle(credit));
    batch.evaluateBonusesAndBadges();
    await writeLedgerBatch(tx, batch.output());
    // Refunds took sales out of their months: a bonus those months no longer reach is withdrawn while unpaid.
    await withdrawUnreachedBonuses(
      tx,
      { clock: ctx.clock, actor: { ...systemActor, label: "commission engine" } },
      batch.monthsReduced(),
    );
    const last = credits[credits.length - 1]!;
    return {
      processed: credits.length,
      cursor: { conversionId: last.conversionId, partnerId: last.partnerId },
      entries: batch.entries.length,
      waitingFx: batch.states.filter((s) => s.state === "waiting_fx").length,
      busy: false,
    };
  });
}

/** A conversion held by fraud review earns a held commission (out of approval and payouts); a rejected one, a rejected commission. */
function statusUnderFraudReview(effect: FraudEffect | undefined): Pick<NewEntry, "status" | "statusReason"> {
  if (effect === "hold") return { status: "held", statusReason: FRAUD_HOLD_REASON };
  if (effect === "reject") return { status: "rejected", statusReason: FRAUD_REJECT_REASON };
  return { status: "pending", statusReason: null };
}

const commissionKey = (credit: QueuedCredit) => `commission:${credit.conversionId}:${credit.partnerId}`;

/** The in-memory pass over one batch; totals move as entries are made so the 6th sale sees the 5 before it. */
export class Batch {
  readonly entries: NewEntry[] = [];
  readonly states: { conversionId: string; partnerId: string; state: CommissionState }[] = [];
  /** `${conversionId}|${partnerId}` of the credits done in this batch (a refund in the same batch looks them up). */
  private readonly doneInBatch = new Set<string>();
  readonly totalDeltas = new Map<string, PeriodTotals & { programId: string; partnerId: string; day: string }>();
  readonly rewards: {
    programId: string;
    customerId: string;
    partnerId: string;
    conversionId: string;
    kind: string;
    value: bigint;
    currency: string | null;
  }[] = [];
  readonly badges: { programId: string; partnerId: string; badgeId: string; name: string; benefits: string[] }[] = [];
  /** Partners whose monthly totals moved: `${program}|${partner}|${YYYY-MM}` → the latest moment seen. */
  private readonly touchedMonths = new Map<string, { programId: string; partnerId: string; at: Date }>();
  private readonly rewardedCustomers = new Set<string>();
  private readonly plans = new Map<string, Map<string, ActivePlan | undefined>>();
  /** Why the last conversion handled earned nothing, when it did not (the preview shows it). */
  declined: CommissionExplanation | undefined;

  constructor(
    private readonly context: CalculationContext,
    private readonly now: Date,
  ) {}

  handle(credit: QueuedCredit) {
    const program = this.context.programs.get(credit.programId);
    if (!program) return this.finish(credit, "done");
    if (credit.kind === "refund") return this.handleRefund(credit, program);
    const plan = this.planOf(credit.programId, credit.partnerId);
    if (!plan) return this.finish(credit, "done");
    // Handled before (a re-queued credit): its entries and totals already count; doing it again would double them.
    // Fraud review re-queues the credits it releases for what it held back with them: the referral reward.
    if (this.context.existingKeys.has(commissionKey(credit))) {
      this.issueReferralReward(credit, plan, program);
      return this.finish(credit, "done");
    }

    let saleAmount: bigint | undefined;
    let creditedAmount: bigint | undefined;
    let fxStep: string | undefined;
    if (credit.kind === "sale" && credit.amountMinor !== null && credit.currency) {
      const converted = this.toProgramCurrency(credit, program);
      if (!converted) return this.finish(credit, "waiting_fx");
      saleAmount = converted.sale;
      creditedAmount = converted.credited;
      fxStep = converted.step;
    }
    const firstSale = credit.customerId ? this.context.firstSales.get(credit.customerId) : undefined;
    const isEarlierSale =
      firstSale !== undefined && firstSale.id !== credit.conversionId && firstSale.at <= credit.occurredAt;
    const enrollment = this.context.enrollments.get(pairKey(credit.programId, credit.partnerId));
    const input: CommissionInput = {
      event: credit.kind === "lead" ? "lead" : "sale",
      recurring: credit.kind === "sale" && (credit.recurring === true || isEarlierSale),
      firstSaleAt: isEarlierSale ? firstSale.at : undefined,
      occurredAt: credit.occurredAt,
      saleAmount,
      creditedAmount,
      weightBps: credit.weightBps,
      products: credit.products?.map((p) => p.id) ?? [],
      country: credit.country,
      partnerTier: enrollment?.tier ?? null,
      currency: program.currency,
      totalsBefore: (period) =>
        this.periodTotals(credit.programId, credit.partnerId, periodDays(period, credit.occurredAt)),
    };
    const result = computeCommission(plan.definition, program.ruleSelection, input);
    const fraud = this.context.fraud.get(credit.conversionId);
    // A sale fraud review has rejected is not one of the partner's sales: it moves no tier, cap, bonus or badge.
    // One it holds counts until it is rejected, which takes out what its entry counted (uncount-rejected.ts).
    const counted =
      fraud === "reject"
        ? undefined
        : { sales: credit.kind === "sale" ? 1 : 0, revenueMinor: credit.kind === "sale" ? (creditedAmount ?? 0n) : 0n };
    // The sale and what it earned move the totals together (nothing in between reads them).
    if (counted && (credit.kind === "sale" || result.earns)) {
      this.addTotals(credit.programId, credit.partnerId, credit.occurredAt, {
        salesCount: counted.sales,
        revenueMinor: counted.revenueMinor,
        commissionMinor: result.earns ? result.amount : 0n,
      });
    }
    this.declined = result.earns ? undefined : result.explanation;
    if (result.earns) {
      const recipe: ExplanationRecipe = {
        ...result.recipe,
        steps: fxStep ? [fxStep, ...result.recipe.steps] : result.recipe.steps,
        plan: `${plan.name} v${plan.version}`,
      };
      const entry = this.append({
        programId: credit.programId,
        partnerId: credit.partnerId,
        enrollmentId: credit.enrollmentId ?? enrollment?.id ?? null,
        kind: "commission",
        amountMinor: result.amount,
        currency: program.currency,
        ...statusUnderFraudReview(fraud),
        counted,
        conversionId: credit.conversionId,
        sourceEntryId: null,
        planVersionId: plan.versionId,
        ruleId: result.rule.id,
        recipe,
        // Rendered only when read (a preview): the ledger stores the recipe.
        get explanation() {
          return renderRecipe(recipe);
        },
        dedupeKey: commissionKey(credit),
        occurredAt: credit.occurredAt,
        holdUntil: addDays(credit.occurredAt, program.holdingDays),
      });
      if (entry) this.addOverrides(entry, plan, program);
    }
    this.issueReferralReward(credit, plan, program);
    return this.finish(credit, "done");
  }

  /** A refund reverses (unpaid) or claws back (paid) each entry the sale earned, in proportion. */
  private handleRefund(credit: QueuedCredit, program: ProgramTerms) {
    const saleId = credit.saleId;
    const sale = saleId ? this.context.sales.get(saleId) : undefined;
    if (!saleId || !sale) return this.finish(credit, "done");
    // The sale's own commission waits for an FX rate: the refund waits with it, or it would reverse nothing.
    if (
      this.context.saleCreditStates.get(`${saleId}|${credit.partnerId}`) === "waiting_fx" &&
      !this.handledNow(saleId, credit.partnerId)
    ) {
      return this.finish(credit, "waiting_fx");
    }
    const sources = this.context.saleEntries.get(saleId) ?? [];
    const own = sources.filter((e) => e.kind === "commission" && e.partnerId === credit.partnerId);
    const ownIds = new Set(own.map((e) => e.id));
    const derived = sources.filter((e) => e.kind === "override" && e.sourceEntryId && ownIds.has(e.sourceEntryId));
    for (const source of [...own, ...derived]) {
      const entry = reverseForRefund(source, sale, credit.conversionId, credit.occurredAt, program.currency);
      // Appended only once: a re-queued refund finds its reversal's key and must not take its share out again.
      if (!entry || !this.append(entry)) continue;
      // The refunded share leaves the totals of the sale's own period (an override never counted in them).
      if (source.kind === "commission") {
        this.addTotals(source.programId, source.partnerId, source.occurredAt, {
          salesCount: entry.counted?.sales ?? 0,
          revenueMinor: entry.counted?.revenueMinor ?? 0n,
          commissionMinor: entry.amountMinor,
        });
      }
    }
    return this.finish(credit, "done");
  }

  /** planFor, once per partner and batch: a batch credits the same partners many times over. */
  private planOf(programId: string, partnerId: string): ActivePlan | undefined {
    let byPartner = this.plans.get(programId);
    if (!byPartner) {
      byPartner = new Map();
      this.plans.set(programId, byPartner);
    }
    if (byPartner.has(partnerId)) return byPartner.get(partnerId);
    const plan = planFor(this.context, programId, partnerId);
    byPartner.set(partnerId, plan);
    return plan;
  }

  private handledNow(saleId: string, partnerId: string) {
    return this.doneInBatch.has(`${saleId}|${partnerId}`);
  }

  private toProgramCurrency(credit: QueuedCredit, program: ProgramTerms) {
    const currency = credit.currency!;
    const sale = credit.amountMinor!;
    const credited = credit.creditMinor ?? sale;
    if (currency === program.currency) return { sale, credited, step: undefined };
    const day = dayOf(credit.occurredAt);
    const direct = this.context.fxRates.get(`${day}|${currency}|${program.currency}`);
    const inverse = direct ? undefined : this.context.fxRates.get(`${day}|${program.currency}|${currency}`);
    const rate = direct ?? inverse;
    if (!rate) return undefined;
    const convert = (amount: bigint) => convertMinor(amount, currency, program.currency, rate, !direct);
    const convertedCredit = convert(credited);
    // A rate that makes the sale larger than any amount can be (a pair saved the wrong way round: 1 VND = 30,000
    // USD) is no usable rate: the credit waits for a corrected one instead of failing the batch it is in.
    if (convert(sale) > MAX_AMOUNT) return undefined;
    const quote = direct
      ? `1 ${currency} = ${rate} ${program.currency}`
      : `1 ${program.currency} = ${rate} ${currency}`;
    return {
      sale: convert(sale),
      credited: convertedCredit,
      step: `${formatMinor(credited, currency, minorDigits(currency))} at ${quote} (${day}) = ${formatMinor(convertedCredit, program.currency, minorDigits(program.currency))}`,
    };
  }

  private addOverrides(entry: NewEntry, plan: ActivePlan, program: ProgramTerms) {
    const levels = plan.definition.overrides?.levels;
    if (!levels || entry.amountMinor <= 0n) return;
    const seen = new Set([entry.partnerId]);
    let recruited = entry.partnerId;
    for (const [index, bps] of levels.entries()) {
      const recruiter = this.context.recruiters.get(recruited);
      if (!recruiter || seen.has(recruiter)) return;
      seen.add(recruiter);
      recruited = recruiter;
      const enrollment = this.context.enrollments.get(pairKey(entry.programId, recruiter));
      if (!enrollment || (enrollment.status !== "active" && enrollment.status !== "approved")) continue;
      const amount = percentOf(entry.amountMinor, bps);
      const money = (a: bigint) => formatMinor(a, program.currency, minorDigits(program.currency));
      this.append({
        ...entry,
        partnerId: recruiter,
        enrollmentId: enrollment.id,
        kind: "override",
        amountMinor: amount,
        sourceEntryId: entry.id,
        ruleId: null,
        // The recipe is the recruited partner's commission's: the override keeps only its own explanation.
        recipe: undefined,
        dedupeKey: `override:${entry.id}:${index + 1}`,
        explanation: {
          summary: `level ${index + 1} override on a recruited partner's commission: ${money(amount)}`,
          steps: [`${formatBps(bps)} of ${money(entry.amountMinor)} = ${money(amount)}`],
          inputs: { level: index + 1, recruitedPartnerId: entry.partnerId, plan: `${plan.name} v${plan.version}` },
        },
      });
    }
  }

  private issueReferralReward(credit: QueuedCredit, plan: ActivePlan, program: ProgramTerms) {
    const reward = plan.definition.referralReward;
    if (!reward || !credit.customerId || this.rewardedCustomers.has(credit.customerId)) return;
    // Not while fraud review holds the conversion (a self-referral would hand itself the reward), nor once it is
    // rejected; an approved review re-queues the credit, and the reward is issued then.
    if (this.context.fraud.has(credit.conversionId)) return;
    this.rewardedCustomers.add(credit.customerId);
    this.rewards.push({
      programId: credit.programId,
      customerId: credit.customerId,
      partnerId: credit.partnerId,
      conversionId: credit.conversionId,
      kind: reward.kind,
      value: BigInt(reward.kind === "discount_percent" ? reward.bps : reward.amount),
      currency: reward.kind === "discount_percent" ? null : program.currency,
    });
  }

  /** Bonuses: once per partner, plan bonus and calendar month. Badges: once, on lifetime totals. */
  evaluateBonusesAndBadges() {
    for (const { programId, partnerId, at } of this.touchedMonths.values()) {
      const plan = this.planOf(programId, partnerId);
      // Most plans have neither: no month to sum then.
      if (!plan?.definition.bonuses?.length && !plan?.definition.badges?.length) continue;
      const program = this.context.programs.get(programId)!;
      const month = this.periodTotals(programId, partnerId, periodDays("calendar_month", at));
      if (plan) {
        const enrollmentId = this.context.enrollments.get(pairKey(programId, partnerId))?.id ?? null;
        for (const entry of bonusEntries(plan, program, { partnerId, enrollmentId }, month, at)) this.append(entry);
      }
      for (const badge of plan?.definition.badges ?? []) {
        const lifetime = this.lifetime(programId, partnerId);
        const value = badge.metric === "sales_count" ? BigInt(lifetime.salesCount) : lifetime.revenueMinor;
        if (value >= BigInt(badge.threshold)) {
          this.badges.push({ programId, partnerId, badgeId: badge.id, name: badge.name, benefits: badge.benefits });
        }
      }
    }
  }

  /** The partner-months whose totals went down in this batch (refunds), for the bonus check after the write. */
  monthsReduced(): PartnerMonth[] {
    const months = new Map<string, PartnerMonth>();
    for (const t of this.totalDeltas.values()) {
      if (t.salesCount >= 0 && t.revenueMinor >= 0n) continue;
      const month = `${t.day.slice(0, 7)}-01`;
      months.set(`${t.programId}|${t.partnerId}|${month}`, { programId: t.programId, partnerId: t.partnerId, month });
    }
    return [...months.values()];
  }

  output() {
    return {
      entries: this.entries,
      states: this.states,
      totals: [...this.totalDeltas.values()],
      rewards: this.rewards,
      badges: this.badges,
      now: this.now,
    };
  }

  private append(entry: Omit<NewEntry, "id">): NewEntry | undefined {
    if (this.context.existingKeys.has(entry.dedupeKey)) return undefined;
    this.context.existingKeys.add(entry.dedupeKey);
    // The entry gets its id in place: copying it would render an explanation that is rendered only when read.
    const full = Object.assign(entry, { id: newId("commission", this.now) }) as NewEntry;
    this.entries.push(full);
    // Only a sale refunded in this batch is looked up again (see saleEntries).
    const refunded = full.conversionId ? this.context.saleEntries.get(full.conversionId) : undefined;
    if (refunded && full.conversionId && (full.kind === "commission" || full.kind === "override")) {
      refunded.push({
        id: full.id,
        programId: full.programId,
        partnerId: full.partnerId,
        enrollmentId: full.enrollmentId,
        kind: full.kind,
        amountMinor: full.amountMinor,
        status: full.status,
        payoutId: null,
        holdUntil: full.holdUntil,
        conversionId: full.conversionId,
        sourceEntryId: full.sourceEntryId,
        planVersionId: full.planVersionId,
        ruleId: full.ruleId,
        occurredAt: full.occurredAt,
        countedSales: full.counted?.sales ?? 0,
        countedRevenueMinor: full.counted?.revenueMinor ?? 0n,
      });
    }
    return full;
  }

  private finish(credit: QueuedCredit, state: CommissionState) {
    this.states.push({ conversionId: credit.conversionId, partnerId: credit.partnerId, state });
    if (state === "done") this.doneInBatch.add(`${credit.conversionId}|${credit.partnerId}`);
  }

  private periodTotals(programId: string, partnerId: string, range: { first: string; last: string }): PeriodTotals {
    const days = this.context.dailyTotals.get(pairKey(programId, partnerId));
    const sum: PeriodTotals = { salesCount: 0, revenueMinor: 0n, commissionMinor: 0n };
    if (!days) return sum;
    // forEach, not for…of: no [key, value] pair allocated per day, for every sale of the batch.
    days.forEach((totals, day) => {
      if (day < range.first || day > range.last) return;
      sum.salesCount += totals.salesCount;
      sum.revenueMinor += totals.revenueMinor;
      sum.commissionMinor += totals.commissionMinor;
    });
    return sum;
  }

  private lifetime(programId: string, partnerId: string): PeriodTotals {
    const key = pairKey(programId, partnerId);
    const before = this.context.lifetimeTotals.get(key) ?? { salesCount: 0, revenueMinor: 0n, commissionMinor: 0n };
    const sum = { ...before };
    for (const delta of this.totalDeltas.values()) {
      if (delta.programId !== programId || delta.partnerId !== partnerId) continue;
      sum.salesCount += delta.salesCount;
      sum.revenueMinor += delta.revenueMinor;
      sum.commissionMinor += delta.commissionMinor;
    }
    return sum;
  }

  private addTotals(programId: string, partnerId: string, at: Date, delta: PeriodTotals) {
    const day = dayOf(at);
    const key = pairKey(programId, partnerId);
    let days = this.context.dailyTotals.get(key);
    if (!days) {
      days = new Map<string, PeriodTotals>();
      this.context.dailyTotals.set(key, days);
    }
    // Moved in place: the batch owns these buckets (periodTotals hands out sums, never the buckets).
    const current = days.get(day);
    if (current) {
      current.salesCount += delta.salesCount;
      current.revenueMinor += delta.revenueMinor;
      current.commissionMinor += delta.commissionMinor;
    } else {
      days.set(day, { ...delta });
    }
    const deltaKey = `${key}|${day}`;
    const pending = this.totalDeltas.get(deltaKey) ?? {
      programId,
      partnerId,
      day,
      salesCount: 0,
      revenueMinor: 0n,
      commissionMinor: 0n,
    };
    pending.salesCount += delta.salesCount;
    pending.revenueMinor += delta.revenueMinor;
    pending.commissionMinor += delta.commissionMinor;
    this.totalDeltas.set(deltaKey, pending);
    if (delta.salesCount > 0 || delta.revenueMinor !== 0n) {
      const monthKey = `${key}|${monthOf(at)}`;
      const seen = this.touchedMonths.get(monthKey);
      if (!seen) this.touchedMonths.set(monthKey, { programId, partnerId, at });
      else if (seen.at < at) seen.at = at;
    }
  }
}
