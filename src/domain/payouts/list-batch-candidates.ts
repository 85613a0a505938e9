import { sql } from "drizzle-orm";
import { selectRows } from "../../db/client.js";
import { type PayoutMethodKind, payoutMethodKinds } from "../../db/schema/index.js";
import type { Ctx } from "../context.js";
import { requireProgramInView } from "../programs/program-in-view.js";
import type { BatchCandidatesView } from "./payouts.schemas.js";

type Totals = BatchCandidatesView["withoutMethod"];

const empty = (): Totals => ({ payoutCount: 0, totals: [] });

function add(into: Totals, currency: string, count: number, amount: bigint) {
  into.payoutCount += count;
  const line = into.totals.find((t) => t.currency === currency);
  if (line) line.amount += Number(amount);
  else into.totals.push({ currency, amount: Number(amount) });
}

/**
 * What a new batch of the program would take, per payout method: its pending, unbatched payouts grouped by the
 * method their partner has now (the one a batch uses), counted and summed per currency. Stripe payouts whose
 * account needs attention are counted apart (a batch leaves them out), and so are payouts whose partner has no
 * method (no batch takes them until the partner adds one).
 */
export async function listBatchCandidates(ctx: Ctx, programId: string): Promise<BatchCandidatesView> {
  await requireProgramInView(ctx, programId);
  const rows = await selectRows<{
    kind: PayoutMethodKind | null;
    held: boolean;
    currency: string;
    n: number;
    total: string;
  }>(
    ctx.db,
    sql`select m.kind, (m.kind = 'stripe_connect' and m.attention_reason is not null) as held, p.currency,
          count(*)::int as n, sum(p.amount_minor)::text as total
        from payouts p left join payout_methods m on m.partner_id = p.partner_id
        where p.program_id = ${programId} and p.status = 'pending' and p.batch_id is null
        group by 1, 2, 3 order by 3`,
  );
  const methods = payoutMethodKinds.map((methodKind) => ({ methodKind, ...empty(), held: empty() }));
  const withoutMethod = empty();
  for (const row of rows) {
    const method = methods.find((m) => m.methodKind === row.kind);
    const into = !method ? withoutMethod : row.held ? method.held : method;
    add(into, row.currency, Number(row.n), BigInt(row.total));
  }
  return { programId, methods, withoutMethod };
}
