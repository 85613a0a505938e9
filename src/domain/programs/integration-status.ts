import { sql } from "drizzle-orm";
import { selectRows } from "../../db/client.js";
import { AppError } from "../../lib/errors.js";
import type { Ctx } from "../context.js";
import { type UncreditedReason, uncreditedReason } from "../conversions/uncredited-reason.js";
import { INTAKE_KEPT_DAYS } from "../intake/prune-intake.js";
import { findProgram } from "./get-program.js";

/** How many of the program's latest clicks and conversions the status looks at: enough to tell, cheap at any size. */
export const SAMPLED_CLICKS = 500;
export const SAMPLED_CONVERSIONS = 100;

export interface IntegrationStatus {
  clicks: {
    /** The latest counted click. */
    last: { at: string; source: "redirect" | "snippet" } | null;
    /** Clicks looked at (the latest, at most SAMPLED_CLICKS) and how many of them the site snippet recorded. */
    sampled: number;
    snippet: number;
    lastSnippetAt: string | null;
  };
  conversions: {
    /** Conversions looked at: the latest, at most SAMPLED_CONVERSIONS, refunds included. */
    sampled: number;
    lastLeadAt: string | null;
    lastSaleAt: string | null;
    lastRefundAt: string | null;
    /** Of the sampled leads and sales: credited to a partner. */
    credited: number;
    /** Not credited, and carried nothing to credit: no click id, no touchpoints, no coupon code. */
    nothingPresented: number;
    /** Not credited, and presented a click id that failed its signature check (damaged, forged, another install). */
    rejectedClickId: number;
    /** Not credited, with a coupon code no active partner holds (unknown, disabled, or its partner not active). */
    unknownCoupon: number;
    /** Not credited: its clicks were outside the window, after the conversion or of partners not active. */
    excluded: number;
  };
  /** Sales sent with `Prefer: respond-async`: still waiting to be recorded, and refused in the last 30 days. */
  intake: { waiting: number; refused: number };
}

interface ConversionSample {
  kind: "lead" | "sale" | "refund";
  occurred_at: Date | string;
  attributed: boolean;
  reason: string | null;
  coupon_code: string | null;
  rejected: boolean;
}

const iso = (value: Date | string | undefined) => (value === undefined ? null : new Date(value).toISOString());

/**
 * Whether a program's tracking is wired up, from what actually arrived: the latest clicks (the redirect, the site
 * snippet) and the latest conversions, with why the ones not credited were not (the vendor forgot the click id,
 * sent a damaged one, a coupon nobody holds). Reads a bounded sample through the programs' time indexes.
 */
export async function integrationStatus(ctx: Ctx, programId: string): Promise<IntegrationStatus> {
  const program = await findProgram(ctx.db, programId);
  if (!program) throw new AppError("not_found", `program ${programId} not found`);
  const refusedSince = new Date(ctx.clock.now().getTime() - INTAKE_KEPT_DAYS * 86_400_000);
  const [clickRows, conversionRows, [intake]] = await Promise.all([
    selectRows<{ at: Date | string; source: "redirect" | "snippet" }>(
      ctx.db,
      sql`select at, source from clicks where program_id = ${program.id} order by at desc limit ${SAMPLED_CLICKS}`,
    ),
    selectRows<ConversionSample>(
      ctx.db,
      sql`select kind, occurred_at, attributed, decision->>'reason' as reason, coupon_code,
            coalesce(jsonb_array_length(decision->'rejectedClickIds'), 0) > 0 as rejected
          from conversions where program_id = ${program.id}
          order by occurred_at desc limit ${SAMPLED_CONVERSIONS}`,
    ),
    // The intake holds only what waits and what was refused or retried lately (recorded sales leave it): counted
    // whole through the leading program_id of its unique key. A refusal stops counting after 30 days, even before
    // the intake sweep prunes it.
    selectRows<{ waiting: number; refused: number }>(
      ctx.db,
      sql`select count(*) filter (where status = 'queued')::int as waiting,
            count(*) filter (where status = 'refused' and processed_at >= ${refusedSince.toISOString()}::timestamptz)::int
              as refused
          from conversion_intake where program_id = ${program.id}`,
    ),
  ]);
  const snippetClicks = clickRows.filter((c) => c.source === "snippet");
  const lastOf = (kind: ConversionSample["kind"]) => iso(conversionRows.find((c) => c.kind === kind)?.occurred_at);
  const conversions: IntegrationStatus["conversions"] = {
    sampled: conversionRows.length,
    lastLeadAt: lastOf("lead"),
    lastSaleAt: lastOf("sale"),
    lastRefundAt: lastOf("refund"),
    credited: 0,
    nothingPresented: 0,
    rejectedClickId: 0,
    unknownCoupon: 0,
    excluded: 0,
  };
  const tally: Record<UncreditedReason, "nothingPresented" | "rejectedClickId" | "unknownCoupon" | "excluded"> = {
    no_touchpoints: "nothingPresented",
    rejected_click_id: "rejectedClickId",
    unknown_coupon: "unknownCoupon",
    all_touchpoints_excluded: "excluded",
  };
  for (const c of conversionRows) {
    if (c.kind === "refund") continue;
    if (c.attributed) {
      conversions.credited += 1;
      continue;
    }
    const reason = uncreditedReason({
      reason: c.reason === "all_touchpoints_excluded" ? c.reason : "no_touchpoints",
      rejectedClickId: c.rejected,
      couponCode: c.coupon_code,
    });
    conversions[tally[reason]] += 1;
  }
  const last = clickRows[0];
  return {
    clicks: {
      last: last ? { at: iso(last.at)!, source: last.source } : null,
      sampled: clickRows.length,
      snippet: snippetClicks.length,
      lastSnippetAt: iso(snippetClicks[0]?.at),
    },
    conversions,
    intake: { waiting: intake?.waiting ?? 0, refused: intake?.refused ?? 0 },
  };
}
