import {
  ACTION_WORDS,
  type FraudAction,
  fieldLabel,
  fieldUnit,
  formatThreshold,
  fromPercent,
  type ThresholdField,
  toPercent,
} from "./fraud-rule-labels.js";

/** A rule of a program as GET /v1/programs/:id/fraud-rules gives it. */
export interface FraudRuleView {
  rule: string;
  when: string;
  description: string;
  enabled: boolean;
  action: FraudAction;
  thresholds: Record<string, unknown>;
  defaults: { action: FraudAction; thresholds: Record<string, unknown> };
  fields: ThresholdField[];
  customized: boolean;
  /** The latest change or reset, from the audit log; null: never changed. */
  lastChanged: { at: string; actor: { type: string; name: string; email: string | null } } | null;
}

/** A rule's form as typed: numbers as text in the field's units (a share as a percentage), booleans as booleans. */
export interface RuleDraft {
  enabled: boolean;
  action: FraudAction;
  values: Record<string, string | boolean>;
}

/** What PATCH /v1/programs/:id/fraud-rules/:rule takes. */
export interface RuleChange {
  enabled?: boolean;
  action?: FraudAction;
  thresholds?: Record<string, unknown>;
}

function inputValue(rule: string, field: ThresholdField, value: unknown): string | boolean {
  if (field.type === "boolean") return value === true;
  if (field.type === "choice") return typeof value === "string" ? value : "";
  if (typeof value !== "number") return "";
  return String(fieldUnit(rule, field) === "percent" ? toPercent(value) : value);
}

/** A typed value as stored. A blank or unreadable number goes as null, so that the server names the field. */
function storedValue(rule: string, field: ThresholdField, input: string | boolean | undefined): unknown {
  if (field.type === "boolean") return input === true;
  if (field.type === "choice") return input ?? "";
  const text = String(input ?? "").trim();
  const n = text === "" ? Number.NaN : Number(text);
  if (!Number.isFinite(n)) return null;
  return fieldUnit(rule, field) === "percent" ? fromPercent(n) : n;
}

export const draftOf = (view: FraudRuleView): RuleDraft => ({
  enabled: view.enabled,
  action: view.action,
  values: Object.fromEntries(view.fields.map((f) => [f.key, inputValue(view.rule, f, view.thresholds[f.key])])),
});

/** Only what differs from what is stored; undefined when nothing does. */
export function changeOf(view: FraudRuleView, draft: RuleDraft): RuleChange | undefined {
  const change: RuleChange = {};
  if (draft.enabled !== view.enabled) change.enabled = draft.enabled;
  if (draft.action !== view.action) change.action = draft.action;
  const thresholds: Record<string, unknown> = {};
  for (const field of view.fields) {
    const value = storedValue(view.rule, field, draft.values[field.key]);
    if (!Object.is(value, view.thresholds[field.key])) thresholds[field.key] = value;
  }
  if (Object.keys(thresholds).length > 0) change.thresholds = thresholds;
  return Object.keys(change).length > 0 ? change : undefined;
}

/** The controls whose value is not saved yet: "enabled", "action" and threshold keys. */
export function changedControls(change: RuleChange | undefined): Set<string> {
  if (!change) return new Set();
  const keys = Object.keys(change).filter((k) => k !== "thresholds");
  return new Set([...keys, ...Object.keys(change.thresholds ?? {})]);
}

/** The settings a rule has with nothing saved: on, its default action and thresholds. */
export const defaultsOf = (view: FraudRuleView): FraudRuleView => ({
  ...view,
  enabled: true,
  action: view.defaults.action,
  thresholds: { ...view.thresholds, ...view.defaults.thresholds },
  customized: false,
});

const actionWords = (action: FraudAction) => (ACTION_WORDS[action]?.label ?? action).toLowerCase();

/** What differs between two states of a rule, one line each in words and units: "Action: hold for review → reject". */
export function describeChanges(before: FraudRuleView, after: FraudRuleView): string[] {
  const lines: string[] = [];
  if (before.enabled !== after.enabled) lines.push(after.enabled ? "Turned on" : "Turned off");
  if (before.action !== after.action)
    lines.push(`Action: ${actionWords(before.action)} → ${actionWords(after.action)}`);
  for (const field of after.fields) {
    const was = before.thresholds[field.key];
    const now = after.thresholds[field.key];
    if (Object.is(was, now)) continue;
    const label = fieldLabel(after.rule, field.key);
    lines.push(`${label}: ${formatThreshold(after.rule, field, was)} → ${formatThreshold(after.rule, field, now)}`);
  }
  return lines;
}
