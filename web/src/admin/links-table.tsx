import { useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Link } from "react-router";
import { api } from "../shared/api.js";
import { Badge } from "../shared/badge.js";
import { Button } from "../shared/button.js";
import { CopyButton } from "../shared/copy-button.js";
import { displayUrl, formatDate, linkAddress } from "../shared/format.js";
import { EditIcon, PointerIcon } from "../shared/icons.js";
import { LinkDestinationDialog } from "../shared/link-destination-dialog.js";
import { figuresOf, LinkFiguresCell, LinkFiguresHeader, type LinkFiguresState } from "../shared/link-figures.js";
import { useToast } from "../shared/toast.js";
import type { TrackingLink } from "../shared/types.js";
import { adminKeys } from "./admin-queries.js";
import { LinkToggleButton } from "./link-toggle-button.js";

interface LinksTableProps {
  links: TrackingLink[];
  /** The second column: the partner (program page) or the program (partner page). */
  owner: { heading: string; name: (link: TrackingLink) => string; href: (link: TrackingLink) => string };
  defaultLanding: (link: TrackingLink) => string | null;
  /** What each link brought lately (the column says over which period). */
  figures: LinkFiguresState;
  /**
   * Where each link goes in a column of its own (default), or under the link's name: for a narrow card (the
   * partner page's), where five columns and the actions do not fit side by side.
   */
  destination?: "column" | "under-link";
  canWrite: boolean;
}

/**
 * Tracking links with their destination, what each brought lately (clicks, leads, sales, the partner's credited
 * revenue), a copy button, a way to their clicks and a disable switch.
 */
export function LinksTable({
  links,
  owner,
  defaultLanding,
  figures,
  destination = "column",
  canWrite,
}: LinksTableProps) {
  const queryClient = useQueryClient();
  const toast = useToast();
  const [editing, setEditing] = useState<TrackingLink>();
  return (
    <>
      <table className="table table-stacks">
        <thead>
          <tr>
            <th scope="col">Link</th>
            <th scope="col">{owner.heading}</th>
            {destination === "column" && <th scope="col">Destination</th>}
            <LinkFiguresHeader />
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {links.map((link) => {
            const landing = link.destinationUrl ?? defaultLanding(link);
            return (
              <tr key={link.id} className={link.disabled ? "row-muted" : undefined}>
                <td>
                  <div className="cell-title mono">/r/{link.slug}</div>
                  {destination === "under-link" && (
                    <div className="cell-sub link-destination" title={landing ?? undefined}>
                      Goes to {landing ? displayUrl(landing) : "the program's landing page"}
                    </div>
                  )}
                  <div className="cell-sub badge-row">
                    {link.isDefault && (
                      <Badge tone="accent" dot={false}>
                        Default
                      </Badge>
                    )}
                    {link.disabled && <Badge tone="muted">Disabled</Badge>}
                    {!link.isDefault && !link.disabled && <span>Created {formatDate(link.createdAt)}</span>}
                  </div>
                </td>
                <td>
                  <Link className="cell-link" to={owner.href(link)}>
                    {owner.name(link)}
                  </Link>
                </td>
                {destination === "column" && (
                  <td className="cell-url" title={landing ?? undefined}>
                    {landing ? displayUrl(landing) : "—"}
                    {!link.destinationUrl && <div className="cell-sub">Program landing page</div>}
                  </td>
                )}
                <LinkFiguresCell
                  figures={figuresOf(figures, link.id)}
                  loading={figures.loading}
                  revenueWords="revenue"
                />
                <td className="cell-actions">
                  <div className="action-row">
                    {/* A disabled link answers with the not-found page: nothing to share. */}
                    {!link.disabled && <CopyButton value={linkAddress(link)} label={`link /r/${link.slug}`} iconOnly />}
                    <Link
                      className="btn btn-secondary btn-sm btn-icon"
                      to={`/admin/programs/${link.programId}/clicks?partnerId=${link.partnerId}&linkId=${link.id}`}
                      aria-label={`Clicks on /r/${link.slug}`}
                      title="Clicks on this link"
                    >
                      <PointerIcon size={15} />
                    </Link>
                    {canWrite && (
                      <Button
                        size="sm"
                        className="btn-icon"
                        onClick={() => setEditing(link)}
                        aria-label={`Change destination of /r/${link.slug}`}
                        title="Change destination"
                      >
                        <EditIcon size={15} />
                      </Button>
                    )}
                    {canWrite && <LinkToggleButton link={link} />}
                  </div>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {editing && (
        <LinkDestinationDialog
          link={editing}
          save={(destinationUrl) => api.patch<TrackingLink>(`/v1/links/${editing.id}`, { destinationUrl })}
          onSaved={(updated) => {
            queryClient.invalidateQueries({ queryKey: adminKeys.links });
            toast.success(`/r/${updated.slug} now goes to ${updated.destinationUrl ?? "the program's landing page"}`);
            setEditing(undefined);
          }}
          onClose={() => setEditing(undefined)}
        />
      )}
    </>
  );
}
