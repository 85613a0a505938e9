import { type ReactNode, useEffect, useRef } from "react";
import { Button } from "../shared/button.js";

/** What a bulk action (or a partner action) did, said once in words. `id` changes with every new outcome. */
export interface Outcome {
  id: number;
  tone: "success" | "warning";
  title: string;
  lines?: ReactNode[];
}

let next = 0;
export const newOutcome = (outcome: Omit<Outcome, "id">): Outcome => ({ ...outcome, id: ++next });

/**
 * The result of a bulk action, where the selection was: a live region (always in the page, so the change is
 * announced) that takes the keyboard focus when a new result arrives. The rows the focus was on are gone or
 * unselected by then, and focus left on a removed button falls to the page's body, where a keyboard user has to
 * start again from the top. Dismissing it hands the focus to the list it belongs to.
 */
export function BulkOutcome({ outcome, onDismiss }: { outcome: Outcome | undefined; onDismiss: () => void }) {
  const ref = useRef<HTMLDivElement>(null);
  const id = outcome?.id;
  useEffect(() => {
    if (id !== undefined) ref.current?.focus();
  }, [id]);
  return (
    <div
      ref={ref}
      tabIndex={-1}
      role="status"
      aria-live="polite"
      className={
        outcome
          ? `alert bulk-outcome ${outcome.tone === "success" ? "alert-success-soft" : "alert-warning"}`
          : "bulk-outcome-idle"
      }
    >
      {outcome && (
        <>
          <div className="bulk-outcome-text">
            <p>
              <strong>{outcome.title}</strong>
            </p>
            {outcome.lines && outcome.lines.length > 0 && (
              <ul>
                {outcome.lines.map((line, i) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: a fixed list shown once per outcome
                  <li key={i}>{line}</li>
                ))}
              </ul>
            )}
          </div>
          <Button
            size="sm"
            variant="ghost"
            onClick={() => {
              const list = ref.current?.closest<HTMLElement>("[data-focus-after-outcome]");
              onDismiss();
              list?.focus();
            }}
          >
            Dismiss
          </Button>
        </>
      )}
    </div>
  );
}
