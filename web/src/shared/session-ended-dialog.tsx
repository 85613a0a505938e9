import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useCallback, useEffect, useId, useRef, useSyncExternalStore } from "react";
import { useLocation, useNavigate } from "react-router";
import { api, loadCsrfToken } from "./api.js";
import { Button } from "./button.js";
import { LogOutIcon } from "./icons.js";
import {
  areaHome,
  type EndedSession,
  endedSession,
  meKey,
  settleSignIn,
  signInPage,
  subscribeToEndedSession,
} from "./session-guard.js";
import { type Credentials, SignInForm } from "./sign-in-form.js";
import { useToast } from "./toast.js";
import "../styles/session-ended.css";

/** What both sign-in APIs answer with, as far as this dialog needs it. */
interface SignedIn {
  user: { id: string; email: string };
}

const PATHS = {
  admin: { login: "/v1/auth/login", logout: "/v1/auth/logout", me: "/v1/auth/me" },
  portal: { login: "/v1/portal/auth/login", logout: "/v1/portal/auth/logout", me: "/v1/portal/me" },
};

/** Who the browser's cookie signs in now; asked with fetch, as `api` would make this request wait for the dialog. */
async function whoIsSignedIn(area: EndedSession["area"]): Promise<SignedIn | undefined> {
  try {
    const response = await fetch(PATHS[area].me, {
      credentials: "same-origin",
      headers: { accept: "application/json" },
    });
    return response.ok ? ((await response.json()) as SignedIn) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * "Your session has ended": over the page, which stays as it is, while requests wait for the user to sign in again
 * (session-guard.ts). Shown once however many requests wait; gone on the sign-in pages themselves.
 */
export function SessionEndedDialog() {
  const session = useSyncExternalStore(subscribeToEndedSession, endedSession);
  const { pathname } = useLocation();
  const onSignInPage = session !== undefined && pathname.startsWith(signInPage(session.area));
  // Reaching the sign-in page another way (the account menu's sign-out, the back button) is giving up too.
  useEffect(() => {
    if (onSignInPage) settleSignIn("gave-up");
  }, [onSignInPage]);
  if (!session || onSignInPage) return null;
  return <SignInAgain session={session} />;
}

function SignInAgain({ session }: { session: EndedSession }) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const descriptionId = useId();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const toast = useToast();
  const { area } = session;

  // The first answer wins: the password typed here, or a sign-in found in another tab.
  const resuming = useRef(false);
  const resume = useCallback(
    async (me: SignedIn) => {
      if (resuming.current) return;
      resuming.current = true;
      // The CSRF secret lives in its own cookie, not in the session, but a fresh token costs one request and
      // covers a browser that dropped its cookies along with the session (a 403 "csrf" would also refetch it).
      await loadCsrfToken(true).catch(() => undefined);
      if (me.user.id === session.userId) {
        queryClient.setQueryData(meKey(area), me);
        settleSignIn("same-user");
        void queryClient.refetchQueries({
          queryKey: [area],
          type: "active",
          predicate: (query) => query.state.status === "error",
        });
        toast.success("You're signed in again. Anything you were saving is being sent.");
        return;
      }
      // Another account: nothing of the previous user's stays on screen or in the cache, and nothing is sent as them.
      queryClient.removeQueries({ queryKey: [area] });
      queryClient.setQueryData(meKey(area), me);
      if (area === "admin") queryClient.setQueryData(["admin", "setup"], { needsOwner: false });
      navigate(areaHome(area), { replace: true });
      settleSignIn("other-user");
      toast.info(`Signed in as ${me.user.email}. What you were saving as ${session.email} was not sent.`);
    },
    [area, session, queryClient, navigate, toast],
  );

  const signIn = useMutation({
    mutationFn: (credentials: Credentials) => api.post<SignedIn>(PATHS[area].login, credentials),
    onSuccess: resume,
  });

  // Signed in again in another tab: coming back to this one is enough.
  useEffect(() => {
    let mounted = true;
    const check = () => {
      if (document.visibilityState !== "visible") return;
      void whoIsSignedIn(area).then((me) => {
        if (me && mounted) return resume(me);
      });
    };
    window.addEventListener("focus", check);
    document.addEventListener("visibilitychange", check);
    return () => {
      mounted = false;
      window.removeEventListener("focus", check);
      document.removeEventListener("visibilitychange", check);
    };
  }, [area, resume]);

  const signOut = () => {
    api.post(PATHS[area].logout).catch(() => undefined);
    queryClient.removeQueries({ queryKey: [area] });
    const here = `${window.location.pathname}${window.location.search}`;
    navigate(`${signInPage(area)}?next=${encodeURIComponent(here)}`, { replace: true });
    settleSignIn("gave-up");
  };

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    // Focus goes back where it was (the Save button that met the ended session) when the dialog closes.
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    let closing = false;
    // Escape does not dismiss it (see onKeyDown); should a browser close it anyway, it comes straight back, since the
    // session is still over.
    const reopen = () => {
      if (!closing && !dialog.open) dialog.showModal();
    };
    dialog.addEventListener("close", reopen);
    dialog.showModal();
    dialog.querySelector<HTMLInputElement>(session.email ? "input[type=password]" : "input[type=email]")?.focus();
    return () => {
      closing = true;
      dialog.removeEventListener("close", reopen);
      if (dialog.open) dialog.close();
      if (opener?.isConnected) opener.focus();
    };
  }, [session.email]);

  return (
    <dialog
      ref={ref}
      className="modal modal-sm session-ended"
      aria-labelledby={titleId}
      aria-describedby={descriptionId}
      onCancel={(event) => event.preventDefault()}
      onKeyDown={(event) => {
        if (event.key !== "Escape") return;
        // Refused at the key: Chrome closes a dialog whose cancel was refused twice running.
        event.preventDefault();
        event.stopPropagation();
      }}
    >
      <div className="modal-body">
        <header className="modal-header">
          <div>
            <h2 id={titleId} className="modal-title">
              Your session has ended
            </h2>
            <p id={descriptionId} className="modal-description">
              Sign in again to carry on where you left off. This page stays as it is, and anything you were saving is
              sent once you're back.
            </p>
          </div>
        </header>
        <div className="modal-content">
          <SignInForm
            defaultEmail={session.email}
            submitLabel="Sign in again"
            onSubmit={(credentials) => signIn.mutate(credentials)}
            error={signIn.error}
            pending={signIn.isPending}
          />
        </div>
        <footer className="modal-footer session-ended-footer">
          <span>Not {session.email}?</span>
          <Button variant="ghost" size="sm" icon={<LogOutIcon size={16} />} onClick={signOut}>
            Sign out
          </Button>
        </footer>
      </div>
    </dialog>
  );
}
