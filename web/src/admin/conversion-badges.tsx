import { Badge, type BadgeTone } from "../shared/badge.js";
import { conversionKindLabels, conversionSourceLabels, labelOf } from "../shared/labels.js";
import type { ConversionSource } from "../shared/types.js";

const kindTones: Record<string, BadgeTone> = { lead: "warning", sale: "success", refund: "danger" };

export function ConversionKindBadge({ kind }: { kind: string }) {
  return (
    <Badge tone={kindTones[kind] ?? "neutral"} dot={false}>
      {labelOf(conversionKindLabels, kind)}
    </Badge>
  );
}

/** Sourced: partners brought the customer in; influenced: a partner touched a customer who was already known. */
export function ConversionSourceBadge({ source }: { source: ConversionSource | null }) {
  if (!source) return <span className="muted">—</span>;
  return <Badge tone={source === "partner_sourced" ? "accent" : "info"}>{conversionSourceLabels[source]}</Badge>;
}
