import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import autocannon from "autocannon";
import pg from "pg";
import { openDatabase } from "../src/db/client.js";
import { seedCommissionBacklog } from "../test/helpers/commission-backlog.js";
import { databaseUrlWith } from "../test/helpers/global-setup.js";
import { waitForIntake } from "../test/helpers/intake-drain.js";
import { arrangeProgram, startServer } from "../test/helpers/server-process.js";
import { cpuMeter, threadTicks } from "./cpu.js";
import {
  BENCH_USER_AGENT,
  batchSaleRequests,
  checkBatchRecords,
  clickForSales,
  kickWithOneSale,
  pastClickInjection,
  saleRequests,
} from "./loads.js";

/**
 * Where a load's CPU goes, per request: `npx tsx bench/profile-load.ts redirect|sale|batch` (after `npm run build`,
 * with DATABASE_URL pointing at a PostgreSQL server it may create a database on). It loads the built server on
 * a fresh database the way `npm run bench` does, then reports CPU time per request of the server process (with
 * its threads), of every PostgreSQL process and of the load generator, read from /proc, plus the rows each table
 * took and the transactions committed. Throughput on a shared machine drifts; CPU per request moves much less, so
 * compare changes with it, run after run.
 *
 * PERF=1 also records `perf record -a` over the run (PERF=g with call graphs) into /tmp/perf.data, and
 * NODE_ARGS="--perf-basic-prof --interpreted-frames-native-stack" gives perf the JavaScript frames' names;
 * EXPLAIN=0.01 logs the plans of that share of statements, as run, to PostgreSQL's log (auto_explain);
 * PRE_SQL runs SQL on the fresh database before the load (try a schema change); CREATE_DATABASE_OPTIONS is appended
 * to its CREATE DATABASE (a collation, say);
 * SERVER_OUT=file saves what the server printed (with NODE_ARGS="--trace-opt --trace-deopt", say);
 * `async` is the sale load with Prefer: respond-async; its CPU includes recording what was accepted (the drain).
 * KEEP_DB=1 keeps the loaded database (its address is printed) for EXPLAIN by hand; drop it afterwards.
 * CONNECTIONS (50), SECONDS (10), WARMUP (5, seconds of load before measuring, as `npm run bench`) change the load.
 * BACKLOG=100000 queues that many sales (test/helpers/commission-backlog.ts) and has one sale kick the commission engine as
 * the measured load starts: the load's latency while the engine catches up in the same process.
 */
const mode = (["sale", "async", "batch"] as const).find((m) => m === process.argv[2]) ?? "redirect";
// `batch`: the sale load as POST /v1/track/batch, BATCH_SIZE (100) sales a request, on 4 connections by default.
const batchSize = mode === "batch" ? Number(process.env.BATCH_SIZE ?? 100) : 1;
const seconds = Number(process.env.SECONDS ?? 10);
const connections = Number(process.env.CONNECTIONS ?? (mode === "batch" ? 4 : 50));
const base = process.env.DATABASE_URL;
if (!base) throw new Error("set DATABASE_URL to a PostgreSQL server (a database is created there and dropped)");

/** Where PostgreSQL's write-ahead log is now (the whole server's: run nothing else meanwhile). */
const walPosition = async (client: pg.Client): Promise<string> =>
  (await client.query(`select pg_current_wal_lsn()::text as lsn`)).rows[0].lsn;

const name = `tributary_profile_${Date.now()}`;
const admin = new pg.Client({ connectionString: base });
await admin.connect();
// CREATE_DATABASE_OPTIONS: how the database is made, e.g. "template template0 locale_provider icu icu_locale 'en-US'"
// to load a database whose default collation is a language's rather than the C.UTF-8 of this machine's.
await admin.query(`create database "${name}" ${process.env.CREATE_DATABASE_OPTIONS ?? ""}`);
const url = databaseUrlWith(base, name);
if (process.env.EXPLAIN) {
  // Plans as run, sampled, in PostgreSQL's log: generic plans made on small tables show up here, not in EXPLAIN.
  for (const setting of [
    "session_preload_libraries = 'auto_explain'",
    "auto_explain.log_min_duration = 0",
    `auto_explain.sample_rate = ${Number(process.env.EXPLAIN) || 0.01}`,
    "auto_explain.log_nested_statements = on",
    // Actual times and rows per plan node, without per-node timing overhead on the statements not sampled.
    "auto_explain.log_analyze = on",
  ])
    await admin.query(`alter database "${name}" set ${setting}`);
}
const server = await startServer(
  { DATABASE_URL: url },
  { built: true, execArgv: process.env.NODE_ARGS?.split(" ").filter(Boolean) ?? [] },
);
try {
  if (process.env.PRE_SQL) {
    // An experiment on the schema (an index or a constraint less, say), run once the server has migrated.
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query(process.env.PRE_SQL);
    await client.end();
  }
  const arranged = await arrangeProgram(server.url);
  const backlog = Number(process.env.BACKLOG ?? 0);
  if (backlog > 0) {
    const database = await openDatabase({ databaseUrl: url, poolSize: 2 });
    await seedCommissionBacklog(database, { sales: backlog, partners: 10_000, program: "prg_backlog", analyze: true });
    await database.close();
  }
  let options: autocannon.Options;
  let clickId = "";
  if (mode === "sale" || mode === "async") {
    const click = await clickForSales(server.url, arranged.slug);
    clickId = click.clickId;
    await pastClickInjection(click.clickedAt);
    options = { url: server.url, connections, requests: saleRequests(arranged, clickId, { async: mode === "async" }) };
  } else if (mode === "batch") {
    const { clickId, clickedAt } = await clickForSales(server.url, arranged.slug);
    await pastClickInjection(clickedAt);
    await checkBatchRecords(server.url, arranged, clickId, batchSize);
    options = { url: server.url, connections, requests: batchSaleRequests(arranged, clickId, batchSize) };
  } else {
    options = {
      url: `${server.url}/r/${arranged.slug}`,
      connections,
      headers: { "user-agent": BENCH_USER_AGENT },
    };
  }
  await autocannon({ ...options, duration: Number(process.env.WARMUP ?? 5) });
  // The warm-up's backlog is recorded first, so the measured CPU is the measured sales'.
  if (mode === "async") await waitForIntake(server.url, arranged, clickId);

  // A process's stat counts all its threads (V8's compiler and GC helpers, libuv's pool).
  const walBefore = await walPosition(admin);
  const cpu = cpuMeter(server.child.pid);
  const threadsBefore = threadTicks(server.child.pid!);
  if (process.env.PERF) {
    const graph = process.env.PERF === "g" ? ["-g"] : [];
    spawn(
      "perf",
      [
        "record",
        "-a",
        "-F",
        "2000",
        "-e",
        "cpu-clock",
        ...graph,
        "-o",
        "/tmp/perf.data",
        "--",
        "sleep",
        String(seconds - 1),
      ],
      {
        stdio: "ignore",
      },
    );
  }
  const measured = autocannon({ ...options, duration: seconds });
  // Any new sale kicks the engine, which then drains the whole queue: the backlog too.
  if (backlog > 0) await kickWithOneSale(server.url, arranged);
  const result = await measured;
  if (backlog > 0) {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    const left = Number((await client.query(`select count(*)::int as n from commission_queue`)).rows[0].n);
    await client.end();
    console.log(`commission backlog: ${backlog - left} of ${backlog} sales computed during the load`);
  }
  if (mode === "async") {
    // The CPU below then includes recording every sale accepted, not only accepting it.
    const drainMs = await waitForIntake(server.url, arranged, clickId);
    const recorded = result.requests.total / (seconds + drainMs / 1000);
    console.log(`intake drained ${drainMs} ms after the load: ${Math.round(recorded)} sales/s recorded end to end`);
  }
  const perRequest = cpu.per(result.requests.total * batchSize);
  const walBytes = Number(
    (await admin.query(`select pg_wal_lsn_diff(pg_current_wal_lsn(), $1) as n`, [walBefore])).rows[0].n,
  );
  const threadsAfter = threadTicks(server.child.pid!);
  console.log(
    `${mode}: ${Math.round(result.requests.average)} req/s, p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms, ` +
      `errors ${result.errors + result.timeouts}, server RSS ${Math.round(server.rssMb())} MB`,
  );
  if (batchSize > 1) console.log(`${Math.round(result.requests.average * batchSize)} sales/s, ${batchSize} a request`);
  console.log(
    `CPU per ${batchSize > 1 ? "sale" : "request"}: server ${perRequest.server} µs, PostgreSQL ${perRequest.postgres} µs, ` +
      `load generator ${perRequest.load} µs`,
  );
  // Unlike CPU time, the WAL written barely moves with the machine's noise: a steady measure of the writes' cost.
  console.log(
    `WAL per ${batchSize > 1 ? "sale" : "request"}: ${Math.round(walBytes / (result.requests.total * batchSize))} bytes`,
  );
  const threads = [...threadsAfter]
    .map(([thread, t]) => [thread, t - (threadsBefore.get(thread) ?? 0)] as const)
    .filter(([, t]) => t > 0)
    .map(
      ([thread, t]) =>
        `${thread} ${Math.round((t * 10_000) / (result.requests.total * batchSize))} µs (${Math.round(t / seconds)} %)`,
    );
  console.log(`server threads, per request (share of one core): ${threads.join(", ")}`);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const tables = await client.query(
    // Sequential scans whose rows read grow with a table are the first thing to look for in a slow load.
    `select relname as table, n_tup_ins as inserted, n_tup_upd as updated, n_tup_del as deleted,
       seq_scan, seq_tup_read as seq_rows_read, idx_scan
     from pg_stat_user_tables where n_tup_ins + n_tup_upd + n_tup_del + seq_tup_read > 100 order by n_tup_ins desc`,
  );
  console.table(tables.rows);
  const commits = await client.query(`select xact_commit from pg_stat_database where datname = current_database()`);
  console.log(`transactions committed: ${commits.rows[0].xact_commit}`);
  await client.end();
} finally {
  await server.stop();
  if (process.env.SERVER_OUT) writeFileSync(process.env.SERVER_OUT, server.output());
  if (process.env.KEEP_DB) console.log(`kept the database: ${url}`);
  else await admin.query(`drop database if exists "${name}" with (force)`);
  await admin.end();
}
