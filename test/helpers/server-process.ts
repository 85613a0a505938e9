import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";

const root = join(import.meta.dirname, "..", "..");

export const freePort = () =>
  new Promise<number>((resolve) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

export interface ServerProcess {
  url: string;
  child: ChildProcess;
  output: () => string;
  /** Resident memory of the server process, in MB (Linux /proc). */
  rssMb: () => number;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** The real server as its own process (`tributary serve`), for crash tests and benchmarks. */
export async function startServer(
  env: Record<string, string>,
  /** `execArgv`: Node's own flags for the server (profiling: --cpu-prof, --perf-basic-prof). */
  options: { port?: number; built?: boolean; execArgv?: string[] } = {},
): Promise<ServerProcess> {
  const p = options.port ?? (await freePort());
  // `built` runs the compiled server, as in production (benchmarks); tests run the sources through tsx's loader.
  // Either way the server is a plain node process: the tsx wrapper would SIGKILL it if it did not acknowledge a
  // relayed SIGTERM within 30 ms, which on a busy machine turns a graceful shutdown into a crash.
  const args = options.built
    ? [join(root, "dist", "server", "cli.js")]
    : ["--import", "tsx", join(root, "src", "cli.ts")];
  const child = spawn(
    process.execPath,
    [...(options.execArgv ?? []), ...args, "serve", "--port", String(p), "--host", "127.0.0.1"],
    {
      env: { ...process.env, LOG_LEVEL: "warn", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let output = "";
  child.stdout?.on("data", (d) => {
    output += d;
  });
  child.stderr?.on("data", (d) => {
    output += d;
  });
  const url = `http://127.0.0.1:${p}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited early:\n${output}`);
    try {
      if ((await fetch(`${url}/health`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`server did not start:\n${output}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    child,
    output: () => output,
    rssMb: () => {
      try {
        const status = readFileSync(`/proc/${child.pid}/status`, "utf8");
        return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
      } catch {
        return 0;
      }
    },
    stop: (signal = "SIGTERM") =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve(child.exitCode);
        child.once("exit", (code) => resolve(code));
        child.kill(signal);
      }),
  };
}

/** A browser-like session against a running server: cookies and the CSRF token. */
export class HttpSession {
  cookies = new Map<string, string>();
  csrf = "";
  constructor(readonly base: string) {}

  async call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
    if (method !== "GET" && !this.csrf && !headers.authorization)
      this.csrf = (await (await this.call("GET", "/v1/auth/csrf")).json()).token;
    const response = await fetch(`${this.base}${path}`, {
      method,
      redirect: "manual",
      headers: {
        ...(body === undefined ? {} : { "content-type": "application/json" }),
        ...(method !== "GET" && !headers.authorization ? { "x-csrf-token": this.csrf } : {}),
        cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; "),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    for (const c of response.headers.getSetCookie()) {
      const [pair] = c.split(";");
      const [k, v] = pair!.split("=");
      if (k && v !== undefined) this.cookies.set(k.trim(), v);
    }
    return response;
  }
}

export interface ArrangedProgram {
  programId: string;
  slug: string;
  apiKey: string;
  partnerId: string;
}

/** Through the public API only: owner, program, an approved partner with its default link, an API key. */
export async function arrangeProgram(base: string): Promise<ArrangedProgram> {
  const owner = new HttpSession(base);
  const ok = async (r: Response) => {
    if (!r.ok) throw new Error(`${r.status} ${await r.text()}`);
    return r.json();
  };
  await ok(
    await owner.call("POST", "/v1/setup/owner", {
      email: "owner@bench.test",
      name: "Owner",
      password: "bench password 1",
    }),
  );
  const program = await ok(
    await owner.call("POST", "/v1/programs", {
      name: "Bench",
      slug: "bench",
      type: "affiliate",
      currency: "USD",
      allowedDomains: ["example.com"],
      defaultLandingUrl: "https://example.com/",
    }),
  );
  const partner = new HttpSession(base);
  const enrollment = await ok(
    await partner.call("POST", "/v1/public/programs/bench/applications", {
      email: "p@bench.test",
      password: "bench password 1",
      name: "P",
      company: "P Co",
      acceptTerms: true,
    }),
  );
  await ok(await owner.call("POST", `/v1/enrollments/${enrollment.id}/approve`, {}));
  const links = await ok(await partner.call("GET", "/v1/portal/links"));
  const key = await ok(
    await owner.call("POST", "/v1/api-keys", { name: "bench", scopes: ["track:write", "partners:read"] }),
  );
  return { programId: program.id, slug: links.items[0].slug, apiKey: key.secret, partnerId: enrollment.partnerId };
}
