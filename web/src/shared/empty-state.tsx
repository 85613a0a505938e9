import type { ReactNode } from "react";

export function EmptyState({
  icon,
  title,
  children,
  action,
  id,
}: {
  icon?: ReactNode;
  title: string;
  children?: ReactNode;
  action?: ReactNode;
  /** For a field that the empty state explains (its aria-describedby). */
  id?: string;
}) {
  return (
    <div className="empty-state" id={id}>
      {icon && <div className="empty-state-icon">{icon}</div>}
      <h3 className="empty-state-title">{title}</h3>
      {children && <div className="empty-state-text">{children}</div>}
      {action && <div className="empty-state-action">{action}</div>}
    </div>
  );
}
