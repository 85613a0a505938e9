import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { click, type ProgramSetup, programWithPartners } from "../helpers/program-setup.js";
import { type Agent, createTestApp, type TestApp } from "../helpers/test-app.js";

/**
 * Every route of the OpenAPI document, each body field and query parameter in turn given something hostile, on a
 * body that is otherwise plausible: below 500 every time, and a 4xx is an RFC 9457 problem. hostile-input.test.ts
 * checks what chosen fields answer and that nothing is written; this sweep is for the routes nobody thought of, and
 * for the next one added. Console and API routes go as the owner, the portal's as a partner, the conversion API's
 * with an API key; path ids are real ones where the setup has one, or an id of nothing. The two routes the document
 * leaves out, the redirect and the snippet's click, are in hostile-input.test.ts.
 */
const HOSTILE: unknown[] = [
  null,
  "",
  "x".repeat(5_000),
  -1,
  1.5,
  2 ** 53,
  {},
  [],
  "a\u0000b",
  "\ud800",
  "9999-12-31T23:59:59Z",
  "0001-01-01T00:00:00Z",
];
const HOSTILE_QUERY = ["", "%00", "%ud800", "x".repeat(3_000), "-1", "0001-01-01T00:00:00Z"];
// Signing in and out, and passwords, would end the sessions the sweep runs on (their own tests cover them).
const SKIPPED = /\/auth\/|\/password/;

interface Schema {
  $ref?: string;
  type?: string | string[];
  format?: string;
  enum?: unknown[];
  const?: unknown;
  anyOf?: Schema[];
  oneOf?: Schema[];
  minimum?: number;
  minLength?: number;
  minItems?: number;
  items?: Schema;
  required?: string[];
  properties?: Record<string, Schema>;
}
interface Operation {
  parameters?: { in: string; name: string }[];
  requestBody?: { content?: Record<string, { schema?: Schema }> };
}
interface OpenApi {
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, Schema> };
}

let t: TestApp;
let owner: Agent;
let api: Agent;
let setup: ProgramSetup;
let spec: OpenApi;
const ids: Record<string, string> = {};

beforeAll(async () => {
  t = await createTestApp();
  owner = await t.team("owner");
  api = t.agent();
  api.bearer = (
    await owner.post("/v1/api-keys", { name: "sweep", scopes: ["track:write", "partners:read"] })
  ).json().secret;
  setup = await programWithPartners(t, owner, 2);
  const [partner] = setup.partners;
  const sale = await api.post("/v1/track/sale", {
    programId: setup.program.id,
    orderId: "sweep-1",
    amount: 4_900,
    currency: "USD",
    customerExternalId: "sweep-customer",
    clickId: await click(t, partner!.slug),
  });
  expect(sale.statusCode).toBe(201);
  const [link] = (await owner.get(`/v1/links?programId=${setup.program.id}`)).json().items;
  Object.assign(ids, {
    programs: setup.program.id,
    partners: partner!.id,
    enrollments: partner!.enrollmentId,
    links: link.id,
    conversions: sale.json().id,
  });
  const docs = await owner.get("/docs/json");
  expect(docs.statusCode).toBe(200);
  spec = docs.json();
});
afterAll(() => t.close());

const resolve = (schema: Schema | undefined): Schema => {
  if (schema?.$ref) return spec.components?.schemas?.[schema.$ref.split("/").pop()!] ?? {};
  return schema ?? {};
};

/** A value the schema takes: its required fields only, the least each type allows. */
function plausible(given: Schema | undefined, depth = 0): unknown {
  const schema = resolve(given);
  if (depth > 5) return null;
  const union = schema.anyOf ?? schema.oneOf;
  if (union) return plausible(union.find((s) => resolve(s).type !== "null") ?? union[0], depth + 1);
  if (schema.enum) return schema.enum[0];
  if (schema.const !== undefined) return schema.const;
  const type = Array.isArray(schema.type) ? schema.type.find((x) => x !== "null") : schema.type;
  switch (type) {
    case "string":
      if (schema.format === "date-time") return new Date(t.clock.now().getTime() - 86_400_000).toISOString();
      if (schema.format === "date") return t.clock.now().toISOString().slice(0, 10);
      if (schema.format === "email") return "sweep@example.com";
      if (schema.format === "uri") return "https://example.com/sweep";
      return "x".repeat(Math.max(1, schema.minLength ?? 1));
    case "integer":
    case "number":
      return Math.max(schema.minimum ?? 1, 1);
    case "boolean":
      return true;
    case "array":
      return schema.minItems ? [plausible(schema.items, depth + 1)] : [];
    case "object":
      return Object.fromEntries((schema.required ?? []).map((k) => [k, plausible(schema.properties?.[k], depth + 1)]));
    default:
      return "x";
  }
}

/** The path with each parameter an id of the collection it follows, when the setup has one. */
const withIds = (path: string) =>
  path.replace(/\/([\w-]+)\/\{\w+\}/g, (_all, collection: string) => `/${collection}/${ids[collection] ?? "nothing"}`);

const agentFor = (path: string) =>
  path.startsWith("/v1/portal/") ? setup.partners[1]!.agent : path.startsWith("/v1/track/") ? api : owner;

const routes = () =>
  Object.entries(spec.paths)
    .filter(([path]) => !SKIPPED.test(path))
    .flatMap(([path, operations]) =>
      Object.entries(operations)
        .filter(([method]) => ["get", "post", "put", "patch"].includes(method))
        .map(([method, operation]) => ({ path, method: method.toUpperCase() as "GET", operation })),
    );

/** What went wrong with an answer, or nothing. */
function fault(response: { statusCode: number; headers: Record<string, unknown>; body: string }): string | undefined {
  if (response.statusCode >= 500) return `${response.statusCode}: ${response.body.slice(0, 300)}`;
  const type = String(response.headers["content-type"] ?? "");
  if (response.statusCode >= 400 && !type.includes("application/problem+json"))
    return `${response.statusCode} as ${type}: ${response.body.slice(0, 200)}`;
  return undefined;
}

describe("every route answers hostile input with a 4xx problem, never a 500", () => {
  test("each body field in turn", async () => {
    const faults: string[] = [];
    let sent = 0;
    for (const { path, method, operation } of routes()) {
      const schema = resolve(operation.requestBody?.content?.["application/json"]?.schema);
      if (method === "GET" || !schema.properties) continue;
      const url = withIds(path);
      const base = plausible(schema) as Record<string, unknown>;
      for (const field of Object.keys(schema.properties)) {
        for (const value of HOSTILE) {
          const response = await agentFor(path).request(method, url, { ...base, [field]: value });
          sent++;
          const wrong = fault(response);
          if (wrong) faults.push(`${method} ${url} ${field}=${JSON.stringify(value).slice(0, 40)} → ${wrong}`);
        }
      }
    }
    expect(sent).toBeGreaterThan(1_000);
    expect(faults).toEqual([]);
  });

  test("each query parameter in turn, and bodies that are not JSON objects", async () => {
    const faults: string[] = [];
    let sent = 0;
    for (const { path, method, operation } of routes()) {
      const url = withIds(path);
      const agent = agentFor(path);
      if (method === "GET") {
        for (const { name } of (operation.parameters ?? []).filter((p) => p.in === "query")) {
          for (const value of HOSTILE_QUERY) {
            const response = await agent.get(`${url}?${name}=${value}`);
            sent++;
            const wrong = fault(response);
            if (wrong) faults.push(`GET ${url}?${name}=${value.slice(0, 40)} → ${wrong}`);
          }
        }
        continue;
      }
      for (const payload of ["{", "[]", "null", '"text"', "7"]) {
        const response = await agent.request(method, url, undefined, {
          payload,
          headers: { "content-type": "application/json" },
        });
        sent++;
        const wrong = fault(response);
        if (wrong) faults.push(`${method} ${url} ${payload} → ${wrong}`);
      }
    }
    expect(sent).toBeGreaterThan(300);
    expect(faults).toEqual([]);
  });
});
