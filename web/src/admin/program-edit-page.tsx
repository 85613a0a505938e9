import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useNavigate, useParams } from "react-router";
import { api } from "../shared/api.js";
import { PageLoading } from "../shared/loading.js";
import { PageHeader } from "../shared/page-header.js";
import { QueryError } from "../shared/query-error.js";
import { useToast } from "../shared/toast.js";
import type { Program, ProgramInput } from "../shared/types.js";
import { adminKeys, useProgramQuery } from "./admin-queries.js";
import { draftFromProgram } from "./program-draft.js";
import { ProgramForm } from "./program-form.js";

export function ProgramEditPage() {
  const { id = "" } = useParams();
  const program = useProgramQuery(id);
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const toast = useToast();
  const save = useMutation({
    mutationFn: (input: Partial<ProgramInput>) => api.patch<Program>(`/v1/programs/${encodeURIComponent(id)}`, input),
    onSuccess: (updated) => {
      queryClient.setQueryData(adminKeys.program(id), updated);
      queryClient.invalidateQueries({ queryKey: adminKeys.programs });
      toast.success("Program saved");
      navigate(`/admin/programs/${id}`);
    },
  });
  if (program.isPending) return <PageLoading />;
  if (program.isError)
    return (
      <div className="page">
        <QueryError error={program.error} onRetry={() => program.refetch()} />
      </div>
    );
  return (
    <div className="page">
      <PageHeader
        title={`Edit ${program.data.name}`}
        back={{ to: `/admin/programs/${id}`, label: program.data.name }}
      />
      <ProgramForm
        key={program.data.updatedAt}
        initial={draftFromProgram(program.data)}
        mode="edit"
        error={save.error}
        saving={save.isPending}
        cancelTo={`/admin/programs/${id}`}
        onSubmit={(input) => {
          // Unchanged terms are left out so that saving other fields never publishes a new terms version.
          const { termsText, ...rest } = input;
          save.mutate(termsText === program.data.termsText ? rest : input);
        }}
      />
    </div>
  );
}
