import { afterAll, beforeAll, expect, test } from "vitest";
import { type ProgramSetup, programWithPartners } from "../helpers/program-setup.js";
import { type Agent, createTestApp, type TestApp } from "../helpers/test-app.js";

/**
 * A program's link domain (go.acme.example, pointed at Tributary by the vendor): its partner links are given on that
 * host, in the console's and the portal's lists and in what creating or changing a link answers.
 */
let t: TestApp;
let owner: Agent;
let setup: ProgramSetup;

beforeAll(async () => {
  t = await createTestApp();
  owner = await t.team("owner");
  setup = await programWithPartners(t, owner, 1);
});
afterAll(() => t.close());

const patchProgram = (body: Record<string, unknown>) => owner.patch(`/v1/programs/${setup.program.id}`, body);

test("set as a host name (case and a final dot do not matter), every link of the program is given on it; cleared, none", async () => {
  const partner = setup.partners[0]!;
  expect((await partner.agent.get("/v1/portal/links")).json().items[0].url).toBeNull();

  const saved = await patchProgram({ linkDomain: " Go.Acme.Example. " });
  expect(saved.statusCode).toBe(200);
  expect(saved.json().linkDomain).toBe("go.acme.example");
  const mine = (await partner.agent.get("/v1/portal/links")).json().items;
  expect(mine[0]).toMatchObject({ slug: partner.slug, url: `https://go.acme.example/r/${partner.slug}` });
  const listed = (await owner.get(`/v1/links?programId=${setup.program.id}`)).json().items;
  expect(listed.map((l: { url: string }) => l.url)).toEqual([`https://go.acme.example/r/${partner.slug}`]);

  const created = await partner.agent.post(`/v1/portal/enrollments/${partner.enrollmentId}/links`, {
    slug: "spring-sale",
    destinationUrl: "https://acme.example/spring",
  });
  expect(created.statusCode).toBe(201);
  expect(created.json().url).toBe("https://go.acme.example/r/spring-sale");
  const disabled = await partner.agent.patch(`/v1/portal/links/${created.json().id}`, { disabled: true });
  expect(disabled.json()).toMatchObject({ disabled: true, url: "https://go.acme.example/r/spring-sale" });

  // The link answers on that host as on any other: the vendor's DNS and proxy bring the visitor here.
  const visit = await t.app.inject({
    method: "GET",
    url: `/r/${partner.slug}`,
    headers: { host: "go.acme.example", "user-agent": "Mozilla/5.0 (X11; Linux x86_64) Chrome/126.0 Safari/537.36" },
  });
  expect(visit.statusCode).toBe(302);

  for (const cleared of [null, ""]) {
    await patchProgram({ linkDomain: "go.acme.example" });
    const r = await patchProgram({ linkDomain: cleared });
    expect(r.json().linkDomain).toBeNull();
    expect((await partner.agent.get("/v1/portal/links")).json().items[0].url).toBeNull();
  }
});

test("anything but a host name is refused, naming the field, and nothing changes", async () => {
  await patchProgram({ linkDomain: "go.acme.example" });
  for (const bad of [
    "https://go.acme.example",
    "go.acme.example:8443",
    "go.acme.example/r",
    "go acme",
    "localhost",
    "10.0.0.1",
  ]) {
    const r = await patchProgram({ linkDomain: bad, cookieWindowDays: 7 });
    expect(r.statusCode, bad).toBe(422);
    expect(r.json().errors.map((e: { field: string }) => e.field)).toEqual(["/linkDomain"]);
  }
  const now = (await owner.get(`/v1/programs/${setup.program.id}`)).json();
  expect(now.linkDomain).toBe("go.acme.example");
  expect(now.cookieWindowDays).not.toBe(7);
  expect((await patchProgram({ linkDomain: "x".repeat(254) })).statusCode).toBe(422);
});

test("a new program can have one from the start, checked the same way", async () => {
  const r = await owner.post("/v1/programs", {
    name: "Branded",
    slug: "branded",
    type: "affiliate",
    currency: "USD",
    allowedDomains: ["brand.example"],
    linkDomain: "go.brand.example",
  });
  expect(r.statusCode).toBe(201);
  expect(r.json().linkDomain).toBe("go.brand.example");
  const refused = await owner.post("/v1/programs", {
    name: "Branded 2",
    slug: "branded-2",
    type: "affiliate",
    currency: "USD",
    linkDomain: "https://go.brand.example/",
  });
  expect(refused.statusCode).toBe(422);
  expect(refused.json().errors[0].field).toBe("/linkDomain");
});

test("the bare link domain goes to the program's site; Tributary's own host to the console", async () => {
  await patchProgram({ linkDomain: "go.acme.example" });
  const { defaultLandingUrl } = (await owner.get(`/v1/programs/${setup.program.id}`)).json();
  expect(defaultLandingUrl).toMatch(/^https:\/\/acme\.example\//);
  const bare = await t.app.inject({ method: "GET", url: "/", headers: { host: "Go.Acme.Example:443" } });
  expect(bare.statusCode).toBe(302);
  expect(bare.headers.location).toBe(defaultLandingUrl);
  await patchProgram({ defaultLandingUrl: null });
  expect((await t.app.inject({ method: "GET", url: "/", headers: { host: "go.acme.example" } })).headers.location).toBe(
    "https://acme.example/",
  );
  const own = await t.app.inject({ method: "GET", url: "/", headers: { host: "partners.example" } });
  expect(own.headers.location).toBe("/admin");
});
