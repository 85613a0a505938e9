import { useQuery } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import { Navigate, NavLink, Outlet, useLocation } from "react-router";
import { api, isApiError } from "../shared/api.js";
import {
  AlertIcon,
  CoinsIcon,
  ConversionsIcon,
  ExchangeIcon,
  InboxIcon,
  KeyIcon,
  LogIcon,
  MenuIcon,
  PartnersIcon,
  ProgramsIcon,
  TeamIcon,
  WalletIcon,
  XIcon,
} from "../shared/icons.js";
import { PageLoading } from "../shared/loading.js";
import { Logo } from "../shared/logo.js";
import { QueryError } from "../shared/query-error.js";
import { SkipLink } from "../shared/skip-link.js";
import type { Enrollment, Page } from "../shared/types.js";
import { AccountMenu } from "./account-menu.js";
import { adminKeys, useMeQuery, useSetupQuery } from "./admin-queries.js";
import { MeContext } from "./use-me.js";

const NAV = [
  { to: "/admin/programs", label: "Programs", icon: ProgramsIcon, permission: "programs:read" },
  { to: "/admin/applications", label: "Applications", icon: InboxIcon, permission: "partners:read" },
  { to: "/admin/partners", label: "Partners", icon: PartnersIcon, permission: "partners:read" },
  { to: "/admin/conversions", label: "Conversions", icon: ConversionsIcon, permission: "partners:read" },
  { to: "/admin/commissions", label: "Commissions", icon: CoinsIcon, permission: "commissions:read" },
  { to: "/admin/fraud", label: "Fraud review", icon: AlertIcon, permission: "fraud:read" },
  { to: "/admin/payouts", label: "Payouts", icon: WalletIcon, permission: "payouts:read" },
  { to: "/admin/fx-rates", label: "FX rates", icon: ExchangeIcon, permission: "commissions:read" },
  { to: "/admin/team", label: "Team", icon: TeamIcon, permission: "team:read" },
  { to: "/admin/api-keys", label: "API keys", icon: KeyIcon, permission: "api_keys:manage" },
  { to: "/admin/audit-log", label: "Audit log", icon: LogIcon, permission: "audit:read" },
];

function PendingCount({ enabled }: { enabled: boolean }) {
  const pending = useQuery({
    queryKey: [...adminKeys.enrollments, "pending-count"],
    queryFn: () => api.get<Page<Enrollment>>("/v1/enrollments?status=applied&limit=100"),
    enabled,
    staleTime: 30_000,
  });
  const count = pending.data?.items.length ?? 0;
  if (!count) return null;
  return (
    <span className="nav-count">
      {pending.data?.nextCursor ? "99+" : count}
      <span className="visually-hidden"> waiting</span>
    </span>
  );
}

/**
 * On a phone the sidebar is a top bar: the logo, a Menu button that opens the navigation below it, and the account
 * menu. The menu closes when a page is chosen and on Escape (focus back on the button); from 761 px up the
 * navigation is always shown and the button is not there.
 */
function useNavMenu() {
  const location = useLocation();
  const [open, setOpen] = useState(false);
  const toggleRef = useRef<HTMLButtonElement>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: closes on every navigation, the path is the trigger
  useEffect(() => setOpen(false), [location.pathname]);
  useEffect(() => {
    if (!open) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== "Escape") return;
      setOpen(false);
      toggleRef.current?.focus();
    };
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, [open]);
  return { open, toggleRef, toggle: () => setOpen((o) => !o) };
}

/** Signed-in console frame: first-run and sign-in redirects, sidebar navigation, the page. */
export function AdminLayout() {
  const location = useLocation();
  const setup = useSetupQuery();
  const me = useMeQuery(setup.data?.needsOwner === false);
  const menu = useNavMenu();

  if (setup.isPending) return <PageLoading />;
  if (setup.isError) return <QueryError error={setup.error} onRetry={() => setup.refetch()} />;
  if (setup.data.needsOwner) return <Navigate to="/admin/setup" replace />;
  if (me.isPending) return <PageLoading />;
  if (me.isError) {
    if (isApiError(me.error) && me.error.status === 401) {
      const next = encodeURIComponent(`${location.pathname}${location.search}`);
      return <Navigate to={`/admin/login?next=${next}`} replace />;
    }
    return <QueryError error={me.error} onRetry={() => me.refetch()} />;
  }

  const permissions = me.data.permissions;
  return (
    <MeContext.Provider value={me.data}>
      <div className="app-shell">
        <SkipLink />
        {/* Named: pages have asides of their own, and each landmark of a kind needs a name of its own. */}
        <aside className={menu.open ? "sidebar sidebar-open" : "sidebar"} aria-label="Console sidebar">
          <div className="sidebar-brand">
            <Logo size={28} />
          </div>
          <button
            ref={menu.toggleRef}
            type="button"
            className="icon-button sidebar-toggle"
            aria-expanded={menu.open}
            aria-controls="console-nav"
            onClick={menu.toggle}
          >
            {menu.open ? <XIcon size={20} /> : <MenuIcon size={20} />}
            <span>Menu</span>
          </button>
          <nav id="console-nav" className="sidebar-nav" aria-label="Console">
            {NAV.filter((item) => permissions.includes(item.permission)).map((item) => (
              <NavLink key={item.to} to={item.to} className="nav-link">
                <item.icon size={18} />
                <span>{item.label}</span>
                {item.to === "/admin/applications" && <PendingCount enabled />}
              </NavLink>
            ))}
          </nav>
          <div className="sidebar-footer">
            <AccountMenu user={me.data.user} />
          </div>
        </aside>
        <main className="main" id="main" tabIndex={-1}>
          <Outlet />
        </main>
      </div>
    </MeContext.Provider>
  );
}
