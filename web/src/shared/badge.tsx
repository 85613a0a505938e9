import type { ReactNode } from "react";

export type BadgeTone = "neutral" | "accent" | "success" | "warning" | "danger" | "info" | "muted" | "orange";

export function Badge({
  tone = "neutral",
  children,
  dot = true,
  title,
}: {
  tone?: BadgeTone;
  children: ReactNode;
  dot?: boolean;
  /** The whole text, where a long one is cut short. */
  title?: string;
}) {
  return (
    <span className={`badge badge-${tone}`} title={title}>
      {dot && <span className="badge-dot" aria-hidden="true" />}
      {children}
    </span>
  );
}
