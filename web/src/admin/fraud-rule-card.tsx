import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useEffect, useId, useRef, useState } from "react";
import { api, isApiError } from "../shared/api.js";
import { Badge } from "../shared/badge.js";
import { Button } from "../shared/button.js";
import { CheckboxField } from "../shared/checkbox-field.js";
import { ConfirmDialog } from "../shared/confirm-dialog.js";
import { FormAlert } from "../shared/form-alert.js";
import { ClockIcon } from "../shared/icons.js";
import { SelectField } from "../shared/select-field.js";
import { sentenceCase } from "../shared/sentence-case.js";
import { TextField } from "../shared/text-field.js";
import { useToast } from "../shared/toast.js";
import { useFocusFirstError } from "../shared/use-focus-first-error.js";
import { adminKeys } from "./admin-queries.js";
import {
  changedControls,
  changeOf,
  defaultsOf,
  describeChanges,
  draftOf,
  type FraudRuleView,
  type RuleChange,
  type RuleDraft,
} from "./fraud-rule-draft.js";
import {
  ACTION_WORDS,
  ACTIONS,
  type FraudAction,
  fieldHint,
  fieldLabel,
  fieldUnit,
  formatThreshold,
  optionLabel,
  rangeText,
  ruleCatches,
  ruleName,
  ruleRuns,
  type ThresholdField,
  thresholdMessage,
  unitSuffix,
} from "./fraud-rule-labels.js";
import { FraudRuleLastChange } from "./fraud-rule-last-change.js";

/**
 * Edits not saved yet, per team member, program, rule and stored version: switching to another tab and back finds
 * them where they were left. A save, or a change saved by someone else meanwhile, starts afresh.
 */
const unsaved = new Map<string, RuleDraft>();
const versionOf = (view: FraudRuleView) => JSON.stringify([view.enabled, view.action, view.thresholds]);

/** The errors the form draws next to a control; the rest go to the alert at the top of the card. */
const shownFields = (view: FraudRuleView) => ["/enabled", "/action", ...view.fields.map((f) => `/thresholds/${f.key}`)];

const focusSave = (form: HTMLFormElement | null) =>
  form?.querySelector<HTMLButtonElement>('button[type="submit"]')?.focus();

/** The API's messages by field, as it wrote them: a share's message is rewritten in percentages at its field. */
function rawFieldErrors(error: unknown): Record<string, string> {
  const map: Record<string, string> = {};
  if (!isApiError(error)) return map;
  for (const { field, message } of error.fieldErrors) if (!(field in map)) map[field] = message;
  return map;
}

/** What a field means, then its default (and range) on a line of its own. */
const hintWithDefault = (hint: string, byDefault: string) => (
  <>
    {hint}
    <span className="fraud-field-default">{byDefault}</span>
  </>
);

function ThresholdInput({
  rule,
  field,
  value,
  defaultValue,
  changed,
  error,
  onChange,
}: {
  rule: string;
  field: ThresholdField;
  value: string | boolean | undefined;
  defaultValue: unknown;
  /** Not saved yet: marked, so that what a save will change can be seen. */
  changed: boolean;
  error?: string;
  onChange: (value: string | boolean) => void;
}) {
  const label = fieldLabel(rule, field.key);
  const hint = fieldHint(rule, field);
  const byDefault = `Default: ${formatThreshold(rule, field, defaultValue)}`;
  const marked = changed ? "fraud-field-changed" : "";
  if (field.type === "boolean") {
    return (
      <CheckboxField
        className={`fraud-rule-wide ${marked}`}
        label={label}
        checked={value === true}
        onChange={onChange}
        description={hintWithDefault(hint, byDefault)}
        error={error}
      />
    );
  }
  if (field.type === "choice") {
    return (
      <SelectField
        className={marked}
        label={label}
        value={String(value ?? "")}
        onChange={onChange}
        options={(field.options ?? []).map((o) => ({ value: o, label: optionLabel(rule, field.key, o) }))}
        hint={hintWithDefault(hint, byDefault)}
        error={error}
      />
    );
  }
  const unit = fieldUnit(rule, field);
  const range = rangeText(rule, field);
  const decimals = field.type === "number" || unit === "percent";
  return (
    <TextField
      className={marked}
      label={label}
      type="number"
      inputMode={decimals ? "decimal" : "numeric"}
      step={decimals ? "any" : 1}
      value={String(value ?? "")}
      onChange={onChange}
      suffix={unitSuffix(unit)}
      hint={hintWithDefault(hint, range ? `${byDefault} · allowed ${range}` : byDefault)}
      error={error}
    />
  );
}

/** One rule of a program: on or off, its action and thresholds; saved on its own, or reset to the defaults. */
export function FraudRuleCard({
  programId,
  view,
  editable,
  draftKey,
}: {
  programId: string;
  view: FraudRuleView;
  editable: boolean;
  /** Team member and program: whose unsaved edits these are. */
  draftKey: string;
}) {
  const queryClient = useQueryClient();
  const toast = useToast();
  const titleId = useId();
  const name = ruleName(view.rule);
  const key = `${draftKey}:${view.rule}:${versionOf(view)}`;
  // Null until edited: the form shows what is stored, and follows it when someone else changes it.
  const [edited, setEdited] = useState<RuleDraft | null>(() => unsaved.get(key) ?? null);
  const draft = edited ?? draftOf(view);
  const change = edited ? changeOf(view, edited) : undefined;
  const dirty = change !== undefined;
  const changed = changedControls(change);
  const [confirmReject, setConfirmReject] = useState(false);
  const [confirmReset, setConfirmReset] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);
  const refocus = useRef(false);

  useEffect(() => {
    if (dirty && edited) unsaved.set(key, edited);
    else unsaved.delete(key);
  }, [dirty, edited, key]);
  useEffect(() => {
    if (!dirty) return;
    // Closing or reloading the page asks first.
    const warn = (event: BeforeUnloadEvent) => event.preventDefault();
    window.addEventListener("beforeunload", warn);
    return () => window.removeEventListener("beforeunload", warn);
  }, [dirty]);
  // After a save or reset the buttons that were used may be gone: the card's Save button takes the focus over.
  useEffect(() => {
    if (!refocus.current) return;
    refocus.current = false;
    focusSave(formRef.current);
  });

  const stored = (updated: FraudRuleView) => {
    queryClient.setQueryData<FraudRuleView[]>(adminKeys.fraudRules(programId), (list) =>
      list?.map((r) => (r.rule === updated.rule ? updated : r)),
    );
    unsaved.delete(key);
    setEdited(null);
    const focus = document.activeElement;
    refocus.current = !focus || focus === document.body || Boolean(formRef.current?.contains(focus));
  };
  const save = useMutation({
    mutationFn: (body: RuleChange | { resetToDefaults: true }) =>
      api.patch<FraudRuleView>(`/v1/programs/${programId}/fraud-rules/${view.rule}`, body),
    onSuccess: (updated, body) => {
      const lines = describeChanges(view, updated);
      const reset = "resetToDefaults" in body;
      stored(updated);
      setConfirmReset(false);
      setConfirmReject(false);
      const what = lines.length > 0 ? `: ${lines.join("; ")}` : reset ? " (its values were the defaults already)" : "";
      toast.success(`${name} ${reset ? "reset to its defaults" : "saved"}${what}.`);
    },
    onError: () => setConfirmReject(false),
  });
  useFocusFirstError(formRef, save.error);
  const errors = rawFieldErrors(save.error);
  const set = (next: Partial<RuleDraft>) => setEdited({ ...draft, ...next });
  const setValue = (field: string, value: string | boolean) =>
    setEdited({ ...draft, values: { ...draft.values, [field]: value } });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!change) {
      toast.info(`${name}: nothing to save.`);
      return;
    }
    // Reject is final: turning it on takes a second, deliberate step.
    if (change.action === "reject") setConfirmReject(true);
    else save.mutate(change);
  };
  const discard = () => {
    setEdited(null);
    save.reset();
    // The Discard button goes away with the changes, which would drop the focus to the page.
    focusSave(formRef.current);
  };
  const alwaysOn = view.when === "report";
  const resetLines = describeChanges(view, defaultsOf(view));

  const classes = ["card", "fraud-rule", dirty ? "fraud-rule-dirty" : "", draft.enabled ? "" : "fraud-rule-off"];
  return (
    <form
      ref={formRef}
      className={classes.filter(Boolean).join(" ")}
      onSubmit={submit}
      noValidate
      aria-labelledby={titleId}
      data-rule={view.rule}
    >
      <div className="fraud-rule-head">
        <div className="fraud-rule-title">
          <h3 id={titleId}>{name}</h3>
          <div className="badge-row">
            {!view.enabled && <Badge tone="muted">Off</Badge>}
            {view.customized && (
              <Badge tone="accent" title="This program has its own settings for this rule">
                Customized
              </Badge>
            )}
            {dirty && <Badge tone="warning">Unsaved changes</Badge>}
          </div>
        </div>
        {alwaysOn ? (
          <span className="fraud-rule-always">Always on</span>
        ) : (
          <label className="switch">
            <input
              type="checkbox"
              role="switch"
              checked={draft.enabled}
              aria-checked={draft.enabled}
              onChange={(event) => set({ enabled: event.target.checked })}
              disabled={!editable}
              aria-labelledby={titleId}
              aria-invalid={errors["/enabled"] ? true : undefined}
            />
            <span className="switch-track" aria-hidden="true" />
            <span className="switch-text" aria-hidden="true">
              {draft.enabled ? "On" : "Off"}
            </span>
          </label>
        )}
      </div>
      <p className="fraud-rule-catches">{ruleCatches(view.rule, view.description)}</p>
      <div className="fraud-rule-meta">
        <span className="fraud-rule-when">
          <ClockIcon size={14} /> {ruleRuns(view.rule, view.when)}
        </span>
        <FraudRuleLastChange view={view} />
      </div>
      {errors["/enabled"] && (
        <p className="field-error" role="alert">
          {sentenceCase(errors["/enabled"])}
        </p>
      )}
      {!draft.enabled && <p className="fraud-rule-off-note">Off: this rule decides nothing for this program.</p>}

      <FormAlert error={save.error} shown={shownFields(view)} />
      <fieldset className="fraud-rule-body" disabled={!editable}>
        <legend className="visually-hidden">{name} settings</legend>
        <SelectField
          className={changed.has("action") ? "fraud-rule-action fraud-field-changed" : "fraud-rule-action"}
          label="Action"
          value={draft.action}
          onChange={(action) => set({ action: action as FraudAction })}
          options={ACTIONS.map((a) => ({ value: a, label: ACTION_WORDS[a].label }))}
          hint={
            draft.action === "reject" ? (
              <span className="fraud-reject-warning">
                <strong>Reject is final.</strong> Commissions of every conversion this rule catches are rejected at
                once, and the ledger never un-rejects: no reviewer can approve them later. Choose it only for a rule you
                trust; Hold lets a person decide. Default: {ACTION_WORDS[view.defaults.action].label.toLowerCase()}.
              </span>
            ) : (
              `${ACTION_WORDS[draft.action].description} Default: ${ACTION_WORDS[view.defaults.action].label.toLowerCase()}.`
            )
          }
          error={errors["/action"]}
        />
        {view.fields.length > 0 ? (
          <div className="fraud-rule-fields">
            {view.fields.map((field) => (
              <ThresholdInput
                key={field.key}
                rule={view.rule}
                field={field}
                value={draft.values[field.key]}
                defaultValue={view.defaults.thresholds[field.key]}
                changed={changed.has(field.key)}
                error={
                  errors[`/thresholds/${field.key}`] &&
                  thresholdMessage(view.rule, field, errors[`/thresholds/${field.key}`]!)
                }
                onChange={(value) => setValue(field.key, value)}
              />
            ))}
          </div>
        ) : (
          <p className="fraud-rule-no-thresholds">This rule has no thresholds to set.</p>
        )}
      </fieldset>

      {editable && (
        <div className="fraud-rule-foot">
          {view.customized && (
            <Button variant="ghost" onClick={() => setConfirmReset(true)}>
              Reset to defaults
            </Button>
          )}
          <span className="fraud-rule-foot-gap" />
          {dirty && (
            <Button variant="ghost" onClick={discard}>
              Discard
            </Button>
          )}
          <Button
            type="submit"
            variant={dirty ? "primary" : "secondary"}
            loading={save.isPending && !confirmReset}
            aria-label={`Save ${name}`}
          >
            Save
          </Button>
        </div>
      )}

      <ConfirmDialog
        open={confirmReject}
        title={`Reject what ${name} catches?`}
        description="Reject is final: the commissions of every conversion this rule catches from now on are rejected at once, and the ledger never un-rejects them. A reviewer cannot approve them later."
        confirmLabel="Save with reject"
        pending={save.isPending}
        onConfirm={() => change && save.mutate(change)}
        onClose={() => setConfirmReject(false)}
      />
      <ConfirmDialog
        open={confirmReset}
        title={`Reset ${name} to its defaults?`}
        description={`${
          resetLines.length > 0
            ? "This program's settings for the rule are forgotten; the defaults apply, and later changes to them too."
            : "Its values are the defaults already; the program's own copy of them is forgotten, so that later changes to the defaults apply."
        }${dirty ? " Changes not saved yet are discarded." : ""}`}
        confirmLabel="Reset to defaults"
        danger={false}
        pending={save.isPending}
        onConfirm={() => save.mutate({ resetToDefaults: true })}
        onClose={() => setConfirmReset(false)}
      >
        {resetLines.length > 0 && (
          <ul className="fraud-reset-list">
            {resetLines.map((line) => (
              <li key={line}>{line}</li>
            ))}
          </ul>
        )}
      </ConfirmDialog>
    </form>
  );
}
