import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, type ReactNode, useState } from "react";
import { Link } from "react-router";
import { api, queryString } from "../shared/api.js";
import { Button } from "../shared/button.js";
import { CheckboxField } from "../shared/checkbox-field.js";
import { ConfirmDialog } from "../shared/confirm-dialog.js";
import { EmptyState } from "../shared/empty-state.js";
import { FormAlert } from "../shared/form-alert.js";
import { fieldErrors } from "../shared/form-errors.js";
import { formatDate, formatRelative } from "../shared/format.js";
import { CoinsIcon, EditIcon, PlusIcon } from "../shared/icons.js";
import { payoutScheduleDescriptions, payoutScheduleLabels } from "../shared/labels.js";
import { PageLoading, SkeletonRows } from "../shared/loading.js";
import { formatMoney, formatRate, moneyInput, parseMoney } from "../shared/money.js";
import { MoneyField } from "../shared/money-field.js";
import { describeExtras, describeRule } from "../shared/plan-text.js";
import { QueryError } from "../shared/query-error.js";
import { optionsFrom, SelectField } from "../shared/select-field.js";
import { TextField } from "../shared/text-field.js";
import { useToast } from "../shared/toast.js";
import type { CommissionPlan, PayoutSchedule, Program, RuleSelection } from "../shared/types.js";
import { adminKeys } from "./admin-queries.js";
import { PlanEditor } from "./plan-editor.js";
import { PlanPreviewCard } from "./plan-preview-card.js";
import { useMe } from "./use-me.js";
import { usePartnerNames } from "./use-partner-names.js";
import { useSearchState } from "./use-search-state.js";

function PlansTable({
  plans,
  program,
  canWrite,
  onEdit,
  onArchive,
}: {
  plans: CommissionPlan[];
  program: Program;
  canWrite: boolean;
  onEdit: (plan: CommissionPlan) => void;
  onArchive: (plan: CommissionPlan) => void;
}) {
  const partnerName = usePartnerNames(
    plans.filter((p) => p.scope === "partner" && p.scopeValue).map((p) => p.scopeValue!),
    program.id,
  );
  return (
    <table className="table plans-table">
      <thead>
        <tr>
          <th scope="col">Plan</th>
          <th scope="col">Applies to</th>
          <th scope="col">Version</th>
          <th scope="col">
            <span className="visually-hidden">Actions</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {plans.map((plan) => (
          <tr key={plan.id} className={plan.archivedAt ? "row-muted" : undefined}>
            <td>
              <div className="cell-title">{plan.name}</div>
              <ul className="plan-rule-lines">
                {plan.definition.rules.map((rule) => (
                  <li key={rule.id}>{describeRule(rule, program.currency)}</li>
                ))}
                {describeExtras(plan.definition, program.currency).length > 0 && (
                  <li className="muted">{describeExtras(plan.definition, program.currency).join(" · ")}</li>
                )}
              </ul>
            </td>
            <td>
              {plan.scope === "program" ? (
                "Everyone"
              ) : plan.scope === "tier" ? (
                <>
                  Tier <span className="tag">{plan.scopeValue}</span>
                </>
              ) : (
                <Link className="cell-link" to={`/admin/partners/${plan.scopeValue}`}>
                  {partnerName(plan.scopeValue ?? "")}
                </Link>
              )}
            </td>
            <td className="nowrap">
              <div>v{plan.currentVersion}</div>
              <div className="cell-sub" title={formatDate(plan.updatedAt)}>
                {plan.archivedAt
                  ? `archived ${formatDate(plan.archivedAt)}`
                  : `updated ${formatRelative(plan.updatedAt)}`}
              </div>
            </td>
            <td className="cell-actions">
              <div className="action-row">
                <Button
                  size="sm"
                  variant="ghost"
                  icon={<EditIcon size={14} />}
                  onClick={() => onEdit(plan)}
                  aria-label={`${canWrite && !plan.archivedAt ? "Edit" : "View"} ${plan.name}`}
                >
                  {canWrite && !plan.archivedAt ? "Edit" : "View"}
                </Button>
                {canWrite && !plan.archivedAt && (
                  <Button size="sm" variant="ghost" onClick={() => onArchive(plan)} aria-label={`Archive ${plan.name}`}>
                    Archive
                  </Button>
                )}
              </div>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function ArchiveDialog({ plan, onClose }: { plan: CommissionPlan | undefined; onClose: () => void }) {
  const queryClient = useQueryClient();
  const toast = useToast();
  const archive = useMutation({
    mutationFn: (p: CommissionPlan) => api.post<CommissionPlan>(`/v1/plans/${p.id}/archive`),
    onSuccess: (p) => {
      queryClient.invalidateQueries({ queryKey: adminKeys.plans(p.programId) });
      toast.success(`${p.name} archived`);
      onClose();
    },
    onError: (error) => toast.error(error.message),
  });
  return (
    <ConfirmDialog
      open={Boolean(plan)}
      title={`Archive ${plan?.name ?? "plan"}?`}
      description="New conversions stop using this plan. Commissions it already earned keep it."
      confirmLabel="Archive plan"
      pending={archive.isPending}
      onConfirm={() => plan && archive.mutate(plan)}
      onClose={onClose}
    />
  );
}

interface ReferralRewardRow {
  id: string;
  partnerId: string;
  kind: "discount_percent" | "discount_amount" | "credit";
  value: number;
  currency: string | null;
  code: string;
  issuedAt: string;
  redeemedAt: string | null;
}

/** The codes issued to referred customers (two-sided programs), for the vendor's checkout to honour. */
function ReferralRewardsCard({ program }: { program: Program }) {
  const rewards = useQuery({
    queryKey: [...adminKeys.plans(program.id), "referral-rewards"],
    queryFn: () =>
      api
        .get<{ items: ReferralRewardRow[] }>(`/v1/referral-rewards${queryString({ programId: program.id, limit: 20 })}`)
        .then((r) => r.items),
  });
  const partnerName = usePartnerNames(rewards.data?.map((r) => r.partnerId) ?? [], program.id);
  if (!rewards.data?.length) return null;
  return (
    <section className="card card-flush" aria-label="Referred customers' rewards">
      <div className="card-head">
        <div>
          <h2 className="card-title">Referred customers' rewards</h2>
          <p className="card-subtitle">The latest codes issued with a referred customer's first sale.</p>
        </div>
      </div>
      <table className="table table-compact">
        <thead>
          <tr>
            <th scope="col">Code</th>
            <th scope="col">Reward</th>
            <th scope="col">Referred by</th>
            <th scope="col">Issued</th>
          </tr>
        </thead>
        <tbody>
          {rewards.data.map((r) => (
            <tr key={r.id}>
              <td>
                <span className="coupon-code">{r.code}</span>
              </td>
              <td>
                {r.kind === "discount_percent"
                  ? `${formatRate(r.value)} off`
                  : `${formatMoney(r.value, r.currency ?? program.currency)} ${r.kind === "credit" ? "credit" : "off"}`}
                {r.redeemedAt && <div className="cell-sub">redeemed {formatDate(r.redeemedAt)}</div>}
              </td>
              <td>{partnerName(r.partnerId)}</td>
              <td className="nowrap">{formatDate(r.issuedAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

const ruleSelectionLabels: Record<RuleSelection, string> = {
  first_match: "The first rule in order that applies",
  best_for_partner: "The rule that pays the partner most",
};

const holdingText = (days: number) =>
  days === 0 ? "None: approved at once" : `${days} day${days === 1 ? "" : "s"}, then approved`;

function PayoutSettingsCard({ program }: { program: Program }) {
  const { can } = useMe();
  const queryClient = useQueryClient();
  const toast = useToast();
  const [schedule, setSchedule] = useState<PayoutSchedule>(program.payoutSchedule);
  const [minimum, setMinimum] = useState(moneyInput(program.payoutMinimum, program.currency));
  const [requireTaxForm, setRequireTaxForm] = useState(program.requireTaxForm);
  const [holdingDays, setHoldingDays] = useState(String(program.holdingDays));
  const [ruleSelection, setRuleSelection] = useState<RuleSelection>(program.ruleSelection);
  const [minimumError, setMinimumError] = useState<string>();
  const save = useMutation({
    mutationFn: (payoutMinimum: number) =>
      api.patch<Program>(`/v1/programs/${program.id}`, {
        payoutSchedule: schedule,
        payoutMinimum,
        requireTaxForm,
        ruleSelection,
        // A non-number goes to the server as is, which names the field.
        holdingDays: /^\d+$/.test(holdingDays.trim()) ? Number(holdingDays.trim()) : holdingDays,
      }),
    onSuccess: (updated) => {
      queryClient.setQueryData(adminKeys.program(program.id), updated);
      queryClient.invalidateQueries({ queryKey: adminKeys.programs, exact: true });
      toast.success("Commission and payout settings saved");
    },
  });
  const errors = fieldErrors(save.error);
  if (!can("programs:write"))
    return (
      <section className="card" aria-label="Commission and payout settings">
        <h2 className="card-title">Settings</h2>
        <dl className="details details-stacked">
          <dt>When several rules apply</dt>
          <dd>{ruleSelectionLabels[program.ruleSelection]}</dd>
          <dt>Holding period</dt>
          <dd>{holdingText(program.holdingDays)}</dd>
          <dt>Schedule</dt>
          <dd>
            {payoutScheduleLabels[program.payoutSchedule]} — {payoutScheduleDescriptions[program.payoutSchedule]}
          </dd>
          <dt>Minimum payout</dt>
          <dd>{formatMoney(program.payoutMinimum, program.currency)}</dd>
          <dt>Tax form</dt>
          <dd>{program.requireTaxForm ? "Required before paying" : "Not required"}</dd>
        </dl>
      </section>
    );
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const parsed = parseMoney(minimum || "0", program.currency);
    if (!parsed.ok) {
      setMinimumError(parsed.error);
      return;
    }
    setMinimumError(undefined);
    save.mutate(parsed.value);
  };
  return (
    <section className="card" aria-label="Commission and payout settings">
      <h2 className="card-title">Settings</h2>
      <p className="card-subtitle">Which rule pays, when commissions are approved, and when they are paid.</p>
      <form className="stack" onSubmit={submit} noValidate>
        <FormAlert
          error={save.error}
          shown={["/payoutSchedule", "/payoutMinimum", "/requireTaxForm", "/holdingDays", "/ruleSelection"]}
        />
        <SelectField
          label="When several rules apply"
          value={ruleSelection}
          onChange={(v) => setRuleSelection(v as RuleSelection)}
          options={optionsFrom(ruleSelectionLabels)}
          error={errors["/ruleSelection"]}
        />
        <TextField
          label="Holding period"
          value={holdingDays}
          onChange={setHoldingDays}
          inputMode="numeric"
          suffix="days"
          hint="Commissions stay pending this long (your refund window), then are approved automatically."
          error={errors["/holdingDays"]}
        />
        <SelectField
          label="Payout schedule"
          value={schedule}
          onChange={(v) => setSchedule(v as PayoutSchedule)}
          options={optionsFrom(payoutScheduleLabels)}
          hint={payoutScheduleDescriptions[schedule]}
          error={errors["/payoutSchedule"]}
        />
        <MoneyField
          label="Minimum payout"
          currency={program.currency}
          value={minimum}
          onChange={setMinimum}
          hint="A smaller balance carries over to the next payout."
          error={minimumError ?? errors["/payoutMinimum"]}
        />
        <CheckboxField
          label="Require a tax form"
          description="Pay only partners with a W-9, W-8BEN or W-8BEN-E on file (or none required for their country)."
          checked={requireTaxForm}
          onChange={setRequireTaxForm}
        />
        <div>
          <Button type="submit" loading={save.isPending}>
            Save settings
          </Button>
        </div>
      </form>
    </section>
  );
}

/** The program's Commissions tab: its plans, the plan editor, the preview and the payout settings. */
export function ProgramCommissionsTab({ program }: { program: Program }) {
  const { can } = useMe();
  const canWrite = can("programs:write");
  const [state, setState] = useSearchState(["plan", "archived"] as const);
  const [archiving, setArchiving] = useState<CommissionPlan>();
  const plans = useQuery({
    queryKey: [...adminKeys.plans(program.id), { archived: state.archived === "1" }],
    queryFn: () =>
      api
        .get<{ items: CommissionPlan[] }>(
          `/v1/programs/${program.id}/plans${queryString({ includeArchived: state.archived === "1" ? "true" : undefined })}`,
        )
        .then((r) => r.items),
  });
  const editingId = state.plan && state.plan !== "new" ? state.plan : "";
  const editing = useQuery({
    queryKey: adminKeys.plan(editingId),
    queryFn: () => api.get<CommissionPlan>(`/v1/plans/${encodeURIComponent(editingId)}`),
    enabled: Boolean(editingId),
  });
  const close = () => setState("plan", "");
  const newButton = canWrite && (
    <Button variant="primary" icon={<PlusIcon size={16} />} onClick={() => setState("plan", "new")}>
      New plan
    </Button>
  );

  let main: ReactNode;
  if (state.plan === "new" && canWrite) {
    main = (
      <section className="card card-flush">
        <PlanEditor program={program} onDone={close} onCancel={close} />
      </section>
    );
  } else if (editingId) {
    main = (
      <section className="card card-flush">
        {editing.isPending ? (
          <PageLoading label="Loading plan" />
        ) : editing.isError ? (
          <QueryError error={editing.error} onRetry={() => editing.refetch()} />
        ) : (
          <PlanEditor
            key={`${editing.data.id}:${editing.data.currentVersion}`}
            program={program}
            plan={editing.data}
            onDone={close}
            onCancel={close}
          />
        )}
      </section>
    );
  } else {
    main = (
      <section className="card card-flush" aria-label="Commission plans">
        <div className="card-head">
          <div>
            <h2 className="card-title">Commission plans</h2>
            <p className="card-subtitle">
              A partner earns by their own plan if they have one, else their tier's, else the program's.
            </p>
          </div>
          {plans.data?.length ? newButton : null}
        </div>
        {plans.isPending ? (
          <SkeletonRows columns={4} />
        ) : plans.isError ? (
          <QueryError error={plans.error} onRetry={() => plans.refetch()} />
        ) : plans.data.length === 0 ? (
          <EmptyState icon={<CoinsIcon size={28} />} title="No commission plan yet" action={newButton || undefined}>
            Conversions are tracked but earn nothing until a plan says what they pay: a flat amount, a share of the
            sale, volume tiers, recurring commissions and more.
          </EmptyState>
        ) : (
          <PlansTable
            plans={plans.data}
            program={program}
            canWrite={canWrite}
            onEdit={(p) => setState("plan", p.id)}
            onArchive={setArchiving}
          />
        )}
        <div className="card-foot">
          <CheckboxField
            label="Show archived plans"
            checked={state.archived === "1"}
            onChange={(v) => setState("archived", v ? "1" : "")}
          />
        </div>
      </section>
    );
  }

  return (
    <div className="detail-grid">
      <div className="stack-lg">
        {main}
        {!state.plan && <PayoutSettingsCard key={program.updatedAt} program={program} />}
        {!state.plan && <ReferralRewardsCard program={program} />}
      </div>
      <aside className="stack-lg preview-aside">
        <PlanPreviewCard program={program} />
      </aside>
      <ArchiveDialog plan={archiving} onClose={() => setArchiving(undefined)} />
    </div>
  );
}
