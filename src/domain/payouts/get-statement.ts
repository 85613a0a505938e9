import { stringify } from "csv-stringify/sync";
import { and, asc, eq, gte, lt, ne, sql } from "drizzle-orm";
import type { CommissionEntryKind } from "../../db/schema/index.js";
import { commissionEntries, payouts } from "../../db/schema/index.js";
import { minorToDecimal } from "../../lib/currency-digits.js";
import type { Ctx } from "../context.js";
import { findProgram } from "../programs/get-program.js";
import { requireProgramInView } from "../programs/program-in-view.js";
import { findPartner } from "./partner-of.js";
import { addUtcMonths } from "./payout-rules.js";
import type { StatementView } from "./payouts.schemas.js";

type LineType = StatementView["lines"][number]["type"];
const TYPE_OF: Record<CommissionEntryKind, Exclude<LineType, "payout">> = {
  commission: "commission",
  override: "commission",
  reversal: "reversal",
  clawback: "clawback",
  bonus: "bonus",
  adjustment: "adjustment",
};

/**
 * A partner's account with a program for one calendar month (UTC). The balance is what the program owes the
 * partner: every ledger entry that is not rejected, dated by when it was earned (`occurred_at`), minus the
 * payouts paid (dated by `paid_at`). Closing = opening + commissions + reversals + clawbacks + bonuses +
 * adjustments − payouts, and one month's closing is the next month's opening. A reversal takes back a refunded sale's
 * share before it was paid, a clawback after (reverse-for-refund.ts): they are told apart, as the ledger does. A statement is computed from the ledger
 * when asked for, so an entry rejected later disappears from the month it was earned in.
 */
export async function getStatement(
  ctx: Ctx,
  partnerId: string,
  query: { programId: string; period: string },
): Promise<StatementView> {
  const partner = await findPartner(ctx.db, ctx.actor, partnerId);
  await requireProgramInView(ctx, query.programId);
  // The caller sees it, so it exists.
  const program = (await findProgram(ctx.db, query.programId))!;
  const [year, month] = query.period.split("-").map(Number);
  const start = new Date(Date.UTC(year ?? 1970, (month ?? 1) - 1, 1));
  const end = addUtcMonths(start, 1);

  const ofPartner = and(eq(commissionEntries.programId, program.id), eq(commissionEntries.partnerId, partnerId));
  const counted = ne(commissionEntries.status, "rejected");
  const paidOfPartner = and(
    eq(payouts.programId, program.id),
    eq(payouts.partnerId, partnerId),
    eq(payouts.status, "paid"),
  );
  const [earnedBefore] = await ctx.db
    .select({ sum: sql<string>`coalesce(sum(${commissionEntries.amountMinor}), 0)::text` })
    .from(commissionEntries)
    .where(and(ofPartner, counted, lt(commissionEntries.occurredAt, start)));
  const [paidBefore] = await ctx.db
    .select({ sum: sql<string>`coalesce(sum(${payouts.amountMinor}), 0)::text` })
    .from(payouts)
    .where(and(paidOfPartner, lt(payouts.paidAt, start)));
  const opening = BigInt(earnedBefore?.sum ?? "0") - BigInt(paidBefore?.sum ?? "0");

  const entries = await ctx.db
    .select()
    .from(commissionEntries)
    .where(and(ofPartner, counted, gte(commissionEntries.occurredAt, start), lt(commissionEntries.occurredAt, end)))
    .orderBy(asc(commissionEntries.occurredAt), asc(commissionEntries.id));
  const paid = await ctx.db
    .select()
    .from(payouts)
    .where(and(paidOfPartner, gte(payouts.paidAt, start), lt(payouts.paidAt, end)))
    .orderBy(asc(payouts.paidAt), asc(payouts.id));

  const totals: Record<LineType, bigint> = {
    commission: 0n,
    reversal: 0n,
    clawback: 0n,
    bonus: 0n,
    adjustment: 0n,
    payout: 0n,
  };
  const lines: { at: Date; line: StatementView["lines"][number] }[] = [];
  for (const e of entries) {
    const type = TYPE_OF[e.kind];
    totals[type] += e.amountMinor;
    lines.push({
      at: e.occurredAt,
      line: {
        date: e.occurredAt.toISOString(),
        type,
        kind: e.kind,
        reference: e.id,
        description: e.explanation.summary,
        status: e.status,
        amount: Number(e.amountMinor),
      },
    });
  }
  for (const p of paid) {
    totals.payout -= p.amountMinor;
    const at = p.paidAt ?? p.updatedAt;
    lines.push({
      at,
      line: {
        date: at.toISOString(),
        type: "payout",
        kind: "payout",
        reference: p.id,
        description: `Payout${p.methodMasked ? ` to ${p.methodMasked}` : ""}${p.externalRef ? ` (${p.externalRef})` : ""}`,
        status: p.status,
        amount: -Number(p.amountMinor),
      },
    });
  }
  lines.sort((a, b) => a.at.getTime() - b.at.getTime() || a.line.reference.localeCompare(b.line.reference));
  const closing = Object.values(totals).reduce((sum, v) => sum + v, opening);
  return {
    programId: program.id,
    programName: program.name,
    programSlug: program.slug,
    partnerId,
    partnerName: partner.name,
    period: query.period,
    periodStart: start.toISOString(),
    periodEnd: end.toISOString(),
    currency: program.currency,
    openingBalance: Number(opening),
    commissions: Number(totals.commission),
    reversals: Number(totals.reversal),
    clawbacks: Number(totals.clawback),
    bonuses: Number(totals.bonus),
    adjustments: Number(totals.adjustment),
    payouts: Number(totals.payout),
    closingBalance: Number(closing),
    lines: lines.map((l) => l.line),
  };
}

/** A name's words for a file name: lowercase ASCII letters and digits joined by dashes ("Northwind Media" → "northwind-media"). */
const fileWords = (name: string, max = 40): string =>
  name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .slice(0, max)
    .replace(/^-+|-+$/g, "");

/**
 * The statement as CSV: opening balance, every movement, the totals per type and the closing balance. The opening row
 * is dated the month's first day, the totals and the closing balance its last day. The file is named by the program
 * (its slug) and the month, and for the team (`withPartner`) by the partner's name too, as people file them.
 */
export function statementCsv(s: StatementView, { withPartner = false } = {}): { filename: string; body: string } {
  const money = (minor: number) => minorToDecimal(BigInt(minor), s.currency);
  const day = (iso: string) => iso.slice(0, 10);
  const lastDay = day(new Date(new Date(s.periodEnd).getTime() - 1).toISOString());
  const row = (date: string, type: string, reference: string, description: string, status: string, amount: number) => ({
    date,
    type,
    reference,
    description: /^[=+\-@\t\r]/.test(description) ? `'${description}` : description,
    status,
    amount: money(amount),
    currency: s.currency,
  });
  const rows = [
    row(day(s.periodStart), "opening_balance", "", `Opening balance ${s.period}`, "", s.openingBalance),
    ...s.lines.map((l) => row(day(l.date), l.type, l.reference, l.description, l.status, l.amount)),
    row(lastDay, "total_commissions", "", "Commissions and overrides", "", s.commissions),
    row(lastDay, "total_reversals", "", "Reversals (refunds before payout)", "", s.reversals),
    row(lastDay, "total_clawbacks", "", "Clawbacks (refunds after payout)", "", s.clawbacks),
    row(lastDay, "total_bonuses", "", "Bonuses", "", s.bonuses),
    row(lastDay, "total_adjustments", "", "Adjustments", "", s.adjustments),
    row(lastDay, "total_payouts", "", "Payouts", "", s.payouts),
    row(lastDay, "closing_balance", "", `Closing balance ${s.period}`, "", s.closingBalance),
  ];
  const partner = withPartner ? fileWords(s.partnerName) || s.partnerId : "";
  const program = fileWords(s.programSlug, 64) || s.programId;
  return {
    filename: `statement-${program}${partner ? `-${partner}` : ""}-${s.period}.csv`,
    body: stringify(rows, {
      header: true,
      columns: ["date", "type", "reference", "description", "status", "amount", "currency"],
    }),
  };
}
