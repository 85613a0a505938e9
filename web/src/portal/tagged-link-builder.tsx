import { useState } from "react";
import { Button } from "../shared/button.js";
import { CopyButton } from "../shared/copy-button.js";
import { linkAddress } from "../shared/format.js";
import { QrCodeIcon } from "../shared/icons.js";
import { SelectField } from "../shared/select-field.js";
import { TextField } from "../shared/text-field.js";
import type { PortalEnrollment, TrackingLink } from "../shared/types.js";
import { landingPage } from "./landing-page.js";
import { QrCodeDialog } from "./qr-code-dialog.js";

const SUB_IDS = ["sub1", "sub2", "sub3", "sub4", "sub5"] as const;

/**
 * One of the partner's links with the page to land on and sub-ids, as the redirect reads them:
 * `/r/<slug>?url=…&sub1=…&sub2=…`.
 */
export function taggedUrl(link: TrackingLink, subs: Partial<Record<string, string>>, page?: string): string {
  const url = new URL(linkAddress(link));
  if (page) url.searchParams.set("url", page);
  for (const [key, value] of Object.entries(subs)) if (value?.trim()) url.searchParams.set(key, value.trim());
  return url.toString();
}

/**
 * Builds a link to any page of the program's site (a deep link) tagged with sub-ids, to tell campaigns apart in
 * "What performs" (the performance page): pick a link, paste the page, name the campaign, copy. The redirect keeps
 * sub1…sub5 with each click.
 */
export function TaggedLinkBuilder({ links, enrollments }: { links: TrackingLink[]; enrollments: PortalEnrollment[] }) {
  const usable = links.filter((l) => !l.disabled);
  const [linkId, setLinkId] = useState(usable[0]?.id ?? "");
  const [subs, setSubs] = useState<Record<string, string>>({});
  const [typedPage, setTypedPage] = useState("");
  const [showQr, setShowQr] = useState(false);
  // The chosen link, or the first usable one when it was disabled meanwhile (or there was none at first).
  const link = usable.find((l) => l.id === linkId) ?? usable[0];
  if (usable.length === 0) return null;
  const programOf = (l: TrackingLink) => enrollments.find((e) => e.id === l.enrollmentId)?.programDetails;
  const sites = (link && programOf(link)?.allowedDomains) ?? [];
  const page = landingPage(typedPage, sites);
  const url = link ? taggedUrl(link, subs, page.ok ? page.page : undefined) : "";
  return (
    <section className="card tagged-link-builder" aria-label="Tag a link">
      <h2 className="card-title">Link to a page, tag a campaign</h2>
      <p className="card-subtitle">
        Send visitors to any page of the site through your link. Clicks and sales through a tagged link show up under
        its tags in <em>What performs</em> on the Performance page.
      </p>
      <div className="tagged-link-fields">
        <SelectField
          label="Link"
          value={link?.id ?? ""}
          onChange={setLinkId}
          options={usable.map((l) => ({ value: l.id, label: `/r/${l.slug} · ${programOf(l)?.name ?? ""}` }))}
        />
        <TextField
          className="tagged-link-page"
          label="Page to land on"
          value={typedPage}
          onChange={setTypedPage}
          placeholder={`https://${sites[0] ?? "example.com"}/pricing`}
          hint={`Any page of ${sites.join(", ") || "the program's site"}; without one, the link's usual page.`}
          error={page.ok ? undefined : page.message}
          maxLength={2_000}
          inputMode="url"
          optional
        />
        {SUB_IDS.map((key, i) => (
          <TextField
            key={key}
            label={key}
            value={subs[key] ?? ""}
            onChange={(value) => setSubs((s) => ({ ...s, [key]: value }))}
            placeholder={["newsletter", "may-issue", "footer", "", ""][i]}
            maxLength={200}
            optional
          />
        ))}
      </div>
      <div className="id-box-row tagged-link-result">
        {/* A page the redirect would ignore gives no link: copied anyway, it would land on the usual page unnoticed. */}
        {page.ok ? (
          <code className="id-box">{url}</code>
        ) : (
          <p className="id-box id-box-pending">Fix the page to land on to get the link.</p>
        )}
        <CopyButton value={url} label="tagged link" disabled={!page.ok} />
        <Button
          icon={<QrCodeIcon />}
          onClick={() => setShowQr(true)}
          aria-label="QR code of the tagged link"
          disabled={!page.ok}
        >
          QR code
        </Button>
      </div>
      {link && (
        <QrCodeDialog
          url={url}
          fileName={["qr", link.slug, ...SUB_IDS.map((k) => subs[k]?.trim())]
            .filter(Boolean)
            .join("-")
            .replace(/[^A-Za-z0-9_-]+/g, "_")
            .slice(0, 100)}
          open={showQr}
          onClose={() => setShowQr(false)}
        />
      )}
    </section>
  );
}
