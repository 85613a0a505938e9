import { Link } from "react-router";
import { EmptyState } from "../shared/empty-state.js";
import { PlusIcon, ProgramsIcon } from "../shared/icons.js";
import { PageLoading } from "../shared/loading.js";
import { PageHeader } from "../shared/page-header.js";
import { QueryError } from "../shared/query-error.js";
import { useProgramsQuery } from "./admin-queries.js";
import { ProgramCard } from "./program-card.js";
import { useMe } from "./use-me.js";

export function ProgramsPage() {
  const { can } = useMe();
  const programs = useProgramsQuery();
  const newButton = can("programs:write") && (
    <Link to="/admin/programs/new" className="btn btn-primary">
      <PlusIcon size={16} /> New program
    </Link>
  );
  return (
    <div className="page">
      <PageHeader
        title="Programs"
        description="Each program has its own terms, application questions and public application page."
        actions={programs.data?.length ? newButton : undefined}
      />
      {programs.isPending ? (
        <PageLoading />
      ) : programs.isError ? (
        <QueryError error={programs.error} onRetry={() => programs.refetch()} />
      ) : programs.data.length === 0 ? (
        <div className="card">
          <EmptyState icon={<ProgramsIcon size={28} />} title="Create your first program" action={newButton}>
            A program is what partners apply to: an affiliate program, a referral scheme or a reseller network. Give it
            terms and a few application questions, then share its public page.
          </EmptyState>
        </div>
      ) : (
        <div className="program-grid">
          {programs.data.map((program) => (
            <ProgramCard key={program.id} program={program} />
          ))}
        </div>
      )}
    </div>
  );
}
