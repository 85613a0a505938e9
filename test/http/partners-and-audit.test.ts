import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { apiKeys, auditLog } from "../../src/db/schema/index.js";
import { createApp } from "../../src/http/app.js";
import {
  type Agent,
  applicationBody,
  createTestApp,
  type ProgramJson,
  programBody,
  type TestApp,
} from "../helpers/test-app.js";

let t: TestApp;
let owner: Agent;
let program: ProgramJson;
beforeAll(async () => {
  t = await createTestApp();
  owner = await t.team("owner");
  program = (await owner.post("/v1/programs", programBody({ applicationQuestions: [] }))).json();
});
afterAll(() => t.close());

describe("partners", () => {
  test("search, filter by type, country, program and status, and page with a cursor", async () => {
    const reseller = (
      await owner.post("/v1/partners", {
        name: "Northwind Solutions",
        type: "reseller",
        country: "SE",
        enrollInProgramId: program.id,
        contacts: [{ name: "Nils", email: "nils@northwind.example" }],
      })
    ).json();
    await owner.post("/v1/partners", {
      name: "Bluepeak Media",
      type: "affiliate",
      country: "US",
      website: "https://bluepeak.example",
    });
    await t
      .agent()
      .post(
        `/v1/public/programs/${program.slug}/applications`,
        applicationBody(program, "cobalt@cobalt.example", { company: "Cobalt Reviews" }),
      );

    const names = async (query: string) =>
      ((await owner.get(`/v1/partners?${query}`)).json().items as { name: string }[]).map((p) => p.name);
    expect(await names("q=northwind")).toEqual(["Northwind Solutions"]);
    expect(await names("q=nils%40northwind")).toEqual(["Northwind Solutions"]);
    expect(await names("q=bluepeak.example")).toEqual(["Bluepeak Media"]);
    expect(await names("q=%25")).toEqual([]);
    expect(await names("type=reseller")).toEqual(["Northwind Solutions"]);
    expect(await names("country=US")).toEqual(["Bluepeak Media"]);
    expect(await names(`programId=${program.id}`)).toEqual(["Cobalt Reviews", "Northwind Solutions"]);
    expect(await names(`programId=${program.id}&status=applied`)).toEqual(["Cobalt Reviews"]);
    expect(await names(`status=approved`)).toEqual(["Northwind Solutions"]);

    const first = (await owner.get("/v1/partners?limit=2")).json();
    expect(first.items).toHaveLength(2);
    const second = (await owner.get(`/v1/partners?limit=2&cursor=${first.nextCursor}`)).json();
    expect(second.items.map((p: { name: string }) => p.name)).toEqual(["Northwind Solutions"]);
    expect(second.nextCursor).toBeNull();

    const detail = (await owner.get(`/v1/partners/${reseller.id}`)).json();
    expect(detail.enrollments).toEqual([expect.objectContaining({ programId: program.id, status: "approved" })]);
    expect(detail.users).toEqual([]);
  });

  test("bad filters and bodies are 4xx problems naming the field", async () => {
    const badLimit = await owner.get("/v1/partners?limit=0");
    expect(badLimit.statusCode).toBe(422);
    expect(badLimit.json().errors[0].field).toBe("querystring:/limit");
    expect((await owner.get("/v1/partners?status=pending")).statusCode).toBe(422);
    const badEnroll = await owner.post("/v1/partners", {
      name: "X",
      type: "reseller",
      enrollInProgramId: "prg_missing",
    });
    expect(badEnroll.json().errors).toEqual([{ field: "/enrollInProgramId", message: "no such program" }]);
    // An empty id is no id: a mistake to say so, not a partner created without the enrollment asked for.
    const emptyEnroll = await owner.post("/v1/partners", { name: "X", type: "reseller", enrollInProgramId: "" });
    expect(emptyEnroll.statusCode).toBe(422);
    expect(emptyEnroll.json().errors).toEqual([expect.objectContaining({ field: "/enrollInProgramId" })]);
    expect((await owner.patch("/v1/partners/ptn_missing", { name: "X" })).statusCode).toBe(404);
    expect((await owner.patch("/v1/partners/ptn_missing", {})).statusCode).toBe(422);
  });
});

describe("audit log", () => {
  test("every change records actor, action, entity, before/after, time and IP, and never a secret", async () => {
    const p = (await owner.post("/v1/programs", programBody())).json();
    t.clock.advance(1000);
    await owner.patch(`/v1/programs/${p.id}`, { name: "Renamed" }, { remoteAddress: "203.0.113.9" });
    const [entry] = (await owner.get(`/v1/audit-log?entityType=program&entityId=${p.id}&limit=1`)).json().items;
    expect(entry).toMatchObject({
      actorType: "team",
      actorLabel: expect.stringContaining("@team.test"),
      action: "program.update",
      entityId: p.id,
      programId: p.id,
      ip: "203.0.113.9",
      at: t.clock.now().toISOString(),
    });
    expect(entry.before.name).toBe("Acme Affiliates");
    expect(entry.after.name).toBe("Renamed");

    await owner.post("/v1/api-keys", { name: "audited", scopes: ["admin"] });
    const all = JSON.stringify(await t.database.db.select().from(auditLog));
    const [key] = await t.database.db.select().from(apiKeys);
    expect(all).not.toContain(key!.secretHash);
    expect(all).not.toMatch(/\$argon2id\$/);
  });

  test("API key and partner changes are attributed to them; filters by actor and action prefix", async () => {
    const secret = (await owner.post("/v1/api-keys", { name: "crm sync", scopes: ["partners:write"] })).json().secret;
    const crm = t.agent();
    crm.bearer = secret;
    await crm.post("/v1/partners", { name: "From CRM", type: "integrator" });
    const byKey = (await owner.get("/v1/audit-log?actorType=api_key")).json().items;
    expect(byKey[0]).toMatchObject({ action: "partner.create", actorLabel: "API key crm sync" });

    const partner = t.agent();
    await partner.post(
      `/v1/public/programs/${program.slug}/applications`,
      applicationBody(program, "auditee@partner.test"),
    );
    await partner.patch("/v1/portal/partner", { website: "https://auditee.example" });
    const byPartner = (await owner.get("/v1/audit-log?actorType=partner&action=partner.")).json().items;
    expect(byPartner[0]).toMatchObject({ action: "partner.update", actorLabel: "auditee@partner.test" });
    const enrollmentEntries = (await owner.get("/v1/audit-log?action=enrollment.")).json().items;
    expect(enrollmentEntries.every((e: { action: string }) => e.action.startsWith("enrollment."))).toBe(true);
  });

  test("a failed change writes neither the change nor an audit row", async () => {
    const before = (await t.database.db.select().from(auditLog)).length;
    await owner.post("/v1/programs", programBody({ slug: program.slug }));
    await owner.post("/v1/enrollments/enr_missing/approve", {});
    expect((await t.database.db.select().from(auditLog)).length).toBe(before);
  });

  test("time filters and paging", async () => {
    t.clock.advance(1000);
    const since = t.clock.now().toISOString();
    await owner.post("/v1/partners", { name: "Later One", type: "affiliate" });
    await owner.post("/v1/partners", { name: "Later Two", type: "affiliate" });
    const recent = (await owner.get(`/v1/audit-log?since=${encodeURIComponent(since)}&limit=1`)).json();
    expect(recent.items).toHaveLength(1);
    expect(recent.items[0].after.name).toBe("Later Two");
    const rest = (
      await owner.get(`/v1/audit-log?since=${encodeURIComponent(since)}&limit=5&cursor=${recent.nextCursor}`)
    ).json();
    expect(rest.items.map((e: { after: { name: string } }) => e.after.name)).toEqual(["Later One"]);
    expect((await owner.get("/v1/audit-log?since=yesterday")).statusCode).toBe(422);
  });
});

describe("API keys", () => {
  test("the secret is shown once, stored hashed with a visible prefix, tracks last use, and stops working when revoked", async () => {
    const created = await owner.post("/v1/api-keys", { name: "billing", scopes: ["partners:read", "programs:read"] });
    expect(created.statusCode).toBe(201);
    const { secret, apiKey } = created.json();
    expect(secret).toMatch(/^trb_[A-Za-z0-9_-]{43}$/);
    expect(secret.startsWith(apiKey.prefix)).toBe(true);
    expect(apiKey.lastUsedAt).toBeNull();
    const stored = (await t.database.db.select().from(apiKeys)).find((k) => k.id === apiKey.id)!;
    expect(stored.secretHash).not.toContain(secret);
    expect(JSON.stringify((await owner.get("/v1/api-keys")).json())).not.toContain(secret);

    const billing = t.agent();
    billing.bearer = secret;
    expect((await billing.get("/v1/partners")).statusCode).toBe(200);
    expect((await billing.post("/v1/partners", { name: "x", type: "affiliate" })).statusCode).toBe(403);
    const listed = (await owner.get("/v1/api-keys")).json().items.find((k: { id: string }) => k.id === apiKey.id);
    expect(listed.lastUsedAt).toBe(t.clock.now().toISOString());

    expect((await owner.delete(`/v1/api-keys/${apiKey.id}`)).json().revokedAt).toBe(t.clock.now().toISOString());
    expect((await billing.get("/v1/partners")).statusCode).toBe(401);
    expect((await owner.delete(`/v1/api-keys/${apiKey.id}`)).statusCode).toBe(409);
  });

  test("a revoked key stops working on every instance, not only the one that revoked it", async () => {
    const { secret, apiKey } = (
      await owner.post("/v1/api-keys", { name: "two instances", scopes: ["partners:read"] })
    ).json();
    const other = await createApp(
      { config: t.config, database: t.database, clock: t.clock, cookieSecret: "second-instance-secret-0123456789ab" },
      { logger: false },
    );
    try {
      const call = () =>
        other.inject({ method: "GET", url: "/v1/partners", headers: { authorization: `Bearer ${secret}` } });
      expect((await call()).statusCode).toBe(200); // now cached on the second instance
      await owner.delete(`/v1/api-keys/${apiKey.id}`);
      let status = 200;
      for (let i = 0; i < 50 && status !== 401; i++) {
        await new Promise((r) => setTimeout(r, 20));
        status = (await call()).statusCode;
      }
      expect(status).toBe(401);
    } finally {
      await other.close();
    }
  });

  test("unknown scopes and malformed keys are refused", async () => {
    const bad = await owner.post("/v1/api-keys", { name: "x", scopes: ["everything"] });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().errors[0].field).toMatch(/^\/scopes/);
    const r = await t.agent().get("/v1/partners", { headers: { authorization: "Basic abc" } });
    expect(r.statusCode).toBe(401);
    const forged = t.agent();
    forged.bearer = "trb_forged";
    expect((await forged.get("/v1/partners")).statusCode).toBe(401);
  });
});
