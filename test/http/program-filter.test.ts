import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { programWithPartners } from "../helpers/program-setup.js";
import { type Agent, createTestApp, programBody, type TestApp } from "../helpers/test-app.js";

/**
 * A list filtered by `programId` once answered an empty page for a program's slug or an unknown id, which reads as
 * "nothing yet". Every GET route whose query takes a `programId` is found in the OpenAPI document (so a new one is
 * covered without being listed here) and must answer a program it cannot see with the same 404 problem naming it.
 */
let t: TestApp;
let owner: Agent;
let partner: Agent;
let program: { id: string; slug: string };
let other: { id: string; slug: string };
let samples: Record<string, string>;
let routes: { path: string; required: string[]; portal: boolean }[];

interface Parameter {
  name: string;
  in: string;
  required?: boolean;
  schema?: { default?: unknown };
}

beforeAll(async () => {
  t = await createTestApp();
  owner = await t.team("owner");
  const setup = await programWithPartners(t, owner, 1);
  program = setup.program;
  partner = setup.partners[0]!.agent;
  // A program the partner has never applied to: it exists, but not for this partner.
  other = (await owner.post("/v1/programs", programBody({ applicationQuestions: [] }))).json();
  const [link] = (await partner.get("/v1/portal/links")).json().items;
  samples = { partnerId: setup.partners[0]!.id, period: "2026-03", linkIds: link.id };
  const doc = (await t.app.inject({ method: "GET", url: "/openapi.json" })).json<{
    paths: Record<string, Record<string, { parameters?: Parameter[] }>>;
  }>();
  routes = Object.entries(doc.paths).flatMap(([path, operations]) => {
    const parameters = operations.get?.parameters ?? [];
    if (!parameters.some((p) => p.in === "query" && p.name === "programId")) return [];
    const required = parameters.filter(
      (p) => p.in === "query" && p.required && p.schema?.default === undefined && p.name !== "programId",
    );
    return [{ path, required: required.map((p) => p.name), portal: path.startsWith("/v1/portal/") }];
  });
});
afterAll(() => t.close());

/** The route's URL with its path id and required query values filled in, filtered by `programId`. */
function urlOf(route: (typeof routes)[number], programId: string): string {
  const query = new URLSearchParams({ programId });
  for (const name of route.required) {
    const value = samples[name];
    if (value === undefined) throw new Error(`${route.path}: no sample value for its required ${name}`);
    query.set(name, value);
  }
  return `${route.path.replace("{id}", samples.partnerId!)}?${query}`;
}

const callerOf = (route: (typeof routes)[number]) => (route.portal ? partner : owner);

describe("a programId filter names a program the caller can see", () => {
  test("the list routes that take one are all checked, for the team and in the portal", () => {
    const paths = routes.map((r) => r.path);
    for (const path of [
      "/v1/links",
      "/v1/coupons",
      "/v1/clicks",
      "/v1/clicks/count",
      "/v1/clicks/export",
      "/v1/conversions",
      "/v1/commissions",
      "/v1/commissions/summary",
      "/v1/stats",
      "/v1/stats/breakdown",
      "/v1/stats/links",
      "/v1/portal/stats",
      "/v1/portal/breakdown",
      "/v1/portal/conversions",
      "/v1/portal/earnings",
    ])
      expect(paths).toContain(path);
  });

  test("an unknown id is a 404 problem naming it, on every route that takes one", async () => {
    const failures: string[] = [];
    for (const route of routes) {
      const response = await callerOf(route).get(urlOf(route, "prg_nope"));
      const body = response.statusCode === 404 ? response.json() : undefined;
      if (
        response.statusCode !== 404 ||
        !String(response.headers["content-type"]).startsWith("application/problem+json") ||
        body.detail !== "program prg_nope not found" ||
        body.errors?.[0]?.field !== "querystring:/programId"
      )
        failures.push(`${route.path}: ${response.statusCode} ${response.body.slice(0, 160)}`);
    }
    expect(failures).toEqual([]);
  });

  test("a program's slug is not its id: a 404 naming the slug, where the list once came back empty", async () => {
    const response = await owner.get(`/v1/links?programId=${program.slug}`);
    expect(response.statusCode).toBe(404);
    expect(response.json()).toMatchObject({
      status: 404,
      code: "not_found",
      detail: `program ${program.slug} not found`,
      errors: [{ field: "querystring:/programId", message: "no such program" }],
    });
  });

  test("the program's id still filters every route", async () => {
    const failures: string[] = [];
    for (const route of routes) {
      const response = await callerOf(route).get(urlOf(route, program.id));
      if (response.statusCode !== 200) failures.push(`${route.path}: ${response.statusCode} ${response.body}`);
    }
    expect(failures).toEqual([]);
  });

  test("no filter is no filter", async () => {
    expect((await owner.get("/v1/links")).statusCode).toBe(200);
    expect((await owner.get("/v1/links?programId=")).statusCode).toBe(200);
  });

  test("a program the team can see answers the team, whoever its partners are", async () => {
    expect((await owner.get(`/v1/links?programId=${other.id}`)).json()).toEqual({ items: [], nextCursor: null });
  });

  test("in the portal, a program the partner is not enrolled in answers exactly as one that does not exist", async () => {
    const portal = routes.filter((r) => r.portal);
    expect(portal.length).toBeGreaterThanOrEqual(5);
    const failures: string[] = [];
    for (const route of portal) {
      const existing = await partner.get(urlOf(route, other.id));
      const missing = await partner.get(urlOf(route, "prg_00000000000000000000000000"));
      const sameShape =
        existing.body.replaceAll(other.id, "ID") === missing.body.replaceAll("prg_00000000000000000000000000", "ID");
      if (existing.statusCode !== 404 || missing.statusCode !== 404 || !sameShape)
        failures.push(`${route.path}: ${existing.statusCode} ${existing.body} / ${missing.statusCode} ${missing.body}`);
    }
    expect(failures).toEqual([]);
  });
});
