import type { ReactNode } from "react";
import { Button } from "./button.js";

/** The bar over a list with rows selected: how many (and what they add up to), the actions, and Clear. */
export function BulkBar({
  label,
  summary,
  onClear,
  children,
}: {
  /** What the toolbar acts on, for screen readers: "Selected entries". */
  label: string;
  summary: ReactNode;
  onClear: () => void;
  /** The actions' buttons. */
  children: ReactNode;
}) {
  return (
    <div className="bulk-bar" role="toolbar" aria-label={label}>
      <span className="bulk-count">{summary}</span>
      <div className="action-row">
        {children}
        <Button size="sm" variant="ghost" onClick={onClear}>
          Clear
        </Button>
      </div>
    </div>
  );
}
