import "./styles/tokens.css";
import "./styles/base.css";
import "./styles/components.css";
import "./styles/layout.css";
import "./styles/pages.css";
import "./styles/tracking.css";
import "./styles/commissions.css";
import "./styles/fraud.css";
import "./styles/payouts.css";
import { QueryClientProvider } from "@tanstack/react-query";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { BrowserRouter } from "react-router";
import { App } from "./app.js";
import { loadCsrfToken } from "./shared/api.js";
import { queryClient } from "./shared/query-client.js";
import { ToastProvider } from "./shared/toast.js";

// Every change needs the token; fetching it now keeps the first click fast. A failure retries on first use.
loadCsrfToken().catch(() => undefined);

const root = document.getElementById("root");
if (!root) throw new Error("#root is missing from index.html");

createRoot(root).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <ToastProvider>
        <BrowserRouter>
          <App />
        </BrowserRouter>
      </ToastProvider>
    </QueryClientProvider>
  </StrictMode>,
);
