import { useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { api } from "../shared/api.js";
import { Badge } from "../shared/badge.js";
import { Button } from "../shared/button.js";
import { CopyButton } from "../shared/copy-button.js";
import { displayUrl, formatDate, linkAddress } from "../shared/format.js";
import { PlusIcon, TagIcon } from "../shared/icons.js";
import { LinkDestinationDialog } from "../shared/link-destination-dialog.js";
import { figuresOf, LinkFiguresCell, LinkFiguresHeader, type LinkFiguresState } from "../shared/link-figures.js";
import { LinkToggleButton } from "../shared/link-toggle-button.js";
import { NewLinkDialog } from "../shared/new-link-dialog.js";
import { useToast } from "../shared/toast.js";
import type { Coupon, PortalEnrollment, TrackingLink } from "../shared/types.js";
import { LinkHero, REVENUE_WORDS } from "./link-hero.js";
import { portalKeys } from "./portal-queries.js";

function LinkToggle({ link }: { link: TrackingLink }) {
  const queryClient = useQueryClient();
  return (
    <LinkToggleButton
      link={link}
      path={`/v1/portal/links/${link.id}`}
      audience="your"
      onUpdated={(updated) =>
        queryClient.setQueryData<TrackingLink[]>(portalKeys.links, (list) =>
          list?.map((l) => (l.id === updated.id ? updated : l)),
        )
      }
    />
  );
}

/** One program's links and coupon codes in the portal, each link with what it brought lately. */
export function ProgramLinksCard({
  enrollment,
  links,
  coupons,
  figures,
}: {
  enrollment: PortalEnrollment;
  links: TrackingLink[];
  coupons: Coupon[];
  figures: LinkFiguresState;
}) {
  const queryClient = useQueryClient();
  const toast = useToast();
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<TrackingLink>();
  const details = enrollment.programDetails;
  const main = links.find((l) => l.isDefault);
  const custom = links.filter((l) => !l.isDefault);
  const canCreate = enrollment.status === "active" || enrollment.status === "approved";
  // A link without a destination of its own follows the program's landing page.
  const landing = (link: TrackingLink) => link.destinationUrl ?? details.defaultLandingUrl;
  return (
    <article className="card card-flush links-card" aria-label={details.name}>
      <div className="card-head">
        <div>
          <h2 className="card-title">{details.name}</h2>
          <p className="card-subtitle">
            Visitors are credited to you for {details.cookieWindowDays} days after they click.
          </p>
        </div>
        {canCreate && (
          <Button icon={<PlusIcon size={16} />} onClick={() => setCreating(true)}>
            New link
          </Button>
        )}
      </div>
      {main && <LinkHero link={main} programName={details.name} landing={landing(main)} figures={figures} />}
      {custom.length > 0 && (
        <table className="table links-table table-stacks">
          <thead>
            <tr>
              <th scope="col">Custom link</th>
              <th scope="col">Destination</th>
              <th scope="col">Created</th>
              <LinkFiguresHeader />
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {custom.map((link) => (
              <tr key={link.id} className={link.disabled ? "row-muted" : undefined}>
                <td className="link-name-cell">
                  <div className="cell-title mono">/r/{link.slug}</div>
                  {link.disabled && <Badge tone="muted">Disabled</Badge>}
                </td>
                <td className="cell-url" title={landing(link) ?? undefined}>
                  {landing(link) ? displayUrl(landing(link)!) : "Program landing page"}
                </td>
                <td className="nowrap">{formatDate(link.createdAt)}</td>
                <LinkFiguresCell
                  figures={figuresOf(figures, link.id)}
                  loading={figures.loading}
                  revenueWords={REVENUE_WORDS}
                />
                <td className="cell-actions">
                  <div className="action-row">
                    {!link.disabled && <CopyButton value={linkAddress(link)} label={`link /r/${link.slug}`} />}
                    <Button
                      size="sm"
                      variant="ghost"
                      onClick={() => setEditing(link)}
                      aria-label={`Change destination of /r/${link.slug}`}
                    >
                      Edit
                    </Button>
                    <LinkToggle link={link} />
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <div className="coupon-strip">
        <span className="coupon-strip-label">
          <TagIcon size={16} /> Coupon codes
        </span>
        {coupons.length === 0 ? (
          <span className="muted small">
            None yet. Ask the partner team for a code your audience can use at checkout.
          </span>
        ) : (
          <ul className="coupon-list">
            {coupons.map((coupon) => (
              <li key={coupon.id} className={coupon.disabled ? "coupon coupon-disabled" : "coupon"}>
                <code>{coupon.code}</code>
                {coupon.disabled ? (
                  <span className="coupon-state">Disabled</span>
                ) : (
                  <CopyButton value={coupon.code} label={`coupon ${coupon.code}`} variant="ghost" iconOnly />
                )}
              </li>
            ))}
          </ul>
        )}
      </div>
      {editing && (
        <LinkDestinationDialog
          link={editing}
          save={(destinationUrl) => api.patch<TrackingLink>(`/v1/portal/links/${editing.id}`, { destinationUrl })}
          onSaved={(updated) => {
            queryClient.setQueryData<TrackingLink[]>(portalKeys.links, (list) =>
              list?.map((l) => (l.id === updated.id ? updated : l)),
            );
            toast.success(`/r/${updated.slug} updated`);
            setEditing(undefined);
          }}
          onClose={() => setEditing(undefined)}
        />
      )}
      {creating && (
        <NewLinkDialog
          enrollments={[{ id: enrollment.id, label: details.name }]}
          description={`A link for ${details.name} that lands on the page you choose.`}
          destinationHint={
            details.allowedDomains.length > 0
              ? `A page on ${details.allowedDomains.join(", ")} (or a subdomain).`
              : "A page on the vendor's website."
          }
          create={({ enrollmentId, ...body }) =>
            api.post<TrackingLink>(`/v1/portal/enrollments/${enrollmentId}/links`, body)
          }
          onCreated={(link) => {
            // Newest first, where the server lists it too.
            queryClient.setQueryData<TrackingLink[]>(portalKeys.links, (list) => [link, ...(list ?? [])]);
            toast.success(`/r/${link.slug} created`);
            setCreating(false);
          }}
          onClose={() => setCreating(false)}
        />
      )}
    </article>
  );
}
