import { sql } from "drizzle-orm";
import { expect, inject, test } from "vitest";
import { openDatabase, selectRows } from "../../src/db/client.js";

const OLD = "1900-01-01T00:00:00.000Z";

/**
 * Timestamps come back in UTC whatever zone the database session would have: in Amsterdam's (+00:19:32 before
 * 1937) PostgreSQL answers `1900-01-01 00:19:32+00:19:32`, which the driver read as an invalid date, and every
 * list holding a conversion dated then answered 500. PGlite's sessions are in UTC already; the suite's
 * PostgreSQL pass (CI runs both) is the one that can tell.
 */
const source = inject("testDbSource");
test.runIf(source.kind === "postgres")(
  "a 1900 timestamp reads back as itself, even when the connection asks for a zone with seconds offsets",
  async () => {
    const url = new URL(source.kind === "postgres" ? source.url : "");
    url.searchParams.set("options", "-c TimeZone=Europe/Amsterdam");
    const database = await openDatabase({ databaseUrl: url.toString(), poolSize: 2 });
    try {
      const [zone] = await selectRows<{ TimeZone: string }>(database.db, sql`show timezone`);
      expect(zone!.TimeZone).toBe("UTC");
      const [row] = await selectRows<{ at: unknown }>(database.db, sql`select ${OLD}::timestamptz as at`);
      const at = row!.at instanceof Date ? row!.at : new Date(String(row!.at));
      expect(at.toISOString()).toBe(OLD);
    } finally {
      await database.close();
    }
  },
);
