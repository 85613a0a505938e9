import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { api } from "./api.js";
import { Button } from "./button.js";
import { ConfirmDialog } from "./confirm-dialog.js";
import { useToast } from "./toast.js";
import type { TrackingLink } from "./types.js";

/**
 * Disable a link (its visits get the not-found page and count nothing) or enable it again. Disabling asks first:
 * a link may be printed, posted and in ads, and one stray click would break every copy of it at once. Enabling
 * does not: it only brings a link back.
 */
export function LinkToggleButton({
  link,
  path,
  onUpdated,
  audience,
}: {
  link: TrackingLink;
  /** PATCH endpoint of the link: the console's or the portal's. */
  path: string;
  onUpdated: (updated: TrackingLink) => void;
  /** Whose audience follows the link, for the warning: "your" in the portal, "the partner's" in the console. */
  audience: string;
}) {
  const toast = useToast();
  const [confirming, setConfirming] = useState(false);
  const toggle = useMutation({
    mutationFn: () => api.patch<TrackingLink>(path, { disabled: !link.disabled }),
    onSuccess: (updated) => {
      setConfirming(false);
      onUpdated(updated);
      toast.success(`/r/${updated.slug} ${updated.disabled ? "disabled" : "enabled"}`);
    },
    onError: (error) => toast.error(error.message),
  });
  return (
    <>
      <Button
        size="sm"
        variant="ghost"
        loading={toggle.isPending && !confirming}
        onClick={() => (link.disabled ? toggle.mutate() : setConfirming(true))}
        aria-label={`${link.disabled ? "Enable" : "Disable"} /r/${link.slug}`}
      >
        {link.disabled ? "Enable" : "Disable"}
      </Button>
      <ConfirmDialog
        open={confirming}
        onClose={() => setConfirming(false)}
        title={`Disable /r/${link.slug}?`}
        description={`Everyone who follows it from then on, ${audience} audience included, gets a "link not found" page instead of the site, and no click or sale is credited through it. You can enable it again.`}
        confirmLabel="Disable link"
        pending={toggle.isPending}
        onConfirm={() => toggle.mutate()}
      />
    </>
  );
}
