import { Badge } from "../shared/badge.js";
import { conversionSourceLabels } from "../shared/labels.js";
import type { ConversionSource } from "../shared/types.js";

/** Sourced: partners brought the customer in; influenced: a partner touched a customer who was already known. */
export function ConversionSourceBadge({ source }: { source: ConversionSource | null }) {
  if (!source) return <span className="muted">—</span>;
  return <Badge tone={source === "partner_sourced" ? "accent" : "info"}>{conversionSourceLabels[source]}</Badge>;
}
