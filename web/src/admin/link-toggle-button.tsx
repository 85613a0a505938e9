import { useQueryClient } from "@tanstack/react-query";
import { LinkToggleButton as Toggle } from "../shared/link-toggle-button.js";
import type { TrackingLink } from "../shared/types.js";
import { adminKeys } from "./admin-queries.js";

/** The console's: any partner's link, through /v1/links. */
export function LinkToggleButton({ link }: { link: TrackingLink }) {
  const queryClient = useQueryClient();
  return (
    <Toggle
      link={link}
      path={`/v1/links/${link.id}`}
      audience="the partner's"
      onUpdated={() => queryClient.invalidateQueries({ queryKey: adminKeys.links })}
    />
  );
}
