import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRef } from "react";
import { Navigate, NavLink, Outlet, useLocation, useNavigate } from "react-router";
import { api, isApiError } from "../shared/api.js";
import { Button } from "../shared/button.js";
import { initials } from "../shared/format.js";
import { LogOutIcon } from "../shared/icons.js";
import { PageLoading } from "../shared/loading.js";
import { Logo } from "../shared/logo.js";
import { QueryError } from "../shared/query-error.js";
import { SkipLink } from "../shared/skip-link.js";
import { useActiveInView } from "../shared/use-active-in-view.js";
import { AccountNoticeBanner } from "./account-notices.js";
import { PortalMeContext } from "./portal-context.js";
import { usePortalMeQuery } from "./portal-queries.js";

const SECTIONS = [
  { to: "/portal", label: "My programs", end: true },
  { to: "/portal/links", label: "Links" },
  { to: "/portal/performance", label: "Performance" },
  { to: "/portal/earnings", label: "Earnings" },
  { to: "/portal/payouts", label: "Payouts" },
  { to: "/portal/profile", label: "Profile" },
];

/** The portal's sections; on a phone a strip that scrolls sideways, the current section brought into view. */
function PortalNav() {
  const stripRef = useRef<HTMLElement>(null);
  useActiveInView(stripRef);
  return (
    <nav ref={stripRef} className="portal-nav" aria-label="Portal">
      {SECTIONS.map((section) => (
        <NavLink key={section.to} to={section.to} end={section.end ?? false} className="portal-nav-link">
          {section.label}
        </NavLink>
      ))}
    </nav>
  );
}

/** Signed-in portal frame: top bar with navigation and sign-out. */
export function PortalLayout() {
  const location = useLocation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const me = usePortalMeQuery();
  const signOut = useMutation({
    mutationFn: () => api.post("/v1/portal/auth/logout"),
    onSettled: () => {
      queryClient.removeQueries({ queryKey: ["portal"] });
      navigate("/portal/login", { replace: true });
    },
  });
  if (me.isPending) return <PageLoading />;
  if (me.isError) {
    if (isApiError(me.error) && me.error.status === 401) {
      const next = encodeURIComponent(`${location.pathname}${location.search}`);
      return <Navigate to={`/portal/login?next=${next}`} replace />;
    }
    return <QueryError error={me.error} onRetry={() => me.refetch()} />;
  }
  return (
    <PortalMeContext.Provider value={me.data}>
      <div className="portal-shell">
        <SkipLink />
        <header className="portal-topbar">
          <div className="portal-topbar-inner">
            <div className="portal-brand">
              <Logo size={26} />
              <span className="portal-brand-tag">Partner portal</span>
            </div>
            <PortalNav />
            <div className="portal-user">
              <span className="avatar avatar-sm">{initials(me.data.user.name)}</span>
              <span className="portal-user-text">
                <span className="portal-user-name">{me.data.user.name}</span>
                <span className="portal-user-org">{me.data.partner.name}</span>
              </span>
              <Button
                variant="ghost"
                size="sm"
                icon={<LogOutIcon size={16} />}
                loading={signOut.isPending}
                onClick={() => signOut.mutate()}
              >
                Sign out
              </Button>
            </div>
          </div>
        </header>
        <AccountNoticeBanner />
        <main className="portal-main" id="main" tabIndex={-1}>
          <Outlet />
        </main>
      </div>
    </PortalMeContext.Provider>
  );
}
