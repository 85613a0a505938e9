import { readdirSync, readFileSync } from "node:fs";

/**
 * CPU time from /proc, for the benchmarks. Rates on a shared 2-core machine drift by a factor of two within minutes;
 * the CPU a request costs each process moves far less, so it tells whether a change made a load cheaper.
 */

/** User plus system CPU in a /proc stat line (process or thread), in clock ticks (1/100 s). */
const ticksIn = (stat: string) => {
  const fields = stat.split(") ")[1]!.split(" ");
  return Number(fields[11]) + Number(fields[12]);
};

/** User plus system CPU of a process and all its threads, in clock ticks, or 0 once it is gone. */
const ticks = (pid: number) => {
  try {
    return ticksIn(readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return 0;
  }
};

/** Every PostgreSQL process on the machine (the local server's backends, writers and launcher). */
const postgresPids = () =>
  readdirSync("/proc")
    .filter((p) => /^\d+$/.test(p))
    .map(Number)
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/comm`, "utf8").startsWith("postgres");
      } catch {
        return false;
      }
    });

/** Each process's CPU ticks now. */
const ticksByPid = (pids: number[]) => new Map(pids.map((pid) => [pid, ticks(pid)]));

/**
 * The CPU processes used between two readings. Only processes alive at the second count: a PostgreSQL backend
 * whose pool closed it meanwhile would otherwise take its whole life's CPU off the sum (a sale load's idle
 * connections, closed during the batch load after it, once made PostgreSQL's share look like 5 µs a sale). What such
 * a process did before it ended is lost, so this errs low, never below zero. A process that started meanwhile
 * counts in full.
 */
const ticksBetween = (before: Map<number, number>, after: Map<number, number>) => {
  let total = 0;
  for (const [pid, now] of after) total += Math.max(0, now - (before.get(pid) ?? 0));
  return total;
};

/** CPU ticks per thread name of a process: the main thread is the one an event loop saturates. */
export const threadTicks = (pid: number) => {
  const byName = new Map<string, number>();
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, "utf8");
      const name = tid === String(pid) ? "main" : stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
      byName.set(name, (byName.get(name) ?? 0) + ticksIn(stat));
    } catch {
      // The thread ended meanwhile.
    }
  }
  return byName;
};

export interface CpuPerRequest {
  /** The server's process, all its threads. */
  server: number;
  /** Every PostgreSQL process (PGlite runs inside the server, so there it is the machine's idle PostgreSQL). */
  postgres: number;
  /** This process: autocannon, the load generator. */
  load: number;
}

/**
 * Starts counting the CPU of the server, of PostgreSQL and of this process (the load generator); `per(n)` gives
 * each one's microseconds per request (or per event) over the n done since.
 */
export function cpuMeter(serverPid: number | undefined) {
  const read = () => ({
    server: ticksByPid(serverPid ? [serverPid] : []),
    postgres: ticksByPid(postgresPids()),
    load: ticksByPid([process.pid]),
  });
  const before = read();
  return {
    per(requests: number): CpuPerRequest {
      const after = read();
      // A tick is 10 ms: 10,000 µs.
      const us = (key: keyof CpuPerRequest) =>
        Math.round((ticksBetween(before[key], after[key]) * 10_000) / Math.max(1, requests));
      return { server: us("server"), postgres: us("postgres"), load: us("load") };
    },
  };
}
