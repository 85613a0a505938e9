import { lazy, Suspense, useEffect } from "react";
import { Navigate, Route, Routes, useNavigate } from "react-router";
import { PageLoading } from "./shared/loading.js";
import { NotFoundPage } from "./shared/not-found-page.js";
import { queryClient, setUnauthorizedHandler } from "./shared/query-client.js";
import { SessionEndedDialog } from "./shared/session-ended-dialog.js";
import { signInPage } from "./shared/session-guard.js";

const AdminApp = lazy(() => import("./admin/admin-app.js").then((m) => ({ default: m.AdminApp })));
const PortalApp = lazy(() => import("./portal/portal-app.js").then((m) => ({ default: m.PortalApp })));
const ApplyPage = lazy(() => import("./apply/apply-page.js").then((m) => ({ default: m.ApplyPage })));

/**
 * A 401 nobody waited out sends the user to the sign-in page of the area the request belonged to: the first load of
 * a signed-out tab, or giving up on signing in again. A session that ends while someone works opens
 * SessionEndedDialog over the page instead (query-client.ts).
 */
function UnauthorizedRedirect() {
  const navigate = useNavigate();
  useEffect(() => {
    setUnauthorizedHandler((area) => {
      const here = `${window.location.pathname}${window.location.search}`;
      const login = signInPage(area);
      if (window.location.pathname.startsWith(login)) return;
      queryClient.removeQueries({ queryKey: [area === "portal" ? "portal" : "admin"] });
      navigate(`${login}?next=${encodeURIComponent(here)}`, { replace: true });
    });
    return () => setUnauthorizedHandler(undefined);
  }, [navigate]);
  return null;
}

export function App() {
  return (
    <>
      <UnauthorizedRedirect />
      <SessionEndedDialog />
      <Suspense fallback={<PageLoading />}>
        <Routes>
          <Route path="/" element={<Navigate to="/admin" replace />} />
          <Route path="/admin/*" element={<AdminApp />} />
          <Route path="/portal/*" element={<PortalApp />} />
          <Route path="/apply/:slug" element={<ApplyPage />} />
          <Route path="*" element={<NotFoundPage />} />
        </Routes>
      </Suspense>
    </>
  );
}
