import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api } from "../shared/api.js";
import { Button } from "../shared/button.js";
import { useToast } from "../shared/toast.js";
import type { TrackingLink } from "../shared/types.js";
import { adminKeys } from "./admin-queries.js";

/** Disable a link (its visits go nowhere and count nothing) or enable it again. */
export function LinkToggleButton({ link }: { link: TrackingLink }) {
  const queryClient = useQueryClient();
  const toast = useToast();
  const toggle = useMutation({
    mutationFn: () => api.patch<TrackingLink>(`/v1/links/${link.id}`, { disabled: !link.disabled }),
    onSuccess: (updated) => {
      queryClient.invalidateQueries({ queryKey: adminKeys.links });
      toast.success(`/r/${updated.slug} ${updated.disabled ? "disabled" : "enabled"}`);
    },
    onError: (error) => toast.error(error.message),
  });
  return (
    <Button
      size="sm"
      variant="ghost"
      loading={toggle.isPending}
      onClick={() => toggle.mutate()}
      aria-label={`${link.disabled ? "Enable" : "Disable"} /r/${link.slug}`}
    >
      {link.disabled ? "Enable" : "Disable"}
    </Button>
  );
}
