import { useQuery } from "@tanstack/react-query";
import { api, queryString } from "./api.js";
import { CsvDownload } from "./csv-download.js";
import { DataTable } from "./data-table.js";
import { EmptyState } from "./empty-state.js";
import { formatDate } from "./format.js";
import { LogIcon } from "./icons.js";
import { commissionKindLabels } from "./labels.js";
import { SkeletonRows } from "./loading.js";
import { formatMoney, formatSignedMoney } from "./money.js";
import { MoneyAmount } from "./money-amount.js";
import { readableNote } from "./note-text.js";
import { QueryError } from "./query-error.js";
import { SelectField } from "./select-field.js";
import { sentenceCase } from "./sentence-case.js";
import { TextField } from "./text-field.js";
import type { Statement, StatementLine } from "./types.js";

/** A line is named by its ledger entry's own kind (a reversal is not a clawback), or Payout. */
const lineLabel = (line: StatementLine) =>
  line.kind === "payout" ? "Payout" : (commissionKindLabels[line.kind] ?? sentenceCase(line.kind));

/** This month as YYYY-MM (UTC, like the server's periods). */
export const currentPeriod = (): string => new Date().toISOString().slice(0, 7);

const periodLabel = (period: string) =>
  new Intl.DateTimeFormat("en-GB", { month: "long", year: "numeric", timeZone: "UTC" }).format(
    new Date(`${period}-01T00:00:00Z`),
  );

function Figures({ s }: { s: Statement }) {
  const rows: [string, number, boolean][] = [
    ["Opening balance", s.openingBalance, false],
    ["Commissions", s.commissions, true],
    ["Bonuses", s.bonuses, true],
    ["Adjustments", s.adjustments, true],
    ["Reversals", s.reversals, true],
    ["Clawbacks", s.clawbacks, true],
    ["Payouts", s.payouts, true],
  ];
  return (
    <dl className="statement-figures">
      {rows.map(([label, amount, signed]) => (
        <div key={label} className="statement-figure">
          <dt>{label}</dt>
          <dd className={amount < 0 ? "amount-negative" : undefined}>
            {signed ? formatSignedMoney(amount, s.currency) : formatMoney(amount, s.currency)}
          </dd>
        </div>
      ))}
      <div className="statement-figure statement-closing">
        <dt>Closing balance</dt>
        <dd>{formatMoney(s.closingBalance, s.currency)}</dd>
      </div>
    </dl>
  );
}

/** Every movement of the month: date, type (with the entry's status when not yet paid), description, amount. */
function StatementLines({ s }: { s: Statement }) {
  return (
    <DataTable
      className="table-compact statement-table"
      rows={s.lines}
      rowKey={(line) => `${line.type}:${line.reference}`}
      columns={[
        { id: "date", header: "Date", cellClassName: "nowrap", cell: (line) => formatDate(line.date) },
        {
          id: "type",
          header: "Type",
          cellClassName: "nowrap",
          cell: (line) => (
            <>
              {lineLabel(line)}
              {line.status !== "paid" && line.type !== "payout" && (
                <div className="cell-sub">{sentenceCase(line.status)}</div>
              )}
            </>
          ),
        },
        {
          id: "description",
          header: "Description",
          cellClassName: "statement-description",
          cell: (line) => readableNote(line.description),
        },
        {
          id: "amount",
          header: "Amount",
          className: "col-amount",
          cellClassName: "nowrap",
          cell: (line) => <MoneyAmount amount={line.amount} currency={s.currency} signed />,
        },
      ]}
    />
  );
}

/**
 * A partner's statement for a program and month: opening balance, movements, closing balance, line by line, with
 * the CSV download. `path` is the JSON endpoint (the console's per-partner one, or the portal's own).
 */
export function StatementPanel({
  path,
  programs,
  programId,
  period,
  onProgramChange,
  onPeriodChange,
}: {
  path: string;
  programs: { value: string; label: string }[];
  programId: string;
  period: string;
  onProgramChange: (programId: string) => void;
  onPeriodChange: (period: string) => void;
}) {
  const chosen = programId || programs[0]?.value || "";
  const validPeriod = /^\d{4}-(0[1-9]|1[0-2])$/.test(period);
  const statement = useQuery({
    queryKey: [path.startsWith("/v1/portal") ? "portal" : "admin", "statement", path, chosen, period],
    queryFn: () => api.get<Statement>(`${path}${queryString({ programId: chosen, period })}`),
    enabled: Boolean(chosen) && validPeriod,
  });
  const csv = `${path}${queryString({ programId: chosen, period, format: "csv" })}`;
  return (
    <div className="statement">
      <div className="statement-controls">
        {programs.length > 1 && (
          <SelectField label="Program" value={chosen} onChange={onProgramChange} options={programs} />
        )}
        <TextField
          label="Month"
          type="month"
          value={period}
          onChange={onPeriodChange}
          max={currentPeriod()}
          className="statement-month"
        />
        {chosen && validPeriod && <CsvDownload href={csv} className="statement-csv" />}
      </div>
      {!chosen ? (
        <EmptyState icon={<LogIcon size={28} />} title="No program yet" />
      ) : !validPeriod ? (
        // The month field was cleared (or holds no whole month): nothing is asked for, so nothing is loading.
        <EmptyState icon={<LogIcon size={28} />} title="No month chosen">
          Choose a month to see its statement.
        </EmptyState>
      ) : statement.isPending ? (
        <SkeletonRows rows={3} columns={4} />
      ) : statement.isError ? (
        <QueryError error={statement.error} onRetry={() => statement.refetch()} />
      ) : (
        <section aria-label={`Statement for ${periodLabel(statement.data.period)}`} className="stack">
          <Figures s={statement.data} />
          {statement.data.lines.length === 0 ? (
            <p className="muted small">Nothing was earned or paid in {periodLabel(statement.data.period)}.</p>
          ) : (
            <div className="table-frame">
              <StatementLines s={statement.data} />
            </div>
          )}
        </section>
      )}
    </div>
  );
}
