import type { ReactNode } from "react";
import { Link } from "react-router";
import { Logo } from "../shared/logo.js";

/** Frame for public pages: slim header, content, small footer. */
export function PublicPageLayout({ children }: { children: ReactNode }) {
  return (
    <div className="public-shell">
      <header className="public-header">
        <div className="public-header-inner">
          <Logo size={26} />
          <Link to="/portal/login" className="btn btn-ghost btn-sm">
            Partner sign in
          </Link>
        </div>
      </header>
      {children}
      <footer className="public-footer">
        <span>Partner program powered by Tributary</span>
      </footer>
    </div>
  );
}
