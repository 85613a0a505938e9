import { Badge, type BadgeTone } from "./badge.js";
import { conversionKindLabels, labelOf } from "./labels.js";

const kindTones: Record<string, BadgeTone> = { lead: "warning", sale: "success", refund: "danger" };

/** Lead, Sale or Refund: in the console's conversions and the portal's recent conversions. */
export function ConversionKindBadge({ kind }: { kind: string }) {
  return (
    <Badge tone={kindTones[kind] ?? "neutral"} dot={false}>
      {labelOf(conversionKindLabels, kind)}
    </Badge>
  );
}
