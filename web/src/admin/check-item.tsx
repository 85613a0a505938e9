import type { ReactNode } from "react";
import { AlertIcon, CheckIcon, ClockIcon } from "../shared/icons.js";

/** Done, something to do, or waiting for something to happen (nothing wrong yet). */
export type CheckState = "ok" | "todo" | "waiting";

const ICONS: Record<CheckState, ReactNode> = {
  ok: <CheckIcon size={14} />,
  todo: <AlertIcon size={14} />,
  waiting: <ClockIcon size={14} />,
};

/** One line of a checklist, its state shown by an icon (and said in words by its text). */
export function Check({ state, children }: { state: CheckState; children: ReactNode }) {
  return (
    <li className={`check check-${state}`}>
      <span className="check-icon" aria-hidden="true">
        {ICONS[state]}
      </span>
      <span>{children}</span>
    </li>
  );
}
