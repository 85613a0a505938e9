import { sql } from "drizzle-orm";
import { expect, inject, test } from "vitest";
import { openDatabase, selectRows } from "../../src/db/client.js";

/**
 * The application's PostgreSQL sessions run without JIT, whatever the server's default: a group-commit round of a
 * few hundred sales is estimated above jit_above_cost, and PostgreSQL spent 2.4–3.2 s compiling the fraud screen of
 * such a round with LLVM before running it in milliseconds (auto_explain, 2026-11-23). PGlite has no JIT; the suite's
 * PostgreSQL pass (CI runs both) is the one that can tell.
 */
const source = inject("testDbSource");
test.runIf(source.kind === "postgres")(
  "every pooled connection has JIT off, even when the connection string asks for it",
  async () => {
    const url = new URL(source.kind === "postgres" ? source.url : "");
    url.searchParams.set("options", "-c jit=on");
    const database = await openDatabase({ databaseUrl: url.toString(), poolSize: 3 });
    try {
      // Three connections at once, so that the pool opens each of them.
      const answers = await Promise.all(
        [1, 2, 3].map(() =>
          database.db.transaction(async (tx) => {
            await tx.execute(sql`select pg_sleep(0.05)`);
            return selectRows<{ jit: string }>(tx, sql`show jit`);
          }),
        ),
      );
      expect(answers.map(([row]) => row!.jit)).toEqual(["off", "off", "off"]);
    } finally {
      await database.close();
    }
  },
);
