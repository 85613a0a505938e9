import { useQuery } from "@tanstack/react-query";
import { api, type Problem, queryString } from "../shared/api.js";
import { Badge } from "../shared/badge.js";
import { CursorPager } from "../shared/cursor-pager.js";
import { formatDateTime, formatRelative } from "../shared/format.js";
import type { Page } from "../shared/types.js";
import { useCursorPages } from "../shared/use-cursor-pages.js";
import { adminKeys, useProgramsQuery } from "./admin-queries.js";

/** A lead or sale sent with `Prefer: respond-async`, as GET /v1/track/submissions lists it. */
interface Submission {
  id: string;
  status: "queued" | "recorded" | "refused";
  kind: "lead" | "sale";
  programId: string;
  idempotencyKey: string;
  receivedAt: string;
  processedAt: string | null;
  problem?: Problem;
}

const REFUSED_PAGE = 5;
/** Enough to say "100+": the queue is moments long unless recording has stopped. */
const WAITING_COUNTED = 100;
const REFRESH_MS = 15_000;

const when = (iso: string) => (
  <time dateTime={iso} title={formatDateTime(iso)}>
    {formatRelative(iso)}
  </time>
);

/**
 * Async leads and sales that never became conversions, above the conversions they are missing from: the refused ones with
 * the problem and fields the sending system was told (as impact.com lists failed API submissions), and how many are
 * still waiting. Shown only when there is something to show; a failed read hides it, as the list below (same
 * permission) says what failed.
 */
export function AsyncSalesCard({ programId }: { programId?: string | undefined }) {
  const pages = useCursorPages(programId ?? "", "refused");
  const programs = useProgramsQuery();
  const read = (status: Submission["status"], limit: number, cursor?: string) => () =>
    api.get<Page<Submission>>(`/v1/track/submissions${queryString({ programId, status, limit, cursor })}`);
  const refused = useQuery({
    queryKey: [...adminKeys.conversions, "submissions", "refused", programId, pages.cursor],
    queryFn: read("refused", REFUSED_PAGE, pages.cursor),
    placeholderData: (previous) => previous,
    refetchInterval: REFRESH_MS,
  });
  const waiting = useQuery({
    queryKey: [...adminKeys.conversions, "submissions", "queued", programId],
    queryFn: read("queued", WAITING_COUNTED),
    refetchInterval: REFRESH_MS,
  });
  const items = refused.data?.items ?? [];
  const waitingCount = waiting.data?.items.length ?? 0;
  if (items.length === 0 && !pages.hasPrevious && waitingCount === 0) return null;
  const programName = (id: string) => programs.data?.find((p) => p.id === id)?.name;
  const waitingText = `${waiting.data?.nextCursor ? `${WAITING_COUNTED}+` : waitingCount.toLocaleString()} waiting to be recorded`;
  return (
    <section className="card card-flush intake-card" aria-label="Async leads and sales not recorded">
      <div className="intake-head">
        <h2 className="card-title">Async leads and sales not recorded</h2>
        {waitingCount > 0 && <Badge tone="info">{waitingText}</Badge>}
      </div>
      {(items.length > 0 || pages.hasPrevious) && (
        <>
          <p className="muted small intake-hint">
            Sent with <code>Prefer: respond-async</code> and refused, so not among the conversions. Fix them and send
            them again under the same order or event id; refused ones are kept 30 days.
          </p>
          <ol className="intake-list" aria-label="Refused async leads and sales">
            {items.map((s) => (
              <li key={s.id} className="intake-item">
                <div className="intake-meta">
                  <span>{s.kind === "lead" ? "Lead" : "Sale"}</span>
                  <span className="mono intake-order">{s.idempotencyKey}</span>
                  {!programId && programName(s.programId) && <span>{programName(s.programId)}</span>}
                  <span className="intake-date">{when(s.processedAt ?? s.receivedAt)}</span>
                </div>
                <p className="intake-detail">{s.problem?.detail ?? "Refused"}</p>
                {s.problem?.errors && s.problem.errors.length > 0 && (
                  <ul className="intake-fields">
                    {s.problem.errors.map((e) => (
                      <li key={`${e.field}:${e.message}`}>
                        <code>{e.field}</code> {e.message}
                      </li>
                    ))}
                  </ul>
                )}
              </li>
            ))}
          </ol>
          <CursorPager pages={pages} count={items.length} nextCursor={refused.data?.nextCursor} noun="refused" />
        </>
      )}
    </section>
  );
}
