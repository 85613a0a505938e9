import { Navigate, Route, Routes } from "react-router";
import { AdminLayout } from "./admin-layout.js";
import { ApiKeysPage } from "./api-keys-page.js";
import { ApplicationDetailPage } from "./application-detail-page.js";
import { ApplicationsPage } from "./applications-page.js";
import { AuditLogPage } from "./audit-log-page.js";
import { CommissionsPage } from "./commissions-page.js";
import { ConversionsPage } from "./conversions-page.js";
import { FraudPage } from "./fraud-page.js";
import { FxRatesPage } from "./fx-rates-page.js";
import { LoginPage } from "./login-page.js";
import { NotFoundPanel } from "./not-found-panel.js";
import { PartnerDetailPage } from "./partner-detail-page.js";
import { PartnersPage } from "./partners-page.js";
import { PayoutsPage } from "./payouts-page.js";
import { ProgramDetailPage } from "./program-detail-page.js";
import { ProgramEditPage } from "./program-edit-page.js";
import { ProgramNewPage } from "./program-new-page.js";
import { ProgramsPage } from "./programs-page.js";
import { SetupPage } from "./setup-page.js";
import { TeamPage } from "./team-page.js";

/** The admin console under /admin. */
export function AdminApp() {
  return (
    <Routes>
      <Route path="setup" element={<SetupPage />} />
      <Route path="login" element={<LoginPage />} />
      <Route element={<AdminLayout />}>
        <Route index element={<Navigate to="/admin/programs" replace />} />
        <Route path="programs" element={<ProgramsPage />} />
        <Route path="programs/new" element={<ProgramNewPage />} />
        <Route path="programs/:id" element={<ProgramDetailPage />} />
        <Route path="programs/:id/edit" element={<ProgramEditPage />} />
        <Route path="programs/:id/:tab" element={<ProgramDetailPage />} />
        <Route path="applications" element={<ApplicationsPage />} />
        <Route path="applications/:id" element={<ApplicationDetailPage />} />
        <Route path="partners" element={<PartnersPage />} />
        <Route path="partners/:id" element={<PartnerDetailPage />} />
        <Route path="conversions" element={<ConversionsPage />} />
        <Route path="commissions" element={<CommissionsPage />} />
        <Route path="fraud" element={<FraudPage />} />
        <Route path="fx-rates" element={<FxRatesPage />} />
        <Route path="payouts" element={<PayoutsPage />} />
        <Route path="team" element={<TeamPage />} />
        <Route path="api-keys" element={<ApiKeysPage />} />
        <Route path="audit-log" element={<AuditLogPage />} />
        <Route path="*" element={<NotFoundPanel />} />
      </Route>
    </Routes>
  );
}
