import type { InjectOptions, LightMyRequestResponse } from "fastify";
import { type Config, loadConfig } from "../../src/config.js";
import type { Database } from "../../src/db/client.js";
import type { TeamRole } from "../../src/db/schema/index.js";
import { createTeamUser } from "../../src/domain/accounts/create-team-user.js";
import type { Ctx } from "../../src/domain/context.js";
import { type App, createApp } from "../../src/http/app.js";
import { ManualClock } from "../../src/lib/clock.js";
import { createTestDb } from "./test-db.js";

export const PASSWORD = "correct horse battery";

export interface TestApp {
  app: App;
  database: Database;
  clock: ManualClock;
  config: Config;
  /** A use-case context acting as the system, for arranging data directly. */
  ctx: Ctx;
  agent(): Agent;
  /** An agent signed in to the console with a new team member of this role. */
  team(role: TeamRole, email?: string): Promise<Agent>;
  close(): Promise<void>;
}

type Method = "GET" | "POST" | "PATCH" | "DELETE" | "PUT";

/** A browser-like client: keeps cookies, fetches a CSRF token before its first change, or uses an API key. */
export class Agent {
  readonly cookies = new Map<string, string>();
  csrfToken: string | undefined;
  bearer: string | undefined;

  constructor(
    private readonly app: App,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async request(
    method: Method,
    url: string,
    body?: unknown,
    extra: Partial<InjectOptions> = {},
  ): Promise<LightMyRequestResponse> {
    const headers: Record<string, string> = { ...(extra.headers as Record<string, string> | undefined) };
    if (this.bearer) headers.authorization = `Bearer ${this.bearer}`;
    else if (method !== "GET" && !this.csrfToken) await this.fetchCsrf();
    if (!this.bearer && method !== "GET" && this.csrfToken && !("x-csrf-token" in headers))
      headers["x-csrf-token"] = this.csrfToken;
    const { headers: _merged, ...rest } = extra;
    const response = await this.app.inject({
      method,
      url,
      headers,
      cookies: Object.fromEntries(this.cookies),
      ...(body === undefined ? {} : { payload: body as object }),
      ...rest,
    } as InjectOptions);
    this.remember(response);
    return response;
  }

  get = (url: string, extra?: Partial<InjectOptions>) => this.request("GET", url, undefined, extra);
  post = (url: string, body?: unknown, extra?: Partial<InjectOptions>) => this.request("POST", url, body ?? {}, extra);
  patch = (url: string, body?: unknown, extra?: Partial<InjectOptions>) =>
    this.request("PATCH", url, body ?? {}, extra);
  delete = (url: string, extra?: Partial<InjectOptions>) => this.request("DELETE", url, undefined, extra);

  async fetchCsrf(): Promise<string> {
    const response = await this.request("GET", "/v1/auth/csrf");
    this.csrfToken = response.json<{ token: string }>().token;
    return this.csrfToken;
  }

  private remember(response: LightMyRequestResponse) {
    for (const c of response.cookies as { name: string; value: string; expires?: Date; maxAge?: number }[]) {
      const expired = (c.expires && c.expires.getTime() < this.now().getTime()) || c.maxAge === 0 || c.value === "";
      if (expired) this.cookies.delete(c.name);
      else this.cookies.set(c.name, c.value);
    }
  }
}

export async function createTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  const database = await createTestDb();
  const clock = new ManualClock("2026-03-02T10:00:00Z");
  // Per-IP limits count real time, not the test clock; tests that check them set their own.
  const config = loadConfig({
    LOG_LEVEL: "silent",
    DATA_DIR: "/nonexistent",
    LOGIN_RATE_LIMIT_PER_MINUTE: "1000",
    PUBLIC_FORM_RATE_LIMIT_PER_MINUTE: "1000",
    ...env,
  });
  const app = await createApp(
    { config, database, clock, cookieSecret: "test-cookie-secret-0123456789abcdef" },
    { logger: false },
  );
  const ctx: Ctx = {
    db: database.db,
    clock,
    log: app.log,
    actor: { type: "system", label: "test" },
    config: { sessionTtlHours: config.SESSION_TTL_HOURS },
  };
  let n = 0;
  const testApp: TestApp = {
    app,
    database,
    clock,
    config,
    ctx,
    agent: () => new Agent(app, () => clock.now()),
    async team(role, email) {
      n += 1;
      const address = email ?? `${role}${n}@team.test`;
      await createTeamUser(ctx, { email: address, name: `${role} ${n}`, role, password: PASSWORD });
      const agent = new Agent(app, () => clock.now());
      const response = await agent.post("/v1/auth/login", { email: address, password: PASSWORD });
      if (response.statusCode !== 200) throw new Error(`sign-in failed: ${response.body}`);
      return agent;
    },
    async close() {
      await app.close();
      await database.close();
    },
  };
  return testApp;
}

/** A valid program body; override what a test cares about. */
/** A server-to-server caller (a billing system, a backend) with an API key of these scopes, made by `owner`. */
export async function apiKeyAgent(t: TestApp, owner: Agent, scopes: string[]): Promise<Agent> {
  const agent = t.agent();
  agent.bearer = (await owner.post("/v1/api-keys", { name: "billing", scopes })).json().secret;
  return agent;
}

export const programBody = (overrides: Record<string, unknown> = {}) => ({
  name: "Acme Affiliates",
  slug: `acme-${Math.random().toString(36).slice(2, 8)}`,
  type: "affiliate",
  currency: "USD",
  cookieWindowDays: 30,
  allowedDomains: ["acme.example"],
  defaultLandingUrl: "https://acme.example/",
  termsText: "Be honest. No brand bidding.",
  applicationQuestions: [
    { label: "Where will you promote us?", type: "select", required: true, options: ["Blog", "YouTube"] },
    { label: "Monthly audience", type: "number", required: false },
  ],
  ...overrides,
});

export interface ProgramJson {
  id: string;
  slug: string;
  termsVersion: number;
  applicationQuestions: { id: string; label: string; type: string }[];
}

/** An application body answering the given program's questions. */
export const applicationBody = (program: ProgramJson, email: string, overrides: Record<string, unknown> = {}) => ({
  email,
  password: PASSWORD,
  name: "Pat Partner",
  company: `${email.split("@")[0]} Media`,
  partnerType: "affiliate",
  country: "DE",
  website: "https://partner.example",
  answers: Object.fromEntries(program.applicationQuestions.map((q) => [q.id, q.type === "number" ? 1200 : "Blog"])),
  acceptTerms: true,
  ...overrides,
});
