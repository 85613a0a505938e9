import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useNavigate } from "react-router";
import { api } from "../shared/api.js";
import { PageHeader } from "../shared/page-header.js";
import { useToast } from "../shared/toast.js";
import type { Program, ProgramInput } from "../shared/types.js";
import { adminKeys } from "./admin-queries.js";
import { emptyProgramDraft } from "./program-draft.js";
import { ProgramForm } from "./program-form.js";

export function ProgramNewPage() {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const toast = useToast();
  const create = useMutation({
    mutationFn: (input: ProgramInput) => api.post<Program>("/v1/programs", input),
    onSuccess: (program) => {
      queryClient.invalidateQueries({ queryKey: adminKeys.programs });
      queryClient.setQueryData(adminKeys.program(program.id), program);
      toast.success(`${program.name} created`);
      navigate(`/admin/programs/${program.id}`);
    },
  });
  return (
    <div className="page">
      <PageHeader
        title="New program"
        description="You can change everything later."
        back={{ to: "/admin/programs", label: "Programs" }}
      />
      <ProgramForm
        initial={emptyProgramDraft()}
        mode="create"
        error={create.error}
        saving={create.isPending}
        cancelTo="/admin/programs"
        onSubmit={(input) => create.mutate(input)}
      />
    </div>
  );
}
