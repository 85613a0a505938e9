import { PageHeader } from "../shared/page-header.js";
import { ConversionsPanel } from "./conversions-panel.js";

/** /admin/conversions — every lead, sale and refund across programs. */
export function ConversionsPage() {
  return (
    <div className="page">
      <PageHeader
        title="Conversions"
        description="Leads, sales and refunds reported by your systems, and which partners got the credit. Select one to see why."
      />
      <ConversionsPanel />
    </div>
  );
}
