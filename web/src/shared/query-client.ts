import { MutationCache, QueryCache, QueryClient } from "@tanstack/react-query";
import { ApiError, isApiError, setSessionEndedHandler } from "./api.js";
import { type Area, meKey, signInPage, waitForSignIn } from "./session-guard.js";

type UnauthorizedHandler = (area: Area) => void;
let onUnauthorized: UnauthorizedHandler | undefined;

/** The router registers how to send a signed-out user to the right sign-in page. */
export function setUnauthorizedHandler(handler: UnauthorizedHandler | undefined): void {
  onUnauthorized = handler;
}

// Sign-in attempts and public pages answer 401 for their own reasons; those stay on the page.
const PASS_THROUGH = ["/v1/auth/login", "/v1/portal/auth/login", "/v1/setup", "/v1/public/"];

/** What a request that waited gets when someone else signed in: the page is left, nothing is sent as them. */
const SESSION_REPLACED = "session_replaced";

const areaOf = (path: string): Area => (path.startsWith("/v1/portal/") ? "portal" : "admin");

/**
 * A 401 on a page of an area someone signed in to in this tab (its user is in the cache) waits for them to sign in
 * again (session-guard.ts). With no user yet — the first load, a bookmark — the sign-in page is the right answer.
 */
async function holdUntilSignedInAgain(error: ApiError): Promise<boolean> {
  if (PASS_THROUGH.some((prefix) => error.path.startsWith(prefix))) return false;
  const area = areaOf(error.path);
  const here = window.location.pathname;
  if (!(here === `/${area}` || here.startsWith(`/${area}/`)) || here.startsWith(signInPage(area))) return false;
  const me = queryClient.getQueryData<{ user: { id: string; email: string } }>(meKey(area));
  if (!me) return false;
  const outcome = await waitForSignIn({ area, userId: me.user.id, email: me.user.email });
  if (outcome === "other-user") {
    throw new ApiError(error.path, 401, {
      status: 401,
      code: SESSION_REPLACED,
      detail: "You signed in as someone else, so this was not sent.",
    });
  }
  return outcome === "same-user";
}

function handleError(error: unknown): void {
  if (!isApiError(error) || error.status !== 401 || error.code === SESSION_REPLACED) return;
  if (PASS_THROUGH.some((prefix) => error.path.startsWith(prefix))) return;
  onUnauthorized?.(areaOf(error.path));
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

setSessionEndedHandler(holdUntilSignedInAgain);
