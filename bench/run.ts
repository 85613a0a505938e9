import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import autocannon from "autocannon";
import pg from "pg";
import { databaseUrlWith } from "../test/helpers/global-setup.js";
import { waitForIntake } from "../test/helpers/intake-drain.js";
import { arrangeProgram, freePort, startServer } from "../test/helpers/server-process.js";
import { type CpuPerRequest, cpuMeter } from "./cpu.js";
import {
  BENCH_USER_AGENT,
  batchSaleRequests,
  checkBatchRecords,
  clickForSales,
  pastClickInjection,
  saleRequests,
} from "./loads.js";

/**
 * `npm run bench`: autocannon against real sockets, 50 connections, a warm-up then a timed run, servers in
 * their own processes. Every figure is also given as a ratio to a bare Fastify redirect measured in the same
 * run, because absolute numbers on shared machines drift. Results go to bench/results/latest.json.
 */
const DURATION_S = Number(process.env.BENCH_SECONDS ?? 10);
// Long enough for V8 to finish optimizing: after 2 s, on a slow 2-core machine, its compiler threads still took
// about two-fifths of the sale server's CPU in the first seconds of the measured run (perf, 2026-11-22).
const WARMUP_S = 5;
const CONNECTIONS = 50;
// The batched sale load: 100 sales a request on 4 connections, 400 sales in flight (a billing sync's few workers).
const BATCH: Batched = { events: 100, connections: 4 };
const root = join(import.meta.dirname, "..");

interface Result {
  name: string;
  db: string;
  rps: number;
  p50_ms: number;
  p99_ms: number;
  ratio_to_baseline: number;
  peak_rss_mb: number;
  errors: number;
  /**
   * CPU per request (per sale in the batch loads) over the measured run, in µs: the server's process, PostgreSQL's
   * and the load generator's. Steadier than the rates when the machine drifts (see bench/cpu.ts).
   */
  cpu_us?: CpuPerRequest;
  /** The commission bench's: the longest the event loop was held while the calculation or the payout run ran. */
  longest_stall_ms?: number | null;
}

const rssOf = (pid: number | undefined) => {
  try {
    return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0) / 1024;
  } catch {
    return 0;
  }
};

/** A batch load: `events` per request (its rps is then events per second), on fewer connections than 50. */
interface Batched {
  events: number;
  connections: number;
}

async function measure(
  name: string,
  db: string,
  pid: number | undefined,
  options: autocannon.Options,
  baselineRps?: number,
  batched?: Batched,
  /** Told how many requests the warm-up and the measured run each completed. */
  onRequests?: (total: number) => void,
): Promise<Result> {
  const connections = batched?.connections ?? CONNECTIONS;
  const warmup = await autocannon({ ...options, duration: WARMUP_S, connections });
  onRequests?.(warmup.requests.total);
  let peak = rssOf(pid);
  const sampler = setInterval(() => {
    peak = Math.max(peak, rssOf(pid));
  }, 200);
  const cpu = cpuMeter(pid);
  const r = await autocannon({ ...options, duration: DURATION_S, connections });
  const cpuUs = cpu.per(r.requests.total * (batched?.events ?? 1));
  onRequests?.(r.requests.total);
  clearInterval(sampler);
  const rps = Math.round(r.requests.average * (batched?.events ?? 1));
  const result = {
    name,
    db,
    rps,
    p50_ms: r.latency.p50,
    p99_ms: r.latency.p99,
    ratio_to_baseline: baselineRps ? Number((rps / baselineRps).toFixed(3)) : 1,
    peak_rss_mb: Math.round(peak),
    errors: r.errors + r.timeouts + r["4xx"] + r["5xx"],
    cpu_us: cpuUs,
  };
  console.log(
    `${name.padEnd(28)} ${db.padEnd(9)} ${String(rps).padStart(7)} ${batched ? "sales/s" : "req/s"}  p50 ${String(result.p50_ms).padStart(4)} ms  p99 ${String(result.p99_ms).padStart(4)} ms  ×${result.ratio_to_baseline}  rss ${result.peak_rss_mb} MB  errors ${result.errors}  ` +
      `cpu µs server ${cpuUs.server} postgres ${cpuUs.postgres} load ${cpuUs.load}`,
  );
  return result;
}

/**
 * The bare Fastify redirect, in its own process for the whole run. It is measured again next to every redirect
 * load (just before and just after it), because these machines drift by a factor of two within minutes: a ratio
 * to a baseline measured minutes earlier, before the PGlite loads, measured the drift as much as the redirect.
 */
async function startBaseline() {
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", join(root, "bench", "baseline-server.ts")], {
    env: { ...process.env, PORT: String(port) },
    stdio: "inherit",
  });
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/health`)).ok) break;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return {
    measure: (when: string) =>
      measure(`baseline: bare fastify 302${when}`, "memory", child.pid, { url: `http://127.0.0.1:${port}/r/bench` }),
    stop: () => child.kill("SIGTERM"),
  };
}
type Baseline = Awaited<ReturnType<typeof startBaseline>>;

/** A load measured between two baseline runs, and its ratio to their mean. */
async function bracketed(
  baseline: Baseline,
  what: string,
  load: (baselineRps: number) => Promise<Result>,
): Promise<{ results: Result[]; baselineRps: number }> {
  const before = await baseline.measure(` (before ${what})`);
  // The ratio is set once both baselines are in; measure() prints it against the one before meanwhile.
  const result = await load(before.rps);
  const after = await baseline.measure(` (after ${what})`);
  const baselineRps = Math.round((before.rps + after.rps) / 2);
  result.ratio_to_baseline = Number((result.rps / baselineRps).toFixed(3));
  console.log(
    `${what}: ×${result.ratio_to_baseline} against the mean of the baselines around it (${baselineRps} req/s)`,
  );
  return { results: [before, result, after], baselineRps };
}

/** A fresh database for one server: a PGlite dir, or a new PostgreSQL database. */
async function freshDatabase(
  kind: "pglite" | "postgres",
): Promise<{ env: Record<string, string>; drop: () => Promise<void> }> {
  if (kind === "pglite") {
    const dir = mkdtempSync(join(tmpdir(), "tributary-bench-"));
    return {
      env: { DATA_DIR: dir, DATABASE_URL: "" },
      drop: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  const url = process.env.DATABASE_URL!;
  const name = `tributary_bench_${Date.now()}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`create database "${name}"`);
  await admin.end();
  return {
    env: { DATABASE_URL: databaseUrlWith(url, name) },
    drop: async () => {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      await c.query(`drop database if exists "${name}" with (force)`);
      await c.end();
    },
  };
}

async function ours(kind: "pglite" | "postgres", baseline: Baseline): Promise<Result[]> {
  const results: Result[] = [];
  for (const durability of ["buffered", "sync"] as const) {
    const db = await freshDatabase(kind);
    const server = await startServer({ ...db.env, CLICK_DURABILITY: durability }, { built: true });
    const arranged = await arrangeProgram(server.url);
    // The sales' click, made before the redirect run so that the wait below overlaps it.
    const { clickId, clickedAt } = await clickForSales(server.url, arranged.slug);
    const redirect = await bracketed(baseline, `redirect ${durability} on ${kind}`, (rps) =>
      measure(
        `redirect ${durability}`,
        kind,
        server.child.pid,
        { url: `${server.url}/r/${arranged.slug}`, headers: { "user-agent": BENCH_USER_AGENT } },
        rps,
      ),
    );
    results.push(...redirect.results);
    // The sale loads that follow are given against the baselines around this redirect run, the nearest ones.
    const { baselineRps } = redirect;
    if (durability === "buffered") {
      await pastClickInjection(clickedAt);
      results.push(
        await measure(
          "sale ingestion + attribution",
          kind,
          server.child.pid,
          { url: server.url, requests: saleRequests(arranged, clickId) },
          baselineRps,
        ),
      );
      results.push(...(await measureIntake(kind, server, arranged, clickId, baselineRps)));
      await checkBatchRecords(server.url, arranged, clickId, BATCH.events);
      results.push(
        await measure(
          `sale ingestion, batches of ${BATCH.events}`,
          kind,
          server.child.pid,
          { url: server.url, requests: batchSaleRequests(arranged, clickId, BATCH.events) },
          baselineRps,
          BATCH,
        ),
      );
    }
    await server.stop();
    await db.drop();
  }
  return results;
}

/**
 * The sale load with Prefer: respond-async: how fast sales are accepted (202 once stored in the intake), and how fast
 * they are recorded and attributed end to end — every sale accepted, warm-up and measured run, over the time from
 * the warm-up's start until the intake has recorded the last of them.
 */
async function measureIntake(
  kind: string,
  server: Awaited<ReturnType<typeof startServer>>,
  arranged: Awaited<ReturnType<typeof arrangeProgram>>,
  clickId: string,
  baselineRps: number,
): Promise<Result[]> {
  const started = Date.now();
  let accepted = 0;
  const accepted202 = await measure(
    "sale intake, 202 accepted",
    kind,
    server.child.pid,
    { url: server.url, requests: saleRequests(arranged, clickId, { async: true }) },
    baselineRps,
    undefined,
    (total) => {
      accepted += total;
    },
  );
  const drainMs = await waitForIntake(server.url, arranged, clickId);
  const seconds = (Date.now() - started) / 1000;
  const rps = Math.round(accepted / seconds);
  const recorded: Result = {
    name: "sale intake, recorded end to end",
    db: kind,
    rps,
    // Latency here is the acceptance's (above); the time to record is the drain after the load.
    p50_ms: accepted202.p50_ms,
    p99_ms: accepted202.p99_ms,
    ratio_to_baseline: Number((rps / baselineRps).toFixed(3)),
    peak_rss_mb: accepted202.peak_rss_mb,
    errors: accepted202.errors,
  };
  console.log(
    `${recorded.name.padEnd(28)} ${kind.padEnd(9)} ${String(rps).padStart(7)} sales/s  (${accepted} sales; the last recorded ${drainMs} ms after the load)`,
  );
  return [accepted202, recorded];
}

/** The bulk commission and payout-run benchmark runs in its own process (its RSS is its own) per database. */
async function commissions(kind: "pglite" | "postgres"): Promise<Result[]> {
  const child = spawn(process.execPath, ["--import", "tsx", join(root, "bench", "commission-bench.ts"), kind], {
    env: process.env,
    stdio: ["ignore", "pipe", "inherit"],
  });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
  if (code !== 0) throw new Error(`commission bench on ${kind} exited with ${code}`);
  const lines = output.split("\n").filter((l) => l.startsWith("{"));
  const parsed = lines.map((l) => JSON.parse(l) as Result);
  for (const r of parsed) {
    console.log(
      `${r.name.padEnd(44)} ${r.db.padEnd(9)} ${String(r.rps).padStart(8)}/s  ×${r.ratio_to_baseline}  rss ${r.peak_rss_mb} MB` +
        (r.longest_stall_ms == null ? "" : `  longest stall ${r.longest_stall_ms} ms`),
    );
  }
  return parsed;
}

/** BENCH_DATABASES=postgres (or pglite) measures one database only, e.g. while working on one. */
const databases = (process.env.BENCH_DATABASES ?? "pglite,postgres").split(",");
const baseline = await startBaseline();
const results: Result[] = [];
try {
  if (databases.includes("pglite")) results.push(...(await ours("pglite", baseline)));
  if (process.env.DATABASE_URL && databases.includes("postgres")) results.push(...(await ours("postgres", baseline)));
} finally {
  baseline.stop();
}
if (process.env.BENCH_COMMISSIONS !== "off") {
  results.push(...(await commissions("pglite")));
  if (process.env.DATABASE_URL) results.push(...(await commissions("postgres")));
}
// BENCH_OUT writes elsewhere, e.g. a partial run (BENCH_COMMISSIONS=off) to merge by hand.
const out = process.env.BENCH_OUT ?? join(root, "bench", "results", "latest.json");
writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
console.log(`\nwritten to ${out}`);
