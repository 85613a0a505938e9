import { Route, Routes } from "react-router";
import { EarningsPage } from "./earnings-page.js";
import { InvitePage } from "./invite-page.js";
import { LinksPage } from "./links-page.js";
import { MyProgramsPage } from "./my-programs-page.js";
import { PayoutsPage } from "./payouts-page.js";
import { PerformancePage } from "./performance-page.js";
import { PortalLayout } from "./portal-layout.js";
import { PortalLoginPage } from "./portal-login-page.js";
import { PortalNotFound } from "./portal-not-found.js";
import { ProfilePage } from "./profile-page.js";

/** The partner portal under /portal. */
export function PortalApp() {
  return (
    <Routes>
      <Route path="login" element={<PortalLoginPage />} />
      <Route path="invite/:token" element={<InvitePage />} />
      <Route element={<PortalLayout />}>
        <Route index element={<MyProgramsPage />} />
        <Route path="links" element={<LinksPage />} />
        <Route path="performance" element={<PerformancePage />} />
        <Route path="earnings" element={<EarningsPage />} />
        <Route path="payouts" element={<PayoutsPage />} />
        <Route path="profile" element={<ProfilePage />} />
        <Route path="*" element={<PortalNotFound />} />
      </Route>
    </Routes>
  );
}
