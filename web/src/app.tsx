import { lazy, Suspense, useEffect } from "react";
import { Navigate, Route, Routes, useNavigate } from "react-router";
import { PageLoading } from "./shared/loading.js";
import { NotFoundPage } from "./shared/not-found-page.js";
import { queryClient, setUnauthorizedHandler } from "./shared/query-client.js";

const AdminApp = lazy(() => import("./admin/admin-app.js").then((m) => ({ default: m.AdminApp })));
const PortalApp = lazy(() => import("./portal/portal-app.js").then((m) => ({ default: m.PortalApp })));
const ApplyPage = lazy(() => import("./apply/apply-page.js").then((m) => ({ default: m.ApplyPage })));

/** A 401 anywhere sends the user to the sign-in page of the area the request belonged to. */
function UnauthorizedRedirect() {
  const navigate = useNavigate();
  useEffect(() => {
    setUnauthorizedHandler((area) => {
      const here = `${window.location.pathname}${window.location.search}`;
      const login = area === "portal" ? "/portal/login" : "/admin/login";
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
