import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useId, useRef, useState } from "react";
import { api } from "../shared/api.js";
import { Badge } from "../shared/badge.js";
import { Button } from "../shared/button.js";
import { FormAlert } from "../shared/form-alert.js";
import { fieldErrors, friendlyMessage } from "../shared/form-errors.js";
import { formatDateTime } from "../shared/format.js";
import { PlusIcon } from "../shared/icons.js";
import { planScopeLabels } from "../shared/labels.js";
import { describeExtras, describeRule } from "../shared/plan-text.js";
import { SegmentedControl } from "../shared/segmented-control.js";
import { optionsFrom, SelectField } from "../shared/select-field.js";
import { TextField } from "../shared/text-field.js";
import { TextAreaField } from "../shared/textarea-field.js";
import { useToast } from "../shared/toast.js";
import type { CommissionPlan, PlanDefinition, PlanScope, PlanVersion, Program, TeamUser } from "../shared/types.js";
import { useFocusFirstError } from "../shared/use-focus-first-error.js";
import { adminKeys, useProgramEnrollmentsQuery } from "./admin-queries.js";
import { PartnerSelect } from "./partner-select.js";
import {
  type DraftErrors,
  definitionFromDraft,
  draftFromDefinition,
  emptyPlanDraft,
  newRule,
  type PlanDraft,
} from "./plan-draft.js";
import { PlanExtrasEditor } from "./plan-extras-editor.js";
import { PlanRuleEditor } from "./plan-rule-editor.js";

type Mode = "form" | "json";

/** "/definition/rules/0/tiers/levels/1/upTo" → "Rule 1 › level 2 › up to". */
function readablePointer(pointer: string): string {
  const parts = pointer.split("/").filter(Boolean);
  const out: string[] = [];
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    const next = parts[i + 1];
    if (part === "definition" || part === "tiers") continue;
    const noun: Record<string, string> = {
      rules: "rule",
      levels: "level",
      conditions: "condition",
      bonuses: "bonus",
      badges: "badge",
    };
    if (noun[part] && next !== undefined && /^\d+$/.test(next)) {
      out.push(`${noun[part]} ${Number(next) + 1}`);
      i++;
      continue;
    }
    out.push(part.replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase());
  }
  const text = out.join(" › ");
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function VersionHistory({
  plan,
  currency,
  onLoad,
}: {
  plan: CommissionPlan;
  currency: string;
  onLoad: (version: PlanVersion) => void;
}) {
  const team = useQuery({
    queryKey: adminKeys.team,
    queryFn: () => api.get<{ items: TeamUser[] }>("/v1/team/users").then((r) => r.items),
    staleTime: 300_000,
  });
  const author = (id: string) => team.data?.find((u) => u.id === id)?.name ?? "a team member";
  const versions = [...(plan.versions ?? [])].sort((a, b) => b.version - a.version);
  if (versions.length === 0) return null;
  return (
    <section className="plan-history" aria-label="Version history">
      <h3 className="plan-part-title">Version history</h3>
      <p className="muted small">
        Saving makes a new version. Commissions already earned keep the version and rule they were calculated with.
      </p>
      <ol className="version-list">
        {versions.map((v) => (
          <li key={v.id} className="version-item">
            <div className="version-head">
              <strong>v{v.version}</strong>
              {v.version === plan.currentVersion && <Badge tone="success">Current</Badge>}
              <span className="muted small">
                {formatDateTime(v.createdAt)}
                {v.createdBy ? ` · ${author(v.createdBy)}` : ""}
              </span>
              {v.version !== plan.currentVersion && (
                <Button size="sm" variant="ghost" className="version-load" onClick={() => onLoad(v)}>
                  Load into editor
                </Button>
              )}
            </div>
            <ul className="version-rules">
              {v.definition.rules.map((rule) => (
                <li key={rule.id}>
                  <span className="version-rule-name">{rule.name}</span> — {describeRule(rule, currency)}
                </li>
              ))}
              {describeExtras(v.definition, currency).map((line) => (
                <li key={line} className="muted">
                  {line}
                </li>
              ))}
            </ul>
          </li>
        ))}
      </ol>
    </section>
  );
}

/**
 * Creates a plan (program-wide, for a tier, or for one partner) or saves a new version of one. The structured form
 * covers every part of a plan; the JSON view edits the same definition by hand.
 */
export function PlanEditor({
  program,
  plan,
  onDone,
  onCancel,
}: {
  program: Program;
  plan?: CommissionPlan;
  onDone: (plan: CommissionPlan) => void;
  onCancel: () => void;
}) {
  const queryClient = useQueryClient();
  const toast = useToast();
  const currency = program.currency;
  const tierListId = useId();
  const formRef = useRef<HTMLFormElement>(null);
  const [name, setName] = useState(plan?.name ?? "");
  const [scope, setScope] = useState<PlanScope>(plan?.scope ?? "program");
  const [scopeValue, setScopeValue] = useState(plan?.scopeValue ?? "");
  const [draft, setDraftState] = useState<PlanDraft>(() =>
    plan ? draftFromDefinition(plan.definition, currency) : emptyPlanDraft(),
  );
  const [mode, setMode] = useState<Mode>("form");
  const [json, setJson] = useState("");
  const [clientErrors, setClientErrors] = useState<DraftErrors>({});
  // An edit makes the last check stale: its messages go until the next save says otherwise.
  const setDraft = (next: PlanDraft) => {
    setDraftState(next);
    setClientErrors({});
  };
  const enrollments = useProgramEnrollmentsQuery(program.id);
  const tiers = [...new Set((enrollments.data ?? []).map((e) => e.tier).filter((t): t is string => Boolean(t)))];

  const save = useMutation({
    mutationFn: (definition: PlanDefinition) =>
      plan
        ? api.patch<CommissionPlan>(`/v1/plans/${plan.id}`, { name: name.trim(), definition })
        : api.post<CommissionPlan>(`/v1/programs/${program.id}/plans`, {
            name: name.trim(),
            scope,
            ...(scope === "program" ? {} : { scopeValue: scopeValue.trim() }),
            definition,
          }),
    onSuccess: (saved) => {
      queryClient.invalidateQueries({ queryKey: adminKeys.plans(program.id) });
      queryClient.setQueryData(adminKeys.plan(saved.id), saved);
      toast.success(plan ? `${saved.name} saved as version ${saved.currentVersion}` : `${saved.name} created`);
      onDone(saved);
    },
  });
  useFocusFirstError(formRef, save.error);
  const errors: DraftErrors = { ...fieldErrors(save.error), ...clientErrors };
  const definitionProblems = Object.entries(errors).filter(([pointer]) => pointer.startsWith("/definition"));

  const toJson = () => {
    const { definition, errors: problems } = definitionFromDraft(draft, currency);
    setClientErrors(problems);
    if (Object.keys(problems).length > 0) return;
    setJson(JSON.stringify(definition, null, 2));
    setMode("json");
  };
  const fromJson = (): PlanDefinition | undefined => {
    try {
      const parsed = JSON.parse(json) as PlanDefinition;
      if (!parsed || typeof parsed !== "object" || !Array.isArray(parsed.rules)) {
        setClientErrors({ "/definition": "The definition needs a rules list" });
        return undefined;
      }
      return parsed;
    } catch (error) {
      setClientErrors({ "/definition": `Not valid JSON: ${(error as Error).message}` });
      return undefined;
    }
  };
  const toForm = () => {
    const parsed = fromJson();
    if (!parsed) return;
    setClientErrors({});
    setDraft(draftFromDefinition(parsed, currency));
    setMode("form");
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.reset();
    const problems: DraftErrors = {};
    if (!name.trim()) problems["/name"] = "Give the plan a name";
    if (!plan && scope !== "program" && !scopeValue.trim())
      problems["/scopeValue"] = scope === "tier" ? "Name the tier" : "Choose the partner";
    let definition: PlanDefinition | undefined;
    if (mode === "json") {
      definition = fromJson();
      if (!definition) return;
    } else {
      const built = definitionFromDraft(draft, currency);
      Object.assign(problems, built.errors);
      definition = built.definition;
    }
    setClientErrors(problems);
    if (Object.keys(problems).length > 0) {
      window.requestAnimationFrame(() => formRef.current?.querySelector<HTMLElement>("[aria-invalid='true']")?.focus());
      return;
    }
    save.mutate(definition);
  };

  const scopeLabel =
    plan && plan.scope !== "program"
      ? `${planScopeLabels[plan.scope]}: ${plan.scope === "tier" ? plan.scopeValue : (enrollments.data?.find((e) => e.partnerId === plan.scopeValue)?.partner?.name ?? plan.scopeValue)}`
      : planScopeLabels[plan?.scope ?? "program"];

  return (
    <form ref={formRef} className="plan-editor" onSubmit={submit} noValidate aria-label="Commission plan">
      <div className="plan-editor-head">
        <div>
          <h2 className="card-title">{plan ? `Edit ${plan.name}` : "New commission plan"}</h2>
          <p className="card-subtitle">
            {plan
              ? `Version ${plan.currentVersion} · ${scopeLabel}. Saving creates version ${plan.currentVersion + 1}.`
              : `Amounts in ${currency}, the program's currency.`}
          </p>
        </div>
        <SegmentedControl
          label="Editor"
          value={mode}
          options={[
            { value: "form", label: "Form" },
            { value: "json", label: "JSON" },
          ]}
          onChange={(next) => (next === "json" ? toJson() : toForm())}
        />
      </div>
      <div className="plan-editor-body stack-lg">
        <FormAlert error={save.error} shown={["/name", "/scope", "/scopeValue", "/definition", "/definition/"]} />
        <div className="grid-2">
          <TextField label="Plan name" value={name} onChange={setName} error={errors["/name"]} required />
          {!plan && (
            <SelectField
              label="Applies to"
              value={scope}
              onChange={(v) => {
                setScope(v as PlanScope);
                setScopeValue("");
              }}
              options={optionsFrom(planScopeLabels)}
              error={errors["/scope"]}
              hint={
                scope === "program"
                  ? "A tier or partner plan, when there is one, wins over this."
                  : "Wins over the program-wide plan for these partners."
              }
            />
          )}
          {!plan && scope === "tier" && (
            <>
              <TextField
                label="Tier"
                value={scopeValue}
                onChange={(v) => setScopeValue(v.toLowerCase())}
                placeholder="gold"
                list={tierListId}
                hint="Partners get a tier on their page in the console."
                error={errors["/scopeValue"]}
                required
              />
              <datalist id={tierListId}>
                {tiers.map((t) => (
                  <option key={t} value={t} />
                ))}
              </datalist>
            </>
          )}
          {!plan && scope === "partner" && (
            <PartnerSelect
              programId={program.id}
              value={scopeValue}
              onChange={setScopeValue}
              statuses={["applied", "approved", "active", "suspended"]}
              error={errors["/scopeValue"]}
              required
            />
          )}
        </div>

        {mode === "json" ? (
          <TextAreaField
            label="Plan definition (JSON)"
            value={json}
            onChange={setJson}
            rows={22}
            className="json-field"
            spellCheck={false}
            hint="Money in minor units (cents), rates in basis points (1000 = 10%). The server checks it when you save."
            error={errors["/definition"]}
          />
        ) : (
          <>
            <section className="stack" aria-label="Rules">
              <div className="plan-part-intro">
                <h3 className="plan-part-title">Rules</h3>
                <p className="muted small">
                  Rules are tried in order. Unless the program's settings say "the rule that pays the partner most", the
                  first one that applies to a conversion decides it: put the most specific first.
                </p>
              </div>
              {draft.rules.map((rule, i) => (
                <PlanRuleEditor
                  key={rule.key}
                  rule={rule}
                  index={i}
                  currency={currency}
                  errors={errors}
                  onChange={(r) => setDraft({ ...draft, rules: draft.rules.map((x, j) => (j === i ? r : x)) })}
                  onRemove={
                    draft.rules.length > 1
                      ? () => setDraft({ ...draft, rules: draft.rules.filter((_, j) => j !== i) })
                      : undefined
                  }
                />
              ))}
              <div>
                <Button
                  size="sm"
                  icon={<PlusIcon size={14} />}
                  onClick={() => setDraft({ ...draft, rules: [...draft.rules, newRule()] })}
                >
                  Add a rule
                </Button>
              </div>
            </section>
            <PlanExtrasEditor draft={draft} onChange={setDraft} currency={currency} errors={errors} />
          </>
        )}

        {plan && (
          <VersionHistory
            plan={plan}
            currency={currency}
            onLoad={(version) => {
              setDraft(draftFromDefinition(version.definition, currency));
              setJson(JSON.stringify(version.definition, null, 2));
              setClientErrors({});
              toast.info(`Version ${version.version} loaded: save to make it the current version`);
            }}
          />
        )}
      </div>
      <div className="plan-editor-foot">
        {definitionProblems.length > 0 && (
          <ul className="plan-problems" role="alert">
            {definitionProblems.slice(0, 6).map(([pointer, message]) => (
              <li key={pointer}>
                {pointer === "/definition" ? "" : `${readablePointer(pointer)}: `}
                {friendlyMessage(message)}
              </li>
            ))}
          </ul>
        )}
        <div className="form-actions">
          <Button variant="ghost" onClick={onCancel}>
            Cancel
          </Button>
          <Button type="submit" variant="primary" loading={save.isPending}>
            {plan ? "Save new version" : "Create plan"}
          </Button>
        </div>
      </div>
    </form>
  );
}
