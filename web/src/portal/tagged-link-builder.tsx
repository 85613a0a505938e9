import { useState } from "react";
import { Button } from "../shared/button.js";
import { CopyButton } from "../shared/copy-button.js";
import { QrCodeIcon } from "../shared/icons.js";
import { SelectField } from "../shared/select-field.js";
import { TextField } from "../shared/text-field.js";
import type { PortalEnrollment, TrackingLink } from "../shared/types.js";
import type { UtmKey } from "../shared/utm-keys.js";
import { QrCodeDialog } from "./qr-code-dialog.js";
import { tagLink } from "./tagged-link.js";
import { SUB_IDS } from "./tagged-url.js";
import { UtmFields } from "./utm-fields.js";

/**
 * Builds a link to any page of the program's site (a deep link) tagged with sub-ids, to tell campaigns apart in
 * "What performs" (the performance page), and with UTM parameters for the site's analytics: pick a link, paste the
 * page, name the campaign, copy. The redirect keeps sub1…sub5 with each click and passes the UTM parameters on.
 */
export function TaggedLinkBuilder({ links, enrollments }: { links: TrackingLink[]; enrollments: PortalEnrollment[] }) {
  const usable = links.filter((l) => !l.disabled);
  const [linkId, setLinkId] = useState(usable[0]?.id ?? "");
  const [subs, setSubs] = useState<Record<string, string>>({});
  const [utm, setUtm] = useState<Partial<Record<UtmKey, string>>>({});
  const [typedPage, setTypedPage] = useState("");
  const [showQr, setShowQr] = useState(false);
  // The chosen link, or the first usable one when it was disabled meanwhile (or there was none at first).
  const link = usable.find((l) => l.id === linkId) ?? usable[0];
  if (usable.length === 0) return null;
  const programOf = (l: TrackingLink) => enrollments.find((e) => e.id === l.enrollmentId)?.programDetails;
  const sites = (link && programOf(link)?.allowedDomains) ?? [];
  const built = link && tagLink(link, programOf(link), { page: typedPage, subs, utm });
  const page = built?.page;
  const url = built?.url ?? "";
  const problem = built?.problem;
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
          error={page?.ok === false ? page.message : undefined}
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
        <UtmFields
          values={utm}
          onChange={(key, value) => setUtm((u) => ({ ...u, [key]: value }))}
          fixed={built?.fixed ?? {}}
        />
      </div>
      <div className="id-box-row tagged-link-result">
        {problem ? <p className="id-box id-box-pending">{problem}</p> : <code className="id-box">{url}</code>}
        <CopyButton value={url} label="tagged link" disabled={Boolean(problem)} />
        <Button
          icon={<QrCodeIcon />}
          onClick={() => setShowQr(true)}
          aria-label="QR code of the tagged link"
          disabled={Boolean(problem)}
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
