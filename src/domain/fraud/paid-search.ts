import { sql } from "drizzle-orm";
import { type Db, selectRows } from "../../db/client.js";
import type { AdClickParam, AdNetwork } from "../../db/schema/index.js";
import { AD_NETWORK_NAMES } from "../tracking/ad-click.js";
import type { RuleSet, RuleThresholds } from "./fraud-rules.js";
import type { NewDecision } from "./record-decisions.js";

/** Which paid_search threshold counts which network. */
const NETWORK_SWITCHES: Record<keyof RuleThresholds<"paid_search">, AdNetwork> = {
  googleAds: "google_ads",
  microsoftAds: "microsoft_ads",
  googleDisplay: "google_display",
  yandexOrYahooJapan: "yandex_or_yahoo_japan",
};

export const countedNetworks = (rules: RuleSet): AdNetwork[] => {
  const t = rules.paid_search.thresholds;
  return (Object.keys(NETWORK_SWITCHES) as (keyof typeof NETWORK_SWITCHES)[])
    .filter((key) => t[key])
    .map((key) => NETWORK_SWITCHES[key]);
};

export interface AdClickRow {
  clickId: string;
  /** ISO 8601, UTC. */
  clickedAt: string;
  source: "redirect" | "snippet";
  adNetwork: AdNetwork;
  adClickParam: AdClickParam | null;
}

/** "the partner link was opened from a Google Ads click (gclid) on 2026-11-20 14:03 UTC" */
export function paidSearchDetail(click: AdClickRow): string {
  const opened = click.source === "snippet" ? "the page of the ?via= click" : "the partner link";
  const param = click.adClickParam ? ` (${click.adClickParam})` : "";
  const when = `${click.clickedAt.slice(0, 10)} ${click.clickedAt.slice(11, 16)} UTC`;
  return `${opened} was opened from a ${AD_NETWORK_NAMES[click.adNetwork]} click${param} on ${when}`;
}

/**
 * paid_search: conversions whose credited click (the top partner's latest click before it) came from a paid ad
 * of a counted network. It reads the click row, which the click writer may not have written yet when the
 * conversion is screened (attribution never reads click rows), so it runs in the sweep: on every conversion the
 * sweep has not finished with, until the rule has decided it, so a click row that arrives late is still seen.
 * No window to wait for: a conversion is decided by the first sweep after it.
 */
export async function paidSearchDecisions(db: Db, programId: string, rules: RuleSet): Promise<NewDecision[]> {
  const rule = rules.paid_search;
  const networks = countedNetworks(rules);
  if (!rule.enabled || networks.length === 0) return [];
  const rows = await selectRows<{
    conversion_id: string;
    partner_id: string;
    click_id: string;
    clicked_at: string;
    source: "redirect" | "snippet";
    ad_network: AdNetwork;
    ad_click_param: AdClickParam | null;
  }>(
    db,
    sql`select s.conversion_id, s.partner_id, c.id as click_id, c.source, c.ad_network, c.ad_click_param,
          to_char(c.at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as clicked_at
        from conversion_screens s
        join clicks c on c.id = s.click_id and c.program_id = s.program_id
        where s.program_id = ${programId} and s.swept_at is null
          and c.ad_network = any(${sql.param(networks)}::text[])
          and not exists (select 1 from fraud_decisions d where d.conversion_id = s.conversion_id and d.rule = 'paid_search')`,
  );
  return rows.map((r) => {
    const click: AdClickRow = {
      clickId: r.click_id,
      clickedAt: r.clicked_at,
      source: r.source,
      adNetwork: r.ad_network,
      adClickParam: r.ad_click_param,
    };
    return {
      rule: "paid_search" as const,
      action: rule.action,
      conversionId: r.conversion_id,
      programId,
      partnerId: r.partner_id,
      evidence: {
        detail: paidSearchDetail(click),
        adNetwork: click.adNetwork,
        adClickParam: click.adClickParam,
        clickedAt: click.clickedAt,
        clickSource: click.source,
        clickId: click.clickId,
      },
    };
  });
}
