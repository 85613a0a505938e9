import { Link, useParams } from "react-router";
import { formatDate } from "../shared/format.js";
import { EditIcon, ExternalIcon } from "../shared/icons.js";
import { programTypeLabels } from "../shared/labels.js";
import { PageLoading } from "../shared/loading.js";
import { PageHeader } from "../shared/page-header.js";
import { QueryError } from "../shared/query-error.js";
import { ProgramStatusBadge } from "../shared/status-badge.js";
import type { Program } from "../shared/types.js";
import { useProgramQuery } from "./admin-queries.js";
import { ConversionsPanel } from "./conversions-panel.js";
import { NotFoundPanel } from "./not-found-panel.js";
import { ProgramClicksTab } from "./program-clicks-tab.js";
import { ProgramCommissionsTab } from "./program-commissions-tab.js";
import { ProgramCouponsTab } from "./program-coupons-tab.js";
import { ProgramFraudRulesTab } from "./program-fraud-rules-tab.js";
import { ProgramInstallTab } from "./program-install-tab.js";
import { ProgramLinksTab } from "./program-links-tab.js";
import { ProgramOverview } from "./program-overview.js";
import { ProgramPerformanceTab } from "./program-performance-tab.js";
import { PROGRAM_TABS, ProgramTabs } from "./program-tabs.js";
import { ProgramTrackingTab } from "./program-tracking-tab.js";
import { useMe } from "./use-me.js";

function TabContent({ tab, program }: { tab: string; program: Program }) {
  switch (tab) {
    case "performance":
      return <ProgramPerformanceTab program={program} />;
    case "links":
      return <ProgramLinksTab program={program} />;
    case "coupons":
      return <ProgramCouponsTab program={program} />;
    case "conversions":
      return <ConversionsPanel programId={program.id} />;
    case "commissions":
      return <ProgramCommissionsTab program={program} />;
    case "clicks":
      return <ProgramClicksTab program={program} />;
    case "tracking":
      return <ProgramTrackingTab program={program} />;
    case "install":
      return <ProgramInstallTab program={program} />;
    case "fraud-rules":
      return <ProgramFraudRulesTab program={program} />;
    default:
      return <ProgramOverview program={program} />;
  }
}

/** /admin/programs/:id and its sections (/performance, /links, …). */
export function ProgramDetailPage() {
  const { id = "", tab = "" } = useParams();
  const { can } = useMe();
  const query = useProgramQuery(id);
  if (!PROGRAM_TABS.some((t) => t.tab === tab)) return <NotFoundPanel />;
  if (query.isPending) return <PageLoading />;
  if (query.isError)
    return (
      <div className="page">
        <QueryError error={query.error} onRetry={() => query.refetch()} />
      </div>
    );
  const program = query.data;
  return (
    <div className="page">
      <PageHeader
        title={program.name}
        back={{ to: "/admin/programs", label: "Programs" }}
        meta={
          <>
            <ProgramStatusBadge status={program.status} />
            <span>{programTypeLabels[program.type]}</span>
            <span>Created {formatDate(program.createdAt)}</span>
          </>
        }
        actions={
          <>
            <a className="btn btn-secondary" href={program.applyUrl} target="_blank" rel="noreferrer">
              <ExternalIcon size={16} /> View public page
            </a>
            {can("programs:write") && (
              <Link className="btn btn-primary" to={`/admin/programs/${program.id}/edit`}>
                <EditIcon size={16} /> Edit program
              </Link>
            )}
          </>
        }
      />
      <ProgramTabs programId={program.id} />
      <TabContent tab={tab} program={program} />
    </div>
  );
}
