import { useQuery } from "@tanstack/react-query";
import { Link } from "react-router";
import { api } from "../shared/api.js";
import { formatDate, formatRelative } from "../shared/format.js";
import { SkeletonRows } from "../shared/loading.js";
import { REFRESH_MS } from "../shared/performance-series.js";
import { QueryError } from "../shared/query-error.js";
import type { Program } from "../shared/types.js";
import { Check } from "./check-item.js";

interface IntegrationStatus {
  clicks: {
    last: { at: string; source: "redirect" | "snippet" } | null;
    sampled: number;
    snippet: number;
    lastSnippetAt: string | null;
  };
  conversions: {
    sampled: number;
    lastLeadAt: string | null;
    lastSaleAt: string | null;
    lastRefundAt: string | null;
    credited: number;
    nothingPresented: number;
    rejectedClickId: number;
    unknownCoupon: number;
    excluded: number;
  };
  /** Leads and sales sent with Prefer: respond-async: waiting to be recorded, refused in the last 30 days. */
  intake: { waiting: number; refused: number };
}

const when = (iso: string) => <time title={formatDate(iso)}>{formatRelative(iso)}</time>;
const plural = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString()} ${n === 1 ? one : many}`;

/**
 * What has actually arrived, refreshed by itself while the vendor installs: clicks (through partner links and the
 * site snippet), leads and sales, and why any of the latest were not credited — the mistakes an install makes.
 */
export function IntegrationStatusCard({ program }: { program: Program }) {
  const query = useQuery({
    queryKey: ["admin", "integration-status", program.id],
    queryFn: () => api.get<IntegrationStatus>(`/v1/programs/${encodeURIComponent(program.id)}/integration-status`),
    refetchInterval: REFRESH_MS,
  });
  return (
    <section className="card" aria-label="Live status">
      <h2 className="card-title">Live status</h2>
      {query.isPending ? (
        <SkeletonRows rows={3} columns={1} />
      ) : query.isError ? (
        <QueryError error={query.error} onRetry={() => query.refetch()} />
      ) : (
        <StatusChecks status={query.data} program={program} />
      )}
    </section>
  );
}

function StatusChecks({ status, program }: { status: IntegrationStatus; program: Program }) {
  const { clicks, conversions: c } = status;
  const leadsAndSales = c.credited + c.nothingPresented + c.rejectedClickId + c.unknownCoupon + c.excluded;
  const credited =
    leadsAndSales === 1
      ? `The latest lead or sale was ${c.credited ? "" : "not "}credited to a partner`
      : `${c.credited.toLocaleString()} of the latest ${leadsAndSales.toLocaleString()} leads and sales credited to partners`;
  const latest = (
    [
      ["sale", c.lastSaleAt],
      ["lead", c.lastLeadAt],
      ["refund", c.lastRefundAt],
    ] satisfies [string, string | null][]
  ).filter((pair): pair is [string, string] => pair[1] !== null);
  return (
    <ul className="checklist">
      {clicks.last ? (
        <Check state="ok">
          Last click {when(clicks.last.at)},{" "}
          {clicks.last.source === "snippet" ? "recorded by the site snippet" : "through a partner link"}
        </Check>
      ) : (
        <Check state="waiting">No clicks yet: open one of your partners' links to try one</Check>
      )}
      {/* The snippet's own line, unless the latest click (just said) was the snippet's. */}
      {program.allowedDomains.length > 0 &&
        clicks.last?.source !== "snippet" &&
        (clicks.lastSnippetAt ? (
          <Check state="ok">The site snippet recorded a visit {when(clicks.lastSnippetAt)}</Check>
        ) : (
          <Check state="waiting">
            The site snippet has recorded no <code>?via=</code> visit
            {clicks.sampled > 0 ? ` among the latest ${plural(clicks.sampled, "click")}` : " yet"}
          </Check>
        ))}
      {c.lastSaleAt || c.lastLeadAt ? (
        <Check state="ok">
          {latest.map(([kind, at], i) => (
            <span key={kind}>
              {i === 0 ? "Last" : ", last"} {kind} {when(at)}
            </span>
          ))}
        </Check>
      ) : (
        <Check state="waiting">No lead or sale received yet: report one from your server (step 3)</Check>
      )}
      {leadsAndSales > 0 && <Check state={c.credited > 0 ? "ok" : "todo"}>{credited}</Check>}
      {c.nothingPresented > 0 && (
        <Check state="todo">
          {c.nothingPresented.toLocaleString()} with no click id or coupon code: pass <code>Tributary.clickId()</code>{" "}
          along with the signup or order (step 2)
        </Check>
      )}
      {c.rejectedClickId > 0 && (
        <Check state="todo">
          {c.rejectedClickId.toLocaleString()} with a click id that failed its signature check: send the id exactly as
          the snippet gives it
        </Check>
      )}
      {c.unknownCoupon > 0 && (
        <Check state="todo">{c.unknownCoupon.toLocaleString()} with a coupon code no active partner holds</Check>
      )}
      {status.intake.refused > 0 && (
        <Check state="todo">
          {plural(status.intake.refused, "async lead or sale", "async leads and sales")} refused in the last 30 days:
          see why under <Link to={`/admin/programs/${program.id}/conversions`}>Conversions</Link>, then send again
        </Check>
      )}
      {status.intake.waiting > 0 && (
        <Check state="waiting">
          {plural(status.intake.waiting, "async lead or sale", "async leads and sales")} waiting to be recorded
        </Check>
      )}
      {c.excluded > 0 && (
        <Check state="waiting">
          {c.excluded.toLocaleString()} with only clicks older than the {program.cookieWindowDays}-day window or of
          partners no longer active
        </Check>
      )}
    </ul>
  );
}
