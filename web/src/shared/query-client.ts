import { MutationCache, QueryCache, QueryClient } from "@tanstack/react-query";
import { isApiError } from "./api.js";

type UnauthorizedHandler = (area: "admin" | "portal") => void;
let onUnauthorized: UnauthorizedHandler | undefined;

/** The router registers how to send a signed-out user to the right sign-in page. */
export function setUnauthorizedHandler(handler: UnauthorizedHandler | undefined): void {
  onUnauthorized = handler;
}

// Sign-in attempts and public pages answer 401 for their own reasons; those stay on the page.
const PASS_THROUGH = ["/v1/auth/login", "/v1/portal/auth/login", "/v1/setup", "/v1/public/", "/v1/auth/password"];

function handleError(error: unknown): void {
  if (!isApiError(error) || error.status !== 401) return;
  if (PASS_THROUGH.some((prefix) => error.path.startsWith(prefix))) return;
  if (error.path === "/v1/portal/auth/password") return;
  onUnauthorized?.(error.path.startsWith("/v1/portal/") ? "portal" : "admin");
}

export const queryClient = new QueryClient({
  queryCache: new QueryCache({ onError: handleError }),
  mutationCache: new MutationCache({ onError: handleError }),
  defaultOptions: {
    queries: {
      staleTime: 15_000,
      refetchOnWindowFocus: false,
      retry: (failures, error) => (!isApiError(error) || error.status === 0 || error.status >= 500) && failures < 2,
    },
    mutations: { retry: false },
  },
});
