import { useState } from "react";
import { CopyButton } from "../shared/copy-button.js";
import { absoluteUrl } from "../shared/format.js";
import { SelectField } from "../shared/select-field.js";
import { TextField } from "../shared/text-field.js";
import type { PortalEnrollment, TrackingLink } from "../shared/types.js";

const SUB_IDS = ["sub1", "sub2", "sub3", "sub4", "sub5"] as const;

/** One of the partner's links with sub-ids appended, as the redirect reads them: `/r/<slug>?sub1=…&sub2=…`. */
export function taggedUrl(link: TrackingLink, subs: Partial<Record<string, string>>): string {
  const url = new URL(absoluteUrl(link.path));
  for (const [key, value] of Object.entries(subs)) if (value?.trim()) url.searchParams.set(key, value.trim());
  return url.toString();
}

/**
 * Builds a link tagged with sub-ids, to tell campaigns apart in "What performs" (the performance page): pick a link,
 * name the campaign, copy. The redirect keeps sub1…sub5 with each click.
 */
export function TaggedLinkBuilder({ links, enrollments }: { links: TrackingLink[]; enrollments: PortalEnrollment[] }) {
  const usable = links.filter((l) => !l.disabled);
  const [linkId, setLinkId] = useState(usable[0]?.id ?? "");
  const [subs, setSubs] = useState<Record<string, string>>({});
  // The chosen link, or the first usable one when it was disabled meanwhile (or there was none at first).
  const link = usable.find((l) => l.id === linkId) ?? usable[0];
  if (usable.length === 0) return null;
  const programOf = (l: TrackingLink) => enrollments.find((e) => e.id === l.enrollmentId)?.programDetails.name ?? "";
  const url = link ? taggedUrl(link, subs) : "";
  return (
    <section className="card tagged-link-builder" aria-label="Tag a link">
      <h2 className="card-title">Tag a link for a campaign</h2>
      <p className="card-subtitle">
        Clicks and sales through a tagged link show up under its tags in <em>What performs</em> on the Performance page.
      </p>
      <div className="tagged-link-fields">
        <SelectField
          label="Link"
          value={link?.id ?? ""}
          onChange={setLinkId}
          options={usable.map((l) => ({ value: l.id, label: `/r/${l.slug} · ${programOf(l)}` }))}
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
      <div className="id-box-row">
        <code className="id-box">{url}</code>
        <CopyButton value={url} label="tagged link" />
      </div>
    </section>
  );
}
