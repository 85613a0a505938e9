#!/usr/bin/env node
import { setFlagsFromString } from "node:v8";
import { Command, InvalidArgumentError } from "commander";
import { ConfigError, loadConfig } from "./config.js";
import { seedDemo } from "./demo/seed-demo.js";
import { createTeamUser } from "./domain/accounts/create-team-user.js";
import { countTeamUsers } from "./domain/accounts/set-up-owner.js";
import type { Ctx } from "./domain/context.js";
import { systemActor } from "./domain/context.js";
import { createPayoutRuntime } from "./domain/payouts/payout-runtime.js";
import { reencryptPayoutDetails } from "./domain/payouts/reencrypt-payout-details.js";
import { systemClock } from "./lib/clock.js";
import { AppError } from "./lib/errors.js";
import { buildRuntime, connect } from "./main.js";

function config() {
  try {
    return loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`tributary: ${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
}

const consoleLog = {
  info: console.log,
  warn: console.warn,
  error: console.error,
  debug: () => undefined,
} as unknown as Ctx["log"];
const cliCtx = (db: Ctx["db"], sessionTtlHours: number): Ctx => ({
  db,
  clock: systemClock,
  log: consoleLog,
  actor: { ...systemActor, label: "cli" },
  config: { sessionTtlHours },
});

const port = (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65_535) throw new InvalidArgumentError("expected a port number");
  return String(n);
};

/**
 * A server's heap grows by half at most between full collections. Left to itself, V8 lets a heap whose
 * collections are cheap (most of this server's garbage dies young) grow to about three times what is live before
 * collecting it: under a sustained sale load 52 MB live rode on a 150 MB heap, and the process's RSS went past
 * 300 MB. Capped at 1.5×, the same load peaked at 187 MB with the same throughput. Set before any load; V8 reads it
 * at each collection.
 */
const boundHeapGrowth = () => setFlagsFromString("--heap-growing-percent=50");

const program = new Command("tributary")
  .description("Tributary: the self-hosted partner program platform")
  .version("0.1.0");

program
  .command("serve")
  .description("run the HTTP server (admin console, partner portal, API); migrations apply at boot")
  .option("--demo", "load the demo company first (if it is not loaded yet)")
  .option("-p, --port <port>", "port to listen on (overrides PORT)", port)
  .option("--host <host>", "interface to bind (overrides HOST)")
  .action(async (options: { demo?: boolean; port?: string; host?: string }) => {
    boundHeapGrowth();
    const cfg = config();
    if (options.port) cfg.PORT = Number(options.port);
    if (options.host) cfg.HOST = options.host;
    const runtime = await buildRuntime(cfg);
    if (options.demo)
      await seedDemo({ ...cliCtx(runtime.database.db, cfg.SESSION_TTL_HOURS), payouts: runtime.app.payouts }, (line) =>
        runtime.app.log.info(line),
      );
    let closing = false;
    const shutdown = async (signal: string) => {
      if (closing) return;
      closing = true;
      runtime.app.log.info({ signal }, "shutting down");
      await runtime.close();
      process.exit(0);
    };
    process.on("SIGTERM", () => void shutdown("SIGTERM"));
    process.on("SIGINT", () => void shutdown("SIGINT"));
    await runtime.app.listen({ port: cfg.PORT, host: cfg.HOST });
    const shown = cfg.HOST === "0.0.0.0" || cfg.HOST === "::" ? "localhost" : cfg.HOST;
    const needsOwner = (await countTeamUsers({ db: runtime.database.db })) === 0;
    runtime.app.log.info(
      `Tributary is running on ${runtime.database.kind}: console http://${shown}:${cfg.PORT}/admin${needsOwner ? " (create the owner account there)" : ""}, portal /portal, API docs /docs`,
    );
  });

program
  .command("migrate")
  .description("apply pending database migrations and exit")
  .action(async () => {
    const database = await connect(config());
    console.log(`migrations applied (${database.kind})`);
    await database.close();
  });

program
  .command("seed")
  .description("load data into the database")
  .requiredOption("--demo", "the demo company: 3 programs, about 50 partners in every lifecycle state")
  .action(async () => {
    const cfg = config();
    const database = await connect(cfg);
    // The configured payout keys encrypt the demo's payout methods, as the server will read them with those keys.
    const payouts = await createPayoutRuntime(cfg, database.db);
    await seedDemo({ ...cliCtx(database.db, cfg.SESSION_TTL_HOURS), payouts }, (line) => console.log(line));
    await database.close();
  });

program
  .command("create-admin")
  .description("create a team member (the owner on a fresh install)")
  .requiredOption("--email <email>", "sign-in email")
  .requiredOption("--name <name>", "display name")
  .option("--role <role>", "owner | manager | finance | viewer (default: owner)", "owner")
  .option("--password <password>", "password (default: read from the TRIBUTARY_ADMIN_PASSWORD variable)")
  .action(async (options: { email: string; name: string; role: string; password?: string }) => {
    const cfg = config();
    const password = options.password ?? process.env.TRIBUTARY_ADMIN_PASSWORD;
    if (!password) {
      process.stderr.write("tributary: give --password or set TRIBUTARY_ADMIN_PASSWORD\n");
      process.exit(2);
    }
    if (!["owner", "manager", "finance", "viewer"].includes(options.role)) {
      process.stderr.write("tributary: --role must be owner, manager, finance or viewer\n");
      process.exit(2);
    }
    const database = await connect(cfg);
    try {
      const user = await createTeamUser(cliCtx(database.db, cfg.SESSION_TTL_HOURS), {
        email: options.email,
        name: options.name,
        role: options.role as "owner",
        password,
      });
      console.log(`created ${user.role} ${user.email} (${user.id})`);
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      process.stderr.write(`tributary: ${error.message}\n`);
      process.exitCode = 1;
    } finally {
      await database.close();
    }
  });

program
  .command("reencrypt-payout-details")
  .description(
    "re-encrypt payout methods under the first key of PAYOUT_ENCRYPTION_KEYS, after which older keys can be removed",
  )
  .action(async () => {
    const cfg = config();
    const database = await connect(cfg);
    try {
      const ctx = {
        ...cliCtx(database.db, cfg.SESSION_TTL_HOURS),
        payouts: await createPayoutRuntime(cfg, database.db),
      };
      const result = await reencryptPayoutDetails(ctx);
      console.log(
        `re-encrypted ${result.methods} payout methods and ${result.payoutCopies} batched copies with key ${result.keyId}`,
      );
    } finally {
      await database.close();
    }
  });

await program.parseAsync();
