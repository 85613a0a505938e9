import { type SQL, sql } from "drizzle-orm";
import type { Ctx } from "../context.js";
import type { ReviewQueueQuery } from "./fraud.schemas.js";
import { loadCases } from "./fraud-cases.js";
import { partnerStandings } from "./partner-standing.js";

/** The console's review queue: cases (open by default) grouped by partner, most cases first, with the evidence. */
export async function listReviewQueue(ctx: Ctx, query: ReviewQueueQuery) {
  const conditions: SQL[] = [sql`r.status = ${query.status ?? "open"}`];
  if (query.programId) conditions.push(sql`r.program_id = ${query.programId}`);
  if (query.partnerId) conditions.push(sql`r.partner_id = ${query.partnerId}`);
  if (query.action) conditions.push(sql`r.action = ${query.action}`);
  const cases = await loadCases(ctx.db, sql.join(conditions, sql` and `), query.limit);
  const byPartner = new Map<
    string,
    {
      partnerId: string;
      partnerName: string;
      cases: number;
      held: number;
      rules: Record<string, number>;
      items: (typeof cases)[number]["view"][];
    }
  >();
  for (const { partnerName, view } of cases) {
    let group = byPartner.get(view.partnerId);
    if (!group) {
      group = { partnerId: view.partnerId, partnerName, cases: 0, held: 0, rules: {}, items: [] };
      byPartner.set(view.partnerId, group);
    }
    group.cases += 1;
    if (view.action === "hold" && view.status === "open") group.held += 1;
    for (const rule of view.rules) group.rules[rule] = (group.rules[rule] ?? 0) + 1;
    group.items.push(view);
  }
  // The header says what the team already did about each partner, so an action is never taken twice by mistake.
  const standings = await partnerStandings(ctx.db, [...byPartner.keys()]);
  const groups = [...byPartner.values()].map((g) => ({
    ...g,
    standing: standings.get(g.partnerId)?.standing ?? "inactive",
    warnedAt: standings.get(g.partnerId)?.warnedAt ?? null,
  }));
  return {
    partners: groups.sort((a, b) => b.cases - a.cases || a.partnerName.localeCompare(b.partnerName)),
    total: cases.length,
  };
}
