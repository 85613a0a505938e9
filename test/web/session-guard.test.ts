import { afterEach, describe, expect, test, vi } from "vitest";
import { type ApiError, api, setSessionEndedHandler } from "../../web/src/shared/api.js";
import {
  endedSession,
  settleSignIn,
  subscribeToEndedSession,
  waitForSignIn,
} from "../../web/src/shared/session-guard.js";

const olga = { area: "admin" as const, userId: "usr_1", email: "olga@example.com" };

describe("session guard: one wait however many requests meet the ended session", () => {
  afterEach(() => settleSignIn("gave-up"));

  test("the first request opens it, the others join, and all learn the outcome", async () => {
    const changes = vi.fn();
    const unsubscribe = subscribeToEndedSession(changes);
    const first = waitForSignIn(olga);
    const second = waitForSignIn({ ...olga, email: "ignored@example.com" });
    expect(endedSession()).toEqual(olga);
    expect(changes).toHaveBeenCalledTimes(1);
    settleSignIn("same-user");
    expect(await Promise.all([first, second])).toEqual(["same-user", "same-user"]);
    expect(endedSession()).toBeUndefined();
    unsubscribe();
  });

  test("a request of the other area does not wait behind the dialog", async () => {
    const waiting = waitForSignIn(olga);
    expect(await waitForSignIn({ ...olga, area: "portal" })).toBe("gave-up");
    expect(endedSession()?.area).toBe("admin");
    settleSignIn("other-user");
    expect(await waiting).toBe("other-user");
  });

  test("settling with nothing waiting changes nothing", () => {
    const changes = vi.fn();
    const unsubscribe = subscribeToEndedSession(changes);
    settleSignIn("gave-up");
    expect(changes).not.toHaveBeenCalled();
    unsubscribe();
  });
});

describe("api: a request that met an ended session", () => {
  const json = (status: number, body: unknown) =>
    new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
  const unauthorized = () => json(401, { code: "unauthorized", detail: "sign in to the console first" });

  afterEach(() => {
    setSessionEndedHandler(undefined);
    vi.unstubAllGlobals();
  });

  test("is sent again, with its body, once the handler says the same user is back", async () => {
    const sent: { url: string; body: unknown }[] = [];
    const answers = [unauthorized(), json(201, { id: "com_1" })];
    vi.stubGlobal(
      "fetch",
      vi.fn(async (url: string, init?: RequestInit) => {
        if (url === "/v1/auth/csrf") return json(200, { token: "t" });
        sent.push({ url, body: init?.body });
        return answers.shift();
      }),
    );
    const handler = vi.fn(async () => true);
    setSessionEndedHandler(handler);
    await expect(api.post("/v1/commissions/adjustments", { amount: 1234 })).resolves.toEqual({ id: "com_1" });
    expect(handler).toHaveBeenCalledTimes(1);
    expect(sent).toEqual([
      { url: "/v1/commissions/adjustments", body: '{"amount":1234}' },
      { url: "/v1/commissions/adjustments", body: '{"amount":1234}' },
    ]);
  });

  test("is not sent a third time when the new session does not stick", async () => {
    const fetchMock = vi.fn(async () => unauthorized());
    vi.stubGlobal("fetch", fetchMock);
    // A handler that would say "yes" for ever: the request must stop asking after the first time.
    let asked = 0;
    setSessionEndedHandler(async () => {
      asked += 1;
      if (asked > 3) throw new Error("the request kept waiting for a sign-in");
      return true;
    });
    const error = (await api.get("/v1/programs").catch((e: unknown) => e)) as ApiError;
    expect(error.status).toBe(401);
    expect(asked).toBe(1);
    expect(fetchMock).toHaveBeenCalledTimes(2);
  });

  test("fails with the 401 when nobody waits (never signed in, or gave up)", async () => {
    const fetchMock = vi.fn(async () => unauthorized());
    vi.stubGlobal("fetch", fetchMock);
    setSessionEndedHandler(async () => false);
    await expect(api.get("/v1/programs")).rejects.toMatchObject({ status: 401, code: "unauthorized" });
    expect(fetchMock).toHaveBeenCalledTimes(1);
  });
});
