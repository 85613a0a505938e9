import { afterAll, beforeAll, expect, test } from "vitest";
import type { Database } from "../../src/db/client.js";
import type { Ctx } from "../../src/domain/context.js";
import { systemActor } from "../../src/domain/context.js";
import { partnerBreakdown } from "../../src/domain/stats/partner-breakdown.js";
import { ManualClock } from "../../src/lib/clock.js";
import { createTestDb } from "../helpers/test-db.js";

/**
 * The links pages show every link's own figures from the partner's breakdown per link: a partner with more
 * links than a report of sub-id values keeps (200) still gets a row for each of them.
 */
const NOW = new Date("2026-06-30T00:00:00Z");
const window = { from: new Date("2026-06-01T00:00:00Z"), to: NOW };
let database: Database;
let ctx: Ctx;

beforeAll(async () => {
  database = await createTestDb();
  ctx = {
    db: database.db,
    clock: new ManualClock(NOW),
    log: { info() {}, warn() {}, error() {}, debug() {} } as unknown as Ctx["log"],
    actor: systemActor,
    config: { sessionTtlHours: 1 },
  };
  // One partner, 250 links, each clicked once with a sub-id value of its own; foreign keys are not the point.
  const script = `
    set session_replication_role = replica;
    insert into partners (id, name, type, created_at, updated_at) values ('ptn_many', 'Many', 'affiliate', now(), now());
    insert into links (id, program_id, partner_id, enrollment_id, slug, created_at, updated_at)
      select 'lnk_' || g, 'prg_one', 'ptn_many', 'enr_one', 'many-' || g, now(), now() from generate_series(1, 250) g;
    insert into clicks (id, program_id, partner_id, link_id, at, source, sub1)
      select 'clk_' || lpad(g::text, 8, '0'), 'prg_one', 'ptn_many', 'lnk_' || g,
        timestamptz '2026-06-10' + g * interval '1 minute', 'redirect', 'tag-' || g
      from generate_series(1, 250) g;
    set session_replication_role = origin;`;
  if (database.pglite) await database.pglite.exec(script);
  else {
    const client = await database.pool!.connect();
    try {
      await client.query(script);
    } finally {
      client.release();
    }
  }
});
afterAll(async () => database?.close());

test("per link, every link of the partner has its row; per sub-id, the busiest 200 values", async () => {
  const byLink = await partnerBreakdown(ctx, { partnerId: "ptn_many", by: "link", ...window });
  expect(byLink.rows).toHaveLength(250);
  expect(byLink.rows.every((r) => r.clicks === 1 && r.linkSlug === `many-${r.key!.slice(4)}`)).toBe(true);
  const bySub = await partnerBreakdown(ctx, { partnerId: "ptn_many", by: "sub1", ...window });
  expect(bySub.rows).toHaveLength(200);
});
