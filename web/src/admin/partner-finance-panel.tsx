import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { Link } from "react-router";
import { api, isApiError, queryString } from "../shared/api.js";
import { Badge } from "../shared/badge.js";
import { Button } from "../shared/button.js";
import { FormAlert } from "../shared/form-alert.js";
import { fieldErrors } from "../shared/form-errors.js";
import { formatDate } from "../shared/format.js";
import { EditIcon } from "../shared/icons.js";
import { commissionStatusLabels, labelOf, payoutMethodLabels, taxFormLabels } from "../shared/labels.js";
import { approvedNotes, balanceOwed, pendingNote } from "../shared/ledger-notes.js";
import { LedgerTotalsTiles } from "../shared/ledger-totals.js";
import { SkeletonRows } from "../shared/loading.js";
import { Modal } from "../shared/modal.js";
import { formatMoney } from "../shared/money.js";
import { PayoutStatusCell } from "../shared/payout-detail.js";
import { PayoutMethodAttention } from "../shared/payout-method-attention.js";
import { optionsFrom, SelectField } from "../shared/select-field.js";
import { currentPeriod, StatementPanel } from "../shared/statement-view.js";
import { TextField } from "../shared/text-field.js";
import { useToast } from "../shared/toast.js";
import type {
  CommissionSummary,
  Enrollment,
  Page,
  Partner,
  PartnerDetail,
  Payout,
  PayoutMethod,
  TaxForm,
  TaxFormStatus,
} from "../shared/types.js";
import { adminKeys, useProgramsQuery } from "./admin-queries.js";
import { PartnerSelect } from "./partner-select.js";
import { useMe } from "./use-me.js";
import { usePartnerNames } from "./use-partner-names.js";

function TaxFormDialog({
  partnerId,
  current,
  onClose,
}: {
  partnerId: string;
  current: TaxFormStatus;
  onClose: () => void;
}) {
  const queryClient = useQueryClient();
  const toast = useToast();
  const [form, setForm] = useState<TaxForm>(current.form ?? "w9");
  const [validUntil, setValidUntil] = useState(current.validUntil?.slice(0, 10) ?? "");
  const [note, setNote] = useState(current.note ?? "");
  const save = useMutation({
    mutationFn: () =>
      api.put<TaxFormStatus>(`/v1/partners/${partnerId}/tax-form`, {
        form,
        ...(validUntil ? { validUntil: new Date(`${validUntil}T00:00:00Z`).toISOString() } : {}),
        ...(note.trim() ? { note: note.trim() } : {}),
      }),
    onSuccess: () => {
      queryClient.invalidateQueries({ queryKey: adminKeys.partnerFinance(partnerId) });
      toast.success("Tax form recorded");
      onClose();
    },
  });
  const errors = fieldErrors(save.error);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate();
  };
  return (
    <Modal
      open
      onClose={onClose}
      title="Record the tax form"
      size="sm"
      description="Programs that require a tax form pay only partners with a valid one."
    >
      <form className="stack" onSubmit={submit} noValidate>
        <FormAlert error={save.error} shown={["/form", "/validUntil", "/note"]} />
        <SelectField
          label="Form on file"
          value={form}
          onChange={(v) => setForm(v as TaxForm)}
          options={optionsFrom(taxFormLabels)}
          error={errors["/form"]}
        />
        <TextField
          label="Valid until"
          type="date"
          value={validUntil}
          onChange={setValidUntil}
          optional
          hint="W-8 forms lapse at the end of the third year after signing when left empty; W-9 never lapses."
          error={errors["/validUntil"]}
        />
        <TextField label="Note" value={note} onChange={setNote} optional maxLength={500} error={errors["/note"]} />
        <div className="form-actions">
          <Button variant="ghost" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" variant="primary" loading={save.isPending}>
            Save
          </Button>
        </div>
      </form>
    </Modal>
  );
}

/** The partner's money side in the console: balance, payout method (masked), tax form, payouts and statements. */
export function PartnerFinancePanel({ partner }: { partner: PartnerDetail }) {
  const { can } = useMe();
  const [editingTax, setEditingTax] = useState(false);
  const programs = partner.enrollmentDetails
    .filter((e) => e.status !== "applied" && e.status !== "rejected")
    .map((e) => ({ value: e.programId, label: e.program?.name ?? e.programId }));
  const [programId, setProgramId] = useState(programs[0]?.value ?? "");
  // The first program's currency leads the tiles (and is the zero's currency before there is money); others follow.
  const currency = useProgramsQuery().data?.find((p) => p.id === programs[0]?.value)?.currency;
  const [period, setPeriod] = useState(currentPeriod());
  const key = adminKeys.partnerFinance(partner.id);
  const method = useQuery({
    queryKey: [...key, "method"],
    queryFn: () =>
      api.get<PayoutMethod>(`/v1/partners/${partner.id}/payout-method`).catch((error: unknown) => {
        if (isApiError(error) && error.status === 404) return null;
        throw error;
      }),
    enabled: can("payouts:read"),
  });
  const tax = useQuery({
    queryKey: [...key, "tax"],
    queryFn: () => api.get<TaxFormStatus>(`/v1/partners/${partner.id}/tax-form`),
    enabled: can("payouts:read"),
  });
  const summary = useQuery({
    queryKey: [...adminKeys.commissions, "summary", "", partner.id],
    queryFn: () => api.get<CommissionSummary>(`/v1/commissions/summary${queryString({ partnerId: partner.id })}`),
    enabled: can("commissions:read"),
  });
  const payouts = useQuery({
    queryKey: [...adminKeys.payouts, "partner", partner.id],
    queryFn: () => api.get<Page<Payout>>(`/v1/payouts${queryString({ partnerId: partner.id, limit: 5 })}`),
    enabled: can("payouts:read"),
  });
  if (!can("payouts:read") && !can("commissions:read")) return null;
  return (
    <section className="card card-flush" aria-label="Earnings and payouts">
      <div className="card-head">
        <div>
          <h2 className="card-title">Earnings and payouts</h2>
          <p className="card-subtitle">Commissions, how the partner is paid, and monthly statements.</p>
        </div>
        {can("commissions:read") && (
          <Link className="btn btn-secondary btn-sm" to={`/admin/commissions?partnerId=${partner.id}`}>
            Commissions
          </Link>
        )}
      </div>
      {can("commissions:read") && (
        <>
          <LedgerTotalsTiles
            totals={summary.data?.totals}
            statuses={["pending", "approved", "held", "paid"]}
            labels={commissionStatusLabels}
            currency={currency}
            notes={{
              pending: pendingNote(summary.data?.totals ?? []),
              approved: approvedNotes(summary.data?.totals ?? [], currency),
              held: "Out of payouts until reviewed",
              paid: "In paid payouts",
            }}
          />
          {summary.data && (
            <p className="finance-balance muted small">
              Balance owed {balanceOwed(summary.data.totals, currency)}: pending, approved and on hold together, the
              closing balance of the partner's statements.
            </p>
          )}
        </>
      )}
      {can("payouts:read") && (
        <div className="finance-facts">
          <div className="finance-fact">
            <h3 className="explanation-heading">Payout method</h3>
            {method.isPending ? (
              <span className="muted">…</span>
            ) : method.data ? (
              <>
                <p className="finance-value">{method.data.masked}</p>
                <p className="muted small">
                  {payoutMethodLabels[method.data.kind]}
                  {method.data.currency ? ` · receives ${method.data.currency}` : ""} · updated{" "}
                  {formatDate(method.data.updatedAt)}
                </p>
                <PayoutMethodAttention method={method.data} audience="team" />
              </>
            ) : (
              <p className="muted">None yet: the partner adds one in the portal.</p>
            )}
          </div>
          <div className="finance-fact">
            <h3 className="explanation-heading">Tax form</h3>
            {tax.data ? (
              <>
                <p className="finance-value">
                  {tax.data.form ? labelOf(taxFormLabels, tax.data.form) : "None on file"}{" "}
                  {tax.data.form &&
                    (tax.data.valid ? <Badge tone="success">Valid</Badge> : <Badge tone="danger">Lapsed</Badge>)}
                </p>
                <p className="muted small">
                  {tax.data.validUntil
                    ? `Valid until ${formatDate(tax.data.validUntil)}`
                    : tax.data.form
                      ? "No expiry"
                      : ""}
                  {tax.data.setBy ? ` · recorded by ${tax.data.setBy}` : ""}
                  {tax.data.note ? ` · ${tax.data.note}` : ""}
                </p>
              </>
            ) : (
              <span className="muted">…</span>
            )}
            {can("payouts:write") && tax.data && (
              <Button size="sm" variant="ghost" icon={<EditIcon size={14} />} onClick={() => setEditingTax(true)}>
                Record tax form
              </Button>
            )}
          </div>
        </div>
      )}
      {can("payouts:read") && (
        <div className="finance-section">
          <h3 className="subheading">Recent payouts</h3>
          {payouts.isPending ? (
            <SkeletonRows rows={2} columns={4} />
          ) : !payouts.data?.items.length ? (
            <p className="muted small">No payouts yet.</p>
          ) : (
            <table className="table table-compact" aria-label="Recent payouts">
              <tbody>
                {payouts.data.items.map((p) => (
                  <tr key={p.id}>
                    <td>
                      <Link className="cell-link" to={`/admin/payouts?payout=${p.id}`}>
                        {formatDate(p.createdAt)}
                      </Link>
                    </td>
                    <td>{p.methodMasked ?? "—"}</td>
                    <td className="col-amount amount">{formatMoney(p.amount, p.currency)}</td>
                    <td>
                      <PayoutStatusCell payout={p} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <h3 className="subheading">Statement</h3>
          <StatementPanel
            path={`/v1/partners/${partner.id}/statement`}
            programs={programs}
            programId={programId}
            period={period}
            onProgramChange={setProgramId}
            onPeriodChange={setPeriod}
          />
        </div>
      )}
      {editingTax && tax.data && (
        <TaxFormDialog partnerId={partner.id} current={tax.data} onClose={() => setEditingTax(false)} />
      )}
    </section>
  );
}

/** Sets the partner's tier in one program: a tier commission plan applies to the partners of that tier. */
export function TierDialog({ enrollment, onClose }: { enrollment: Enrollment; onClose: () => void }) {
  const queryClient = useQueryClient();
  const toast = useToast();
  const [tier, setTier] = useState(enrollment.tier ?? "");
  const save = useMutation({
    mutationFn: () => api.patch<Enrollment>(`/v1/enrollments/${enrollment.id}`, { tier: tier.trim() || null }),
    onSuccess: (updated) => {
      queryClient.invalidateQueries({ queryKey: adminKeys.partner(enrollment.partnerId) });
      queryClient.invalidateQueries({ queryKey: adminKeys.enrollments });
      toast.success(updated.tier ? `Tier set to ${updated.tier}` : "Tier cleared");
      onClose();
    },
  });
  const errors = fieldErrors(save.error);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate();
  };
  return (
    <Modal
      open
      onClose={onClose}
      title="Partner tier"
      size="sm"
      description={`In ${enrollment.program?.name ?? "this program"}. A plan for this tier, if there is one, decides the partner's commissions.`}
    >
      <form className="stack" onSubmit={submit} noValidate>
        <FormAlert error={save.error} shown={["/tier"]} />
        <TextField
          label="Tier"
          value={tier}
          onChange={(v) => setTier(v.toLowerCase())}
          placeholder="gold"
          hint="Lowercase letters, digits, - and _. Empty: no tier."
          error={errors["/tier"]}
          autoFocus
        />
        <div className="form-actions">
          <Button variant="ghost" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" variant="primary" loading={save.isPending}>
            Save tier
          </Button>
        </div>
      </form>
    </Modal>
  );
}

/** Who recruited the partner: that partner earns second-tier overrides when the plan has them. */
export function RecruiterDialog({ partner, onClose }: { partner: PartnerDetail; onClose: () => void }) {
  const queryClient = useQueryClient();
  const toast = useToast();
  const [recruiter, setRecruiter] = useState(partner.recruitedByPartnerId ?? "");
  const save = useMutation({
    mutationFn: () => api.patch<Partner>(`/v1/partners/${partner.id}`, { recruitedByPartnerId: recruiter || null }),
    onSuccess: () => {
      queryClient.invalidateQueries({ queryKey: adminKeys.partner(partner.id) });
      toast.success(recruiter ? "Recruiter saved" : "Recruiter cleared");
      onClose();
    },
  });
  const errors = fieldErrors(save.error);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate();
  };
  return (
    <Modal
      open
      onClose={onClose}
      title="Recruited by"
      size="sm"
      description="The recruiting partner earns a share of this partner's commissions in programs whose plan has overrides."
    >
      <form className="stack" onSubmit={submit} noValidate>
        <FormAlert error={save.error} shown={["/recruitedByPartnerId"]} />
        <PartnerSelect
          label="Recruiting partner"
          value={recruiter}
          onChange={setRecruiter}
          placeholder="Nobody"
          error={errors["/recruitedByPartnerId"]}
        />
        <div className="form-actions">
          <Button variant="ghost" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" variant="primary" loading={save.isPending}>
            Save
          </Button>
        </div>
      </form>
    </Modal>
  );
}

/** "Acme Media" as a link, or "Nobody". */
export function RecruiterName({ partnerId }: { partnerId: string | null | undefined }) {
  const name = usePartnerNames(partnerId ? [partnerId] : []);
  if (!partnerId) return <>Nobody</>;
  return <Link to={`/admin/partners/${partnerId}`}>{name(partnerId)}</Link>;
}
