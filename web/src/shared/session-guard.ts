/**
 * A session that ends while someone works in the console or the portal. The requests that meet it wait here, the
 * page staying as it is, until the same user signs in again (each request is then sent again), another user signs
 * in, or they give up. However many requests meet it (a save, refreshing charts), it is one wait and one dialog.
 */

export type Area = "admin" | "portal";

/** Who was signed in when the session ended: the dialog offers their email and checks who comes back. */
export interface EndedSession {
  area: Area;
  userId: string;
  email: string;
}

export type SignInOutcome = "same-user" | "other-user" | "gave-up";

let ended: EndedSession | undefined;
let waiting: ((outcome: SignInOutcome) => void)[] = [];
const listeners = new Set<() => void>();

const notify = () => {
  for (const listener of listeners) listener();
};

/** Waits for the user to come back; the first request to wait opens the dialog, the others join it. */
export function waitForSignIn(session: EndedSession): Promise<SignInOutcome> {
  // One area's dialog at a time: a request of the other area (a page left behind) does not wait behind it.
  if (ended && ended.area !== session.area) return Promise.resolve("gave-up");
  if (!ended) {
    ended = session;
    notify();
  }
  return new Promise((resolve) => waiting.push(resolve));
}

/** Ends the wait: every waiting request learns how, and the dialog closes. */
export function settleSignIn(outcome: SignInOutcome): void {
  if (!ended) return;
  const resolvers = waiting;
  ended = undefined;
  waiting = [];
  notify();
  for (const resolve of resolvers) resolve(outcome);
}

/** For useSyncExternalStore. */
export function subscribeToEndedSession(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export const endedSession = (): EndedSession | undefined => ended;

export const areaHome = (area: Area) => (area === "portal" ? "/portal" : "/admin");
export const signInPage = (area: Area) => (area === "portal" ? "/portal/login" : "/admin/login");
/** Where each area keeps its signed-in user: adminKeys.me and portalKeys.me (kept out of this chunk). */
export const meKey = (area: Area) => [area, "me"] as const;
