import { useState } from "react";
import { BreakdownCard } from "../shared/breakdown-card.js";
import { PageHeader } from "../shared/page-header.js";
import { PerformancePanel } from "../shared/performance-panel.js";
import { SelectField } from "../shared/select-field.js";
import { usePortalEnrollmentsQuery } from "./portal-queries.js";
import { RecentConversionsCard } from "./recent-conversions-card.js";

/** /portal/performance — clicks, leads, sales and revenue over time and the latest conversions, for one program or all. */
export function PerformancePage() {
  const enrollments = usePortalEnrollmentsQuery();
  const [programId, setProgramId] = useState("");
  // One range for the page: the totals and "What performs" count the same days.
  const [days, setDays] = useState(30);
  const programs = (enrollments.data ?? []).map((e) => ({
    value: e.programId,
    label: e.programDetails.name,
    currency: e.programDetails.currency,
  }));
  const chosen = programs.find((p) => p.value === programId);
  return (
    <div className="portal-page">
      <PageHeader
        title="Performance"
        description="What your links and codes bring in. Updates by itself every few seconds."
        actions={
          programs.length > 0 && (
            <SelectField
              label="Program"
              value={programId}
              onChange={setProgramId}
              options={programs}
              placeholder="All programs"
              className="header-filter"
            />
          )
        }
      />
      <div className="stack-lg">
        <PerformancePanel
          path="/v1/portal/stats"
          area="portal"
          params={{ programId: programId || undefined }}
          title={chosen ? chosen.label : "All programs"}
          currency={chosen?.currency ?? programs[0]?.currency}
          days={days}
          onDaysChange={setDays}
        />
        <BreakdownCard
          path="/v1/portal/breakdown"
          area="portal"
          params={{ programId: programId || undefined }}
          days={days}
        />
        <RecentConversionsCard programId={programId || undefined} />
      </div>
    </div>
  );
}
