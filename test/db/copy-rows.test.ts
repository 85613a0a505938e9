import pg from "pg";
import { afterAll, beforeAll, expect, inject, test } from "vitest";
import type { Database } from "../../src/db/client.js";
import { copyRows, copyValue } from "../../src/db/copy-rows.js";
import { postgresPoolOf } from "../../src/db/raw-transaction.js";
import { createTestDb } from "../helpers/test-db.js";

/**
 * copyRows speaks COPY FROM STDIN itself, sending the data with the command instead of after the server's
 * CopyInResponse. Only PostgreSQL has COPY from a client (PGlite's writers insert instead), so only the suite's
 * PostgreSQL pass can tell.
 */
const source = inject("testDbSource");
const COLUMNS = ["id", "note", "at"] as const;

let database: Database;
const pool = () => postgresPoolOf(database.db)!;
const rows = async (): Promise<{ id: number; note: string | null; at: Date }[]> =>
  (await pool().query("select id, note, at from copy_probe order by id")).rows;

beforeAll(async () => {
  if (source.kind !== "postgres") return;
  database = await createTestDb({ migrated: false });
  await pool().query("create table copy_probe (id int primary key, note text, at timestamptz not null)");
});
afterAll(async () => database?.close());

const line = (id: number, note: string | null, at = "2026-11-23T10:00:00.000Z") => `${id}\t${copyValue(note)}\t${at}\n`;

test.runIf(source.kind === "postgres")(
  "rows arrive as written, escapes and all, and the answer is the number stored",
  async () => {
    const notes = ["plain", null, "tab\tnew line\nreturn\rbackslash\\", "\\N is text here", "ünïcødé 🎉"];
    const stored = await copyRows(pool(), "copy_probe", COLUMNS, notes.map((n, i) => line(i + 1, n)).join(""));
    expect(stored).toBe(5);
    expect((await rows()).map((r) => r.note)).toEqual(notes);
    expect(await copyRows(pool(), "copy_probe", COLUMNS, "")).toBe(0);
  },
);

test.runIf(source.kind === "postgres")(
  "a payload of many socket writes' worth arrives whole (one CopyData message of a few megabytes)",
  async () => {
    const note = "x".repeat(200);
    const lines = Array.from({ length: 20_000 }, (_, i) => line(1_000 + i, note)).join("");
    expect(lines.length).toBeGreaterThan(4_000_000);
    expect(await copyRows(pool(), "copy_probe", COLUMNS, lines)).toBe(20_000);
    const { rows: counted } = await pool().query(
      "select count(*)::int as n, min(length(note)) as shortest from copy_probe where id >= 1000",
    );
    expect(counted[0]).toEqual({ n: 20_000, shortest: 200 });
  },
);

test.runIf(source.kind === "postgres")(
  "a row the table refuses fails the whole COPY: nothing of it is kept, and the pool goes on working",
  async () => {
    const before = (await rows()).length;
    // The third line repeats a stored key; the first two are new.
    const failing = copyRows(pool(), "copy_probe", COLUMNS, line(100_001, "a") + line(100_002, "b") + line(1, "again"));
    await expect(failing).rejects.toMatchObject({ code: "23505" });
    await expect(copyRows(pool(), "copy_probe", COLUMNS, line(100_003, "c", "not a time"))).rejects.toMatchObject({
      code: "22007",
    });
    expect((await rows()).length).toBe(before);
    expect(await copyRows(pool(), "copy_probe", COLUMNS, line(100_004, "d"))).toBe(1);
    expect((await rows()).length).toBe(before + 1);
  },
);

test.runIf(source.kind === "postgres")(
  "a COPY that fails before taking data (no such table) rejects with the server's error; the data sent with it is ignored",
  async () => {
    // One connection, so every COPY and query below goes through it: the data left with the failing command, and
    // the server must drop it outside copy-in mode rather than read it as the next messages.
    const single = new pg.Pool({ ...pool().options, max: 1 });
    try {
      const pid = async () => (await single.query("select pg_backend_pid() as pid")).rows[0].pid as number;
      const first = await pid();
      await expect(copyRows(single, "no_such_table", COLUMNS, line(1, "lost"))).rejects.toMatchObject({
        code: "42P01",
      });
      await expect(copyRows(single, "copy_probe", ["id", "nope"], line(1, "lost"))).rejects.toMatchObject({
        code: "42703",
      });
      // A refused row mid-COPY too: the rest of its data is dropped until CopyDone.
      await expect(
        copyRows(single, "copy_probe", COLUMNS, line(300_000, "x") + line(1, "duplicate") + line(300_001, "y")),
      ).rejects.toMatchObject({ code: "23505" });
      expect(await pid()).toBe(first);
      expect((await single.query("select 41 + 1 as answer")).rows).toEqual([{ answer: 42 }]);
      expect(await copyRows(single, "copy_probe", COLUMNS, line(200_000, "after"))).toBe(1);
      expect(await pid()).toBe(first);
      const { rows: kept } = await single.query("select id from copy_probe where id >= 200000 order by id");
      expect(kept).toEqual([{ id: 200_000 }]);
    } finally {
      await single.end();
    }
  },
);
