import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";

const tsx = join(process.cwd(), "node_modules", ".bin", "tsx");
const dirs: string[] = [];
const tempDataDir = () => {
  const dir = mkdtempSync(join(tmpdir(), "tributary-cli-"));
  dirs.push(dir);
  return dir;
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

// The CLI always runs here on embedded PGlite in a temp dir: it is the same code on both databases.
const cli = (args: string[], env: Record<string, string> = {}) =>
  spawnSync(tsx, ["src/cli.ts", ...args], {
    encoding: "utf8",
    env: { ...process.env, DATABASE_URL: "", LOG_LEVEL: "warn", ...env },
    // Each run boots Node, tsx and PGlite and applies the migrations: tens of seconds on a loaded CI machine.
    timeout: 120_000,
  });

const freePort = () =>
  new Promise<number>((resolve) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

describe("tributary CLI", () => {
  test.each([
    ["serve", "--demo"],
    ["migrate", "migrations"],
    ["seed", "--demo"],
    ["create-admin", "--email"],
    ["reencrypt-payout-details", "PAYOUT_ENCRYPTION_KEYS"],
  ])("%s --help", (command, mention) => {
    const r = cli([command, "--help"]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(mention);
  });

  test("a bad environment variable exits 2 with one line naming it", () => {
    const r = cli(["migrate"], { PORT: "eighty" });
    expect(r.status).toBe(2);
    expect(r.stderr.trim()).toBe('tributary: invalid PORT="eighty": expected a port number');
  });

  test("migrate and create-admin on a fresh data dir", () => {
    const DATA_DIR = tempDataDir();
    expect(cli(["migrate"], { DATA_DIR }).stdout).toContain("migrations applied (pglite)");
    const created = cli(
      ["create-admin", "--email", "root@acme.test", "--name", "Root", "--password", "a long enough password"],
      { DATA_DIR },
    );
    expect(created.status).toBe(0);
    expect(created.stdout).toMatch(/created owner root@acme.test \(usr_/);
    const again = cli(
      ["create-admin", "--email", "root@acme.test", "--name", "Root", "--password", "a long enough password"],
      { DATA_DIR },
    );
    expect(again.status).toBe(1);
    expect(again.stderr).toContain("already exists");
    expect(
      cli(["create-admin", "--email", "x@acme.test", "--name", "X", "--password", "short"], { DATA_DIR }).status,
    ).toBe(1);
  }, 300_000);

  test("reencrypt-payout-details moves payout details to the first configured key", () => {
    const DATA_DIR = tempDataDir();
    const key = Buffer.alloc(32, 3).toString("base64");
    const rotated = cli(["reencrypt-payout-details"], { DATA_DIR, PAYOUT_ENCRYPTION_KEYS: `k2026:${key}` });
    expect(rotated.status).toBe(0);
    expect(rotated.stdout).toContain("re-encrypted 0 payout methods and 0 batched copies with key k2026");
    const bad = cli(["reencrypt-payout-details"], { DATA_DIR, PAYOUT_ENCRYPTION_KEYS: "k:short" });
    expect(bad.status).toBe(2);
    expect(bad.stderr.trim()).toBe(
      "tributary: invalid PAYOUT_ENCRYPTION_KEYS: key k must be 32 bytes, base64-encoded (openssl rand -base64 32)",
    );
  }, 300_000);

  test("serve --demo answers /health and the demo data, and exits cleanly on SIGTERM", async () => {
    const port = await freePort();
    // Plain node with tsx's loader: the tsx wrapper SIGKILLs a child slow to acknowledge a relayed SIGTERM.
    const child: ChildProcess = spawn(
      process.execPath,
      ["--import", "tsx", "src/cli.ts", "serve", "--demo", "--port", String(port), "--host", "127.0.0.1"],
      {
        env: { ...process.env, DATABASE_URL: "", DATA_DIR: tempDataDir(), LOG_LEVEL: "info" },
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
    const deadline = Date.now() + 90_000;
    while (!output.includes("Tributary is running") && Date.now() < deadline && child.exitCode === null)
      await new Promise((r) => setTimeout(r, 200));
    expect(output).toContain("Tributary is running on pglite");
    expect(output).toContain("demo console sign-in: owner@demo.test");
    expect(await (await fetch(`http://127.0.0.1:${port}/health`)).json()).toEqual({ status: "ok", database: "pglite" });
    const programs = await (await fetch(`http://127.0.0.1:${port}/v1/public/programs/acme-resellers`)).json();
    expect(programs.name).toBe("Acme Reseller Network");
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
  }, 120_000);
});
