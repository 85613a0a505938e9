import type { ReactNode } from "react";
import { Logo } from "./logo.js";

/** Centered card for sign-in, first-run and invitation screens. */
export function AuthLayout({
  title,
  subtitle,
  children,
  footer,
  badge,
  wide = false,
}: {
  title: string;
  subtitle?: ReactNode;
  children: ReactNode;
  footer?: ReactNode;
  badge?: string;
  wide?: boolean;
}) {
  return (
    <main className="auth-page">
      <div className={`auth-card${wide ? " auth-card-wide" : ""}`}>
        <div className="auth-brand">
          <Logo size={32} />
          {badge && <span className="auth-badge">{badge}</span>}
        </div>
        <h1 className="auth-title">{title}</h1>
        {subtitle && <p className="auth-subtitle">{subtitle}</p>}
        {children}
      </div>
      {footer && <div className="auth-footer">{footer}</div>}
    </main>
  );
}
