import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { auditLog, sessions, teamUsers } from "../../src/db/schema/index.js";
import { createTestApp, PASSWORD, type TestApp } from "../helpers/test-app.js";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ LOGIN_RATE_LIMIT_PER_MINUTE: "100" });
});
afterAll(() => t.close());

const cookieOf = (response: { cookies: unknown[] }, name: string) =>
  (response.cookies as { name: string; httpOnly?: boolean; sameSite?: string; secure?: boolean; path?: string }[]).find(
    (c) => c.name === name,
  );

describe("first run", () => {
  test("offers the owner account once, signs the owner in, then refuses a second owner", async () => {
    const browser = t.agent();
    expect((await browser.get("/v1/setup")).json()).toEqual({ needsOwner: true });
    const created = await browser.post("/v1/setup/owner", {
      email: "Owner@Acme.test",
      name: "Olivia",
      password: PASSWORD,
    });
    expect(created.statusCode).toBe(201);
    expect(created.json().user).toMatchObject({ email: "owner@acme.test", role: "owner" });
    expect((await browser.get("/v1/auth/me")).json().user.email).toBe("owner@acme.test");
    expect((await browser.get("/v1/setup")).json()).toEqual({ needsOwner: false });

    const again = await t.agent().post("/v1/setup/owner", { email: "intruder@x.test", name: "I", password: PASSWORD });
    expect(again.statusCode).toBe(409);
    expect(again.headers["content-type"]).toContain("application/problem+json");
    const [row] = await t.database.db.select().from(teamUsers).where(eq(teamUsers.email, "intruder@x.test"));
    expect(row).toBeUndefined();
  });

  test("a short password is refused at the field and creates nothing", async () => {
    const fresh = await createTestApp();
    try {
      const r = await fresh.agent().post("/v1/setup/owner", { email: "x@y.test", name: "X", password: "short" });
      expect(r.statusCode).toBe(422);
      expect(r.json().errors).toEqual([{ field: "/password", message: "must be at least 10 characters" }]);
      expect((await fresh.agent().get("/v1/setup")).json()).toEqual({ needsOwner: true });
    } finally {
      await fresh.close();
    }
  });
});

describe("sign-in", () => {
  test("session cookie is httpOnly, SameSite=Lax, not Secure over http, and is stored hashed", async () => {
    await t.team("manager", "cookie@team.test");
    const r = await t.agent().post("/v1/auth/login", { email: "cookie@team.test", password: PASSWORD });
    expect(r.statusCode).toBe(200);
    const c = cookieOf(r, "tributary_team");
    expect(c).toMatchObject({ httpOnly: true, sameSite: "Lax", path: "/" });
    expect(c?.secure).toBeFalsy();
    const stored = await t.database.db.select().from(sessions);
    expect(stored.some((s) => s.tokenHash === (c as unknown as { value: string }).value)).toBe(false);
  });

  test("the cookie is Secure when the request came over https through a trusted proxy", async () => {
    const proxied = await createTestApp({ TRUST_PROXY: "true" });
    try {
      await proxied.team("viewer", "https@team.test");
      const r = await proxied
        .agent()
        .post(
          "/v1/auth/login",
          { email: "https@team.test", password: PASSWORD },
          { headers: { "x-forwarded-proto": "https" } },
        );
      expect(cookieOf(r, "tributary_team")?.secure).toBe(true);
    } finally {
      await proxied.close();
    }
  });

  test("wrong password and unknown email get the same 401", async () => {
    await t.team("viewer", "known@team.test");
    const wrong = await t.agent().post("/v1/auth/login", { email: "known@team.test", password: "not the password" });
    const unknown = await t
      .agent()
      .post("/v1/auth/login", { email: "unknown@team.test", password: "not the password" });
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.json().detail).toBe(unknown.json().detail);
  });

  test("five failures lock the account for 15 minutes, even with the right password", async () => {
    await t.team("viewer", "locked@team.test");
    for (let i = 0; i < 5; i++)
      expect(
        (await t.agent().post("/v1/auth/login", { email: "locked@team.test", password: "guess" })).statusCode,
      ).toBe(401);
    const locked = await t.agent().post("/v1/auth/login", { email: "locked@team.test", password: PASSWORD });
    expect(locked.statusCode).toBe(429);
    expect(Number(locked.headers["retry-after"])).toBeGreaterThan(0);
    t.clock.advance(15 * 60_000 + 1000);
    expect((await t.agent().post("/v1/auth/login", { email: "locked@team.test", password: PASSWORD })).statusCode).toBe(
      200,
    );
  });

  test("sign-in attempts are limited per IP", async () => {
    const limited = await createTestApp({ LOGIN_RATE_LIMIT_PER_MINUTE: "3" });
    try {
      const codes = [];
      for (let i = 0; i < 4; i++)
        codes.push(
          (await limited.agent().post("/v1/auth/login", { email: `ip${i}@team.test`, password: "x" })).statusCode,
        );
      expect(codes).toEqual([401, 401, 401, 429]);
    } finally {
      await limited.close();
    }
  });

  test("a disabled member cannot sign in and loses open sessions", async () => {
    const owner = await t.team("owner");
    const member = await t.team("viewer", "leaver@team.test");
    const list = (await owner.get("/v1/team/users")).json().items as { id: string; email: string }[];
    const id = list.find((u) => u.email === "leaver@team.test")!.id;
    expect((await owner.patch(`/v1/team/users/${id}`, { disabled: true })).statusCode).toBe(200);
    expect((await member.get("/v1/auth/me")).statusCode).toBe(401);
    expect((await t.agent().post("/v1/auth/login", { email: "leaver@team.test", password: PASSWORD })).statusCode).toBe(
      401,
    );
  });

  test("sign-out ends the session server-side", async () => {
    const member = await t.team("viewer");
    const token = member.cookies.get("tributary_team")!;
    expect((await member.post("/v1/auth/logout")).statusCode).toBe(200);
    const replay = t.agent();
    replay.cookies.set("tributary_team", token);
    expect((await replay.get("/v1/auth/me")).statusCode).toBe(401);
  });

  test("sessions expire", async () => {
    const member = await t.team("viewer");
    t.clock.advance(t.config.SESSION_TTL_HOURS * 3_600_000 + 1000);
    expect((await member.get("/v1/auth/me")).statusCode).toBe(401);
  });
});

describe("change password", () => {
  test("needs the current password, keeps this session, ends the others", async () => {
    await t.team("manager", "changer@team.test");
    const here = t.agent();
    await here.post("/v1/auth/login", { email: "changer@team.test", password: PASSWORD });
    const elsewhere = t.agent();
    await elsewhere.post("/v1/auth/login", { email: "changer@team.test", password: PASSWORD });

    const wrong = await here.post("/v1/auth/password", {
      currentPassword: "nope nope nope",
      newPassword: "a brand new passphrase",
    });
    expect(wrong.statusCode).toBe(422);
    expect(wrong.json().errors).toEqual([{ field: "/currentPassword", message: "current password is incorrect" }]);
    const weak = await here.post("/v1/auth/password", { currentPassword: PASSWORD, newPassword: "short" });
    expect(weak.json().errors[0].field).toBe("/newPassword");

    expect(
      (await here.post("/v1/auth/password", { currentPassword: PASSWORD, newPassword: "a brand new passphrase" }))
        .statusCode,
    ).toBe(200);
    expect((await here.get("/v1/auth/me")).statusCode).toBe(200);
    expect((await elsewhere.get("/v1/auth/me")).statusCode).toBe(401);
    expect(
      (await t.agent().post("/v1/auth/login", { email: "changer@team.test", password: "a brand new passphrase" }))
        .statusCode,
    ).toBe(200);
  });
});

describe("CSRF", () => {
  test("a cookie-authenticated change without the token is refused and writes nothing", async () => {
    const owner = await t.team("owner");
    const before = (await t.database.db.select().from(auditLog)).length;
    const r = await owner.post("/v1/programs", { name: "x" }, { headers: { "x-csrf-token": "forged" } });
    expect(r.statusCode).toBe(403);
    expect(r.json().code).toBe("csrf");
    const missing = await owner.request(
      "POST",
      "/v1/team/users",
      { email: "a@b.test", name: "A", role: "viewer", password: PASSWORD },
      { headers: { "x-csrf-token": "" } },
    );
    expect(missing.statusCode).toBe(403);
    expect((await t.database.db.select().from(auditLog)).length).toBe(before);
  });

  test("API key calls need no CSRF token", async () => {
    const owner = await t.team("owner");
    const secret = (await owner.post("/v1/api-keys", { name: "s2s", scopes: ["programs:write"] })).json().secret;
    const server = t.agent();
    server.bearer = secret;
    const r = await server.post("/v1/programs", {
      name: "From API",
      slug: "from-api",
      type: "referral",
      currency: "EUR",
    });
    expect(r.statusCode).toBe(201);
  });
});

describe("roles", () => {
  test("the last active owner can be neither demoted nor disabled", async () => {
    const solo = await createTestApp();
    try {
      const owner = await solo.team("owner");
      const me = (await owner.get("/v1/auth/me")).json().user;
      expect((await owner.patch(`/v1/team/users/${me.id}`, { role: "manager" })).statusCode).toBe(409);
      expect((await owner.patch(`/v1/team/users/${me.id}`, { disabled: true })).statusCode).toBe(409);
      await solo.team("owner");
      expect((await owner.patch(`/v1/team/users/${me.id}`, { role: "manager" })).statusCode).toBe(200);
    } finally {
      await solo.close();
    }
  });

  test("a duplicate team email is a 409 naming the field", async () => {
    const owner = await t.team("owner");
    const body = { email: "dup@team.test", name: "Dup", role: "viewer", password: PASSWORD };
    expect((await owner.post("/v1/team/users", body)).statusCode).toBe(201);
    const again = await owner.post("/v1/team/users", { ...body, email: "DUP@team.test" });
    expect(again.statusCode).toBe(409);
    expect(again.json().errors[0].field).toBe("/email");
  });
});
