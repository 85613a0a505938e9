import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, describe, expect, test } from "vitest";
import { bytesToUlid } from "../../src/lib/ulid-bytes.js";
import { databaseUrlWith } from "../helpers/global-setup.js";
import { waitForIntake } from "../helpers/intake-drain.js";
import { arrangeProgram, type ServerProcess, startServer } from "../helpers/server-process.js";

const UA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36";
const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

/** A database of its own for the server process: a PGlite dir, or a fresh PostgreSQL database when DATABASE_URL is set. */
async function databaseEnv(): Promise<Record<string, string>> {
  const url = process.env.DATABASE_URL;
  if (!url) {
    const dir = mkdtempSync(join(tmpdir(), "tributary-crash-"));
    cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
    return { DATA_DIR: dir, DATABASE_URL: "" };
  }
  const name = `tributary_crash_${process.pid}_${Date.now()}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`create database "${name}"`);
  await admin.end();
  cleanups.push(async () => {
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    await c.query(`drop database if exists "${name}" with (force)`);
    await c.end();
  });
  return { DATABASE_URL: databaseUrlWith(url, name) };
}

async function allPages<T>(server: ServerProcess, path: string, apiKey: string): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | null = null;
  do {
    const r: Response = await fetch(`${server.url}${path}&limit=200${cursor ? `&cursor=${cursor}` : ""}`, {
      headers: { authorization: `Bearer ${apiKey}` },
    });
    const page = (await r.json()) as { items: T[]; nextCursor: string | null };
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return items;
}

/** Runs `workers` loops of `call` until `stop()` says so; errors (a dead server) just end a loop. */
async function load(workers: number, call: (i: number) => Promise<void>, stop: () => boolean) {
  let n = 0;
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (!stop()) {
        try {
          await call(n++);
        } catch {
          return;
        }
      }
    }),
  );
}

describe("crash safety", () => {
  test("kill -9 during sale ingestion: every acknowledged sale is stored exactly once, and re-sending creates no duplicate", async () => {
    const env = await databaseEnv();
    let server = await startServer(env);
    cleanups.push(async () => void (await server.stop("SIGKILL")));
    const { programId, apiKey, slug } = await arrangeProgram(server.url);
    const redirect = await fetch(`${server.url}/r/${slug}`, { redirect: "manual", headers: { "user-agent": UA } });
    const clickId = new URL(redirect.headers.get("location")!).searchParams.get("tb_click")!;

    const sent: string[] = [];
    const acknowledged = new Set<string>();
    let killed = false;
    const sale = async (i: number) => {
      const orderId = `order-${i}`;
      sent.push(orderId);
      const r = await fetch(`${server.url}/v1/track/sale`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${apiKey}` },
        body: JSON.stringify({
          programId,
          orderId,
          amount: 1999,
          currency: "USD",
          clickId,
          customerExternalId: `cus-${i % 50}`,
        }),
      });
      if (r.status === 201 || r.status === 200) acknowledged.add(orderId);
      else if (!killed) throw new Error(`unexpected ${r.status}`);
    };
    const loading = load(16, sale, () => killed);
    while (acknowledged.size < 100) await new Promise((r) => setTimeout(r, 20));
    await server.stop("SIGKILL");
    killed = true;
    await loading;

    server = await startServer(env);
    const stored = await allPages<{ idempotencyKey: string; attributed: boolean }>(
      server,
      `/v1/conversions?programId=${programId}&kind=sale`,
      apiKey,
    );
    const storedKeys = stored.map((c) => c.idempotencyKey);
    expect(new Set(storedKeys).size).toBe(storedKeys.length);
    const lost = [...acknowledged].filter((k) => !storedKeys.includes(k));
    expect(lost).toEqual([]);
    expect(stored.every((c) => c.attributed)).toBe(true);

    let resent = 0;
    await load(
      8,
      async () => {
        const orderId = sent[resent++];
        if (!orderId) return;
        const r = await fetch(`${server.url}/v1/track/sale`, {
          method: "POST",
          headers: { "content-type": "application/json", authorization: `Bearer ${apiKey}` },
          body: JSON.stringify({ programId, orderId, amount: 1999, currency: "USD", clickId }),
        });
        expect([200, 201]).toContain(r.status);
        if (acknowledged.has(orderId)) expect(r.headers.get("idempotent-replayed")).toBe("true");
      },
      () => resent >= sent.length,
    );
    const after = await allPages<{ idempotencyKey: string }>(
      server,
      `/v1/conversions?programId=${programId}&kind=sale`,
      apiKey,
    );
    expect(after.length).toBe(new Set(sent).size);
    await server.stop();
  }, 180_000);

  test("kill -9 during an async sale load: every sale answered 202 is recorded exactly once, under its submission's id, after the restart", async () => {
    const env = await databaseEnv();
    let server = await startServer(env);
    cleanups.push(async () => void (await server.stop("SIGKILL")));
    const arranged = await arrangeProgram(server.url);
    const { programId, apiKey, slug } = arranged;
    const redirect = await fetch(`${server.url}/r/${slug}`, { redirect: "manual", headers: { "user-agent": UA } });
    const clickId = new URL(redirect.headers.get("location")!).searchParams.get("tb_click")!;
    const headers = { "content-type": "application/json", authorization: `Bearer ${apiKey}` };
    const body = (orderId: string, i: number) =>
      JSON.stringify({
        programId,
        orderId,
        amount: 2500,
        currency: "USD",
        clickId,
        customerExternalId: `cus-${i % 50}`,
      });

    const sent: string[] = [];
    const accepted = new Map<string, string>();
    let killed = false;
    const sale = async (i: number) => {
      const orderId = `async-${i}`;
      sent.push(orderId);
      const r = await fetch(`${server.url}/v1/track/sale`, {
        method: "POST",
        headers: { ...headers, prefer: "respond-async" },
        body: body(orderId, i),
      });
      if (r.status === 202) accepted.set(orderId, ((await r.json()) as { id: string }).id);
      else if (!killed) throw new Error(`unexpected ${r.status}`);
    };
    const loading = load(16, sale, () => killed);
    while (accepted.size < 300) await new Promise((r) => setTimeout(r, 20));
    await server.stop("SIGKILL");
    killed = true;
    await loading;

    // The next start records what the intake held; a sale sent after, recorded, tells that all before it are.
    server = await startServer(env);
    await waitForIntake(server.url, arranged, clickId);
    const stored = await allPages<{ id: string; idempotencyKey: string; attributed: boolean }>(
      server,
      `/v1/conversions?programId=${programId}&kind=sale`,
      apiKey,
    );
    const storedKeys = stored.map((c) => c.idempotencyKey);
    expect(new Set(storedKeys).size).toBe(storedKeys.length);
    const idOf = new Map(stored.map((c) => [c.idempotencyKey, c.id]));
    const lost = [...accepted.keys()].filter((k) => !idOf.has(k));
    expect(lost).toEqual([]);
    // Each acknowledged sale's conversion is the submission it was answered with.
    expect([...accepted].filter(([key, id]) => idOf.get(key) !== id)).toEqual([]);
    expect(stored.every((c) => c.attributed)).toBe(true);

    // Every sale sent again: recorded ones answer with their outcome, the rest are accepted; none is stored twice.
    let resent = 0;
    await load(
      8,
      async () => {
        const i = resent++;
        const orderId = sent[i];
        if (!orderId) return;
        const r = await fetch(`${server.url}/v1/track/sale`, {
          method: "POST",
          headers: { ...headers, prefer: "respond-async" },
          body: body(orderId, Number(orderId.slice("async-".length))),
        });
        expect([200, 202]).toContain(r.status);
      },
      () => resent >= sent.length,
    );
    await waitForIntake(server.url, arranged, clickId);
    const after = await allPages<{ idempotencyKey: string }>(
      server,
      `/v1/conversions?programId=${programId}&kind=sale`,
      apiKey,
    );
    // The sent sales once each, and the two sales that marked the intake's end.
    expect(after.length).toBe(new Set(sent).size + 2);
    await server.stop();
  }, 180_000);

  test("SIGTERM during a buffered redirect load loses no click that got its 302", async () => {
    const env = { ...(await databaseEnv()), CLICK_DURABILITY: "buffered" };
    let server = await startServer(env);
    cleanups.push(async () => void (await server.stop("SIGKILL")));
    const { programId, apiKey, slug } = await arrangeProgram(server.url);

    const redirected: string[] = [];
    let stopping = false;
    const loading = load(
      16,
      async () => {
        const r = await fetch(`${server.url}/r/${slug}`, { redirect: "manual", headers: { "user-agent": UA } });
        if (r.status !== 302) throw new Error(`status ${r.status}`);
        const token = new URL(r.headers.get("location")!).searchParams.get("tb_click")!;
        // The click row id is the ULID inside the id (bytes 50–66); reading it needs no key.
        redirected.push(`clk_${bytesToUlid(Buffer.from(token, "base64url").subarray(50, 66))}`);
      },
      () => stopping,
    );
    while (redirected.length < 300) await new Promise((r) => setTimeout(r, 10));
    const exit = await server.stop("SIGTERM");
    stopping = true;
    await loading;
    expect(exit).toBe(0);

    server = await startServer(env);
    const stored = new Set(
      (await allPages<{ id: string }>(server, `/v1/clicks?programId=${programId}`, apiKey)).map((c) => c.id),
    );
    const lost = redirected.filter((id) => !stored.has(id));
    expect(lost).toEqual([]);
    expect(stored.size).toBe(redirected.length);
    await server.stop();
  }, 180_000);
});
