import { existsSync, mkdtempSync, rmSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { loadConfig } from "../../src/config.js";
import { seedDemo } from "../../src/demo/seed-demo.js";
import { systemActor } from "../../src/domain/context.js";
import { systemClock } from "../../src/lib/clock.js";
import { packageRoot } from "../../src/lib/package-root.js";
import { buildRuntime, type Runtime } from "../../src/main.js";

export interface E2eServer {
  baseUrl: string;
  /** The server's database, for set-up the API cannot do (ledger entries dated in the past). */
  database: Runtime["database"];
  close(): Promise<void>;
}

/** A PostgreSQL database of its own next to DATABASE_URL's, so the run starts from first-run state. */
async function freshPostgres(url: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `tributary_e2e_${Date.now()}_${Math.floor(Math.random() * 1e6)}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    await admin.query(`create database "${name}"`);
  } finally {
    await admin.end();
  }
  const target = new URL(url);
  target.pathname = `/${name}`;
  return {
    url: target.toString(),
    drop: async () => {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        // The server's pool has ended, but its backends may still be exiting; forcing them out races with the
        // pool's own goodbye, so wait for them first and force only as a last resort.
        for (let i = 0; i < 50; i++) {
          const { rows } = await client.query("select count(*)::int as n from pg_stat_activity where datname = $1", [
            name,
          ]);
          if (rows[0]?.n === 0) break;
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
        await client.query(`drop database if exists "${name}" with (force)`);
      } finally {
        await client.end();
      }
    },
  };
}

/**
 * The real server in-process on a free port: embedded PGlite in a temp dir, or PostgreSQL when DATABASE_URL is set.
 * `env` overrides configuration variables (e.g. CLICK_DURABILITY=sync, so that a redirect's click is stored before
 * its 302 arrives).
 */
export async function startE2eServer(
  env: Record<string, string> = {},
  options: { demo?: boolean } = {},
): Promise<E2eServer> {
  const index = join(packageRoot, "dist", "web", "index.html");
  if (!existsSync(index)) {
    throw new Error(
      `the web app is not built (${index} is missing): run \`npm run build\` before \`npm run test:e2e\``,
    );
  }
  const dataDir = mkdtempSync(join(tmpdir(), "tributary-e2e-"));
  const postgres = process.env.DATABASE_URL ? await freshPostgres(process.env.DATABASE_URL) : undefined;
  let runtime: Runtime | undefined;
  try {
    const config = loadConfig({
      ...process.env,
      DATA_DIR: dataDir,
      DATABASE_URL: postgres?.url ?? "",
      HOST: "127.0.0.1",
      PORT: "0",
      LOG_LEVEL: "warn",
      PUBLIC_URL: "",
      COOKIE_SECRET: "",
      // Scheduled jobs run on the wall clock (the payout run at 02:00, the fraud sweep at :00 and :30, ...): a run
      // that crossed one would see the job change what the test arranged. Browser tests run what they need by hand.
      JOBS: "off",
      ...env,
    });
    runtime = await buildRuntime(config, { logger: false });
    // The demo company, as `serve --demo` loads it: the screens as a first-time visitor sees them.
    if (options.demo)
      await seedDemo(
        {
          db: runtime.database.db,
          clock: systemClock,
          log: runtime.app.log,
          actor: { ...systemActor, label: "e2e" },
          config: { sessionTtlHours: config.SESSION_TTL_HOURS },
          payouts: runtime.app.payouts,
        },
        () => undefined,
      );
    // A free port, or E2E_PORT where a machine gives each run its own range.
    await runtime.app.listen({ port: Number(process.env.E2E_PORT ?? 0), host: "127.0.0.1" });
  } catch (error) {
    await runtime?.close().catch(() => undefined);
    await postgres?.drop().catch(() => undefined);
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
  const { port } = runtime.app.server.address() as AddressInfo;
  const started = runtime;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    database: started.database,
    close: async () => {
      await started.close();
      await postgres?.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
