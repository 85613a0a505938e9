import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type ChangeEvent, type FormEvent, type RefObject, useEffect, useRef, useState } from "react";
import { api, isApiError, queryString } from "../shared/api.js";
import { Badge } from "../shared/badge.js";
import { Button } from "../shared/button.js";
import { EmptyState } from "../shared/empty-state.js";
import { FormAlert } from "../shared/form-alert.js";
import { fieldErrors, friendlyMessage } from "../shared/form-errors.js";
import { formatDate, formatRelative } from "../shared/format.js";
import { AlertIcon, ClockIcon, CoinsIcon } from "../shared/icons.js";
import { SkeletonRows } from "../shared/loading.js";
import { PageHeader } from "../shared/page-header.js";
import { QueryError } from "../shared/query-error.js";
import { TextField } from "../shared/text-field.js";
import { TextAreaField } from "../shared/textarea-field.js";
import { useToast } from "../shared/toast.js";
import type { CommissionSummary, FxRate } from "../shared/types.js";
import { adminKeys, useProgramsQuery } from "./admin-queries.js";
import { useMe } from "./use-me.js";
import { useSearchState } from "./use-search-state.js";

const today = () => new Date().toISOString().slice(0, 10);
const CSV_EXAMPLE = "date,from,to,rate\n2026-11-01,EUR,USD,1.0842\n2026-11-01,GBP,USD,1.2711";
const code = (text: string) =>
  text
    .toUpperCase()
    .replace(/[^A-Z]/g, "")
    .slice(0, 3);

/** After a refused submit, focus the first invalid field: its error is read with it (and announced as an alert). */
function useFocusInvalid(formRef: RefObject<HTMLFormElement | null>, attempt: unknown) {
  useEffect(() => {
    if (attempt) formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [attempt, formRef]);
}

function SetRateCard({ defaultTo }: { defaultTo: string }) {
  const queryClient = useQueryClient();
  const toast = useToast();
  const [date, setDate] = useState(today());
  const [from, setFrom] = useState("EUR");
  const [to, setTo] = useState(defaultTo);
  const [rate, setRate] = useState("");
  const save = useMutation({
    mutationFn: () => api.put<{ saved: number }>("/v1/fx-rates", { date, from, to, rate: rate.trim() }),
    onSuccess: () => {
      queryClient.invalidateQueries({ queryKey: adminKeys.fxRates });
      queryClient.invalidateQueries({ queryKey: adminKeys.commissions });
      toast.success(`1 ${from} = ${rate.trim()} ${to} on ${formatDate(date)} saved`);
      setRate("");
    },
  });
  const formRef = useRef<HTMLFormElement>(null);
  const [local, setLocal] = useState<Record<string, string>>({});
  const [attempt, setAttempt] = useState(0);
  useFocusInvalid(formRef, attempt || save.error);
  const errors = { ...fieldErrors(save.error), ...local };
  /** Typing in a field clears its own complaint, not the others'. */
  const edit = (field: string, set: (value: string) => void) => (value: string) => {
    set(value);
    setLocal(({ [field]: _, ...rest }) => rest);
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    // What the server would refuse anyway, said before the round trip and next to the field.
    const problems: Record<string, string> = {};
    if (!date) problems["/date"] = "Choose the day";
    if (from.length !== 3) problems["/from"] = "A 3-letter currency code";
    if (to.length !== 3) problems["/to"] = "A 3-letter currency code";
    if (!rate.trim()) problems["/rate"] = `Enter how many ${to || "…"} one ${from || "…"} was worth`;
    setLocal(problems);
    if (Object.keys(problems).length > 0) {
      setAttempt((n) => n + 1);
      return;
    }
    save.mutate();
  };
  return (
    <section className="card" aria-label="Set a rate">
      <h2 className="card-title">Set a rate</h2>
      <p className="card-subtitle">
        A new rate for a day and pair replaces the old one; commissions already made keep theirs.
      </p>
      <form ref={formRef} className="stack" onSubmit={submit} noValidate>
        <FormAlert error={save.error} shown={["/date", "/from", "/to", "/rate"]} />
        <TextField
          label="Day"
          type="date"
          value={date}
          onChange={edit("/date", setDate)}
          error={errors["/date"]}
          required
        />
        <div className="fx-pair">
          <TextField
            label="From"
            value={from}
            onChange={edit("/from", (v) => setFrom(code(v)))}
            className="field-currency"
            error={errors["/from"]}
            required
          />
          <span className="fx-pair-arrow" aria-hidden="true">
            →
          </span>
          <TextField
            label="To"
            value={to}
            onChange={edit("/to", (v) => setTo(code(v)))}
            className="field-currency"
            error={errors["/to"]}
            required
          />
        </div>
        <TextField
          label="Rate"
          value={rate}
          onChange={edit("/rate", setRate)}
          inputMode="decimal"
          placeholder="1.0842"
          hint={`1 ${from || "…"} = this many ${to || "…"}. Up to 12 decimals, kept exactly.`}
          error={errors["/rate"]}
          className="field-mono"
          required
        />
        <div>
          <Button type="submit" variant="primary" loading={save.isPending}>
            Save rate
          </Button>
        </div>
      </form>
    </section>
  );
}

/** The server's CSV problems, line by line: `/rows/3/from` is data row 3, line 4 of the file. */
function csvProblems(error: unknown): { line: number | null; field: string; message: string }[] {
  if (!isApiError(error)) return [];
  return error.fieldErrors.map((e) => {
    const match = /^\/rows\/(\d+)\/(\w+)$/.exec(e.field);
    return match
      ? {
          line: Number(match[1]) + 1,
          field: match[2]!,
          message: friendlyMessage(e.message.replace(/^line \d+: /, "").replace(new RegExp(`^${match[2]} `), "")),
        }
      : { line: null, field: e.field.replace(/^\//, ""), message: friendlyMessage(e.message) };
  });
}

function UploadCard() {
  const queryClient = useQueryClient();
  const toast = useToast();
  const fileRef = useRef<HTMLInputElement>(null);
  const [text, setText] = useState("");
  const [fileName, setFileName] = useState("");
  const upload = useMutation({
    mutationFn: () => api.postText<{ saved: number }>("/v1/fx-rates/import", text, "text/csv"),
    onSuccess: ({ saved }) => {
      queryClient.invalidateQueries({ queryKey: adminKeys.fxRates });
      queryClient.invalidateQueries({ queryKey: adminKeys.commissions });
      toast.success(`${saved} ${saved === 1 ? "rate" : "rates"} imported`);
      setText("");
      setFileName("");
      if (fileRef.current) fileRef.current.value = "";
    },
  });
  const problems = csvProblems(upload.error);
  const formRef = useRef<HTMLFormElement>(null);
  const [empty, setEmpty] = useState(0);
  useFocusInvalid(formRef, empty);
  const pick = async (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    upload.reset();
    if (!file) return;
    setFileName(file.name);
    setText(await file.text());
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (text.trim()) upload.mutate();
    else setEmpty((n) => n + 1);
  };
  return (
    <section className="card" aria-label="Upload rates">
      <h2 className="card-title">Upload a CSV</h2>
      <p className="card-subtitle">
        One rate per line under the header <code>date,from,to,rate</code>. Every line is checked first: all are saved,
        or none.
      </p>
      <form ref={formRef} className="stack" onSubmit={submit} noValidate>
        <div className="field">
          <label className="field-label" htmlFor="fx-csv-file">
            CSV file
          </label>
          <input
            ref={fileRef}
            id="fx-csv-file"
            type="file"
            accept=".csv,text/csv"
            className="input file-input"
            onChange={pick}
          />
        </div>
        <TextAreaField
          label={fileName ? `Contents of ${fileName}` : "Or paste the rates"}
          value={text}
          onChange={(v) => {
            setText(v);
            setEmpty(0);
            upload.reset();
          }}
          error={empty > 0 && !text.trim() ? "Choose a CSV file or paste the rates" : undefined}
          rows={6}
          placeholder={CSV_EXAMPLE}
          className="json-field"
          spellCheck={false}
        />
        {upload.error && problems.length === 0 && <FormAlert error={upload.error} />}
        {problems.length > 0 && (
          <div className="alert alert-error csv-problems" role="alert">
            <AlertIcon size={18} />
            <div>
              <p>
                <strong>Nothing was imported.</strong>{" "}
                {problems.length === 1 ? "One problem" : `${problems.length} problems`}:
              </p>
              <ul>
                {problems.slice(0, 20).map((p) => (
                  <li key={`${p.line}:${p.field}:${p.message}`}>
                    {p.line !== null ? `Line ${p.line}` : "File"}
                    {p.field && p.field !== "" ? ` · ${p.field}` : ""}: {p.message}
                  </li>
                ))}
                {problems.length > 20 && <li>…and {problems.length - 20} more</li>}
              </ul>
            </div>
          </div>
        )}
        <div>
          <Button type="submit" variant="primary" loading={upload.isPending}>
            Import rates
          </Button>
        </div>
      </form>
    </section>
  );
}

/** /admin/fx-rates — recorded exchange rates: sales in another currency are converted at their day's rate. */
export function FxRatesPage() {
  const { can } = useMe();
  const programs = useProgramsQuery();
  const [filters, setFilter] = useSearchState(["from", "to"] as const);
  const rates = useQuery({
    queryKey: [...adminKeys.fxRates, filters],
    queryFn: () =>
      api
        .get<{ items: FxRate[] }>(
          `/v1/fx-rates${queryString({
            from: filters.from.length === 3 ? filters.from : undefined,
            to: filters.to.length === 3 ? filters.to : undefined,
            limit: 500,
          })}`,
        )
        .then((r) => r.items),
    placeholderData: (previous) => previous,
  });
  const summary = useQuery({
    queryKey: [...adminKeys.commissions, "summary", "", ""],
    queryFn: () => api.get<CommissionSummary>("/v1/commissions/summary"),
  });
  const waiting = summary.data?.waitingFx ?? 0;
  const programCurrency = programs.data?.[0]?.currency ?? "USD";
  return (
    <div className="page">
      <PageHeader
        title="FX rates"
        description="Sales in another currency earn commission in the program's currency, converted at the rate recorded for their day."
      />
      {waiting > 0 && (
        <div className="alert alert-warning fx-waiting" role="status">
          <ClockIcon size={18} />
          <p>
            <strong>
              {waiting} {waiting === 1 ? "conversion is" : "conversions are"} waiting for a rate.
            </strong>{" "}
            Their commissions are calculated as soon as the rate for their day and currency is saved.
          </p>
        </div>
      )}
      <div className="detail-grid">
        <section className="card card-flush" aria-label="Rates">
          <div className="toolbar toolbar-wrap">
            <TextField
              label="From currency"
              value={filters.from}
              onChange={(v) => setFilter("from", code(v))}
              placeholder="Any"
              className="filter-field field-currency"
            />
            <TextField
              label="To currency"
              value={filters.to}
              onChange={(v) => setFilter("to", code(v))}
              placeholder="Any"
              className="filter-field field-currency"
            />
          </div>
          {rates.isPending ? (
            <SkeletonRows columns={5} />
          ) : rates.isError ? (
            <QueryError error={rates.error} onRetry={() => rates.refetch()} />
          ) : rates.data.length === 0 ? (
            <EmptyState
              icon={<CoinsIcon size={28} />}
              title={filters.from || filters.to ? "No rates match" : "No rates yet"}
            >
              {filters.from || filters.to
                ? "Clear a filter to see more."
                : "Only needed when sales arrive in a currency other than the program's. Set one here or upload a CSV."}
            </EmptyState>
          ) : (
            <table className="table fx-table">
              <thead>
                <tr>
                  <th scope="col">Day</th>
                  <th scope="col">Pair</th>
                  <th scope="col" className="col-amount">
                    Rate
                  </th>
                  <th scope="col">Source</th>
                  <th scope="col">Updated</th>
                </tr>
              </thead>
              <tbody>
                {rates.data.map((r) => (
                  <tr key={`${r.date}:${r.from}:${r.to}`}>
                    <td className="nowrap">{formatDate(r.date)}</td>
                    <td className="nowrap mono">
                      {r.from} → {r.to}
                    </td>
                    <td className="col-amount mono">{r.rate}</td>
                    <td>
                      <Badge tone={r.source === "csv" ? "info" : "neutral"} dot={false}>
                        {r.source === "csv" ? "CSV" : r.source === "api" ? "API" : r.source}
                      </Badge>
                    </td>
                    <td className="nowrap">{formatRelative(r.updatedAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
        {can("commissions:write") && (
          <aside className="stack-lg">
            <SetRateCard defaultTo={programCurrency} />
            <UploadCard />
          </aside>
        )}
      </div>
    </div>
  );
}
