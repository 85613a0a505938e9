import { slugify } from "../shared/format.js";
import type { Program, ProgramInput, ProgramStatus, ProgramType, QuestionType } from "../shared/types.js";

export interface QuestionDraft {
  key: string;
  id?: string;
  label: string;
  type: QuestionType;
  required: boolean;
  options: string;
  helpText: string;
}

export interface ProgramDraft {
  name: string;
  slug: string;
  slugEdited: boolean;
  type: ProgramType;
  status: ProgramStatus;
  description: string;
  currency: string;
  cookieWindowDays: string;
  allowedDomains: string;
  defaultLandingUrl: string;
  termsText: string;
  questions: QuestionDraft[];
}

let keySeq = 0;
export const newQuestionKey = () => `draft-${++keySeq}`;

export const emptyQuestion = (): QuestionDraft => ({
  key: newQuestionKey(),
  label: "",
  type: "text",
  required: true,
  options: "",
  helpText: "",
});

export const emptyProgramDraft = (): ProgramDraft => ({
  name: "",
  slug: "",
  slugEdited: false,
  type: "affiliate",
  status: "active",
  description: "",
  currency: "USD",
  cookieWindowDays: "30",
  allowedDomains: "",
  defaultLandingUrl: "",
  termsText: "",
  questions: [],
});

export const draftFromProgram = (program: Program): ProgramDraft => ({
  name: program.name,
  slug: program.slug,
  slugEdited: true,
  type: program.type,
  status: program.status,
  description: program.description,
  currency: program.currency,
  cookieWindowDays: String(program.cookieWindowDays),
  allowedDomains: program.allowedDomains.join("\n"),
  defaultLandingUrl: program.defaultLandingUrl ?? "",
  termsText: program.termsText,
  questions: program.applicationQuestions.map((q) => ({
    key: q.id,
    id: q.id,
    label: q.label,
    type: q.type,
    required: q.required,
    options: (q.options ?? []).join("\n"),
    helpText: q.helpText ?? "",
  })),
});

const lines = (text: string) =>
  text
    .split(/[\n,]/)
    .map((line) => line.trim())
    .filter(Boolean);

/** The request body; a blank number stays invalid so the server names the field. */
export function programInput(draft: ProgramDraft): ProgramInput {
  return {
    name: draft.name.trim(),
    slug: draft.slug.trim() || slugify(draft.name),
    type: draft.type,
    status: draft.status,
    description: draft.description.trim(),
    currency: draft.currency.trim().toUpperCase(),
    cookieWindowDays: draft.cookieWindowDays.trim() === "" ? Number.NaN : Number(draft.cookieWindowDays),
    allowedDomains: lines(draft.allowedDomains),
    defaultLandingUrl: draft.defaultLandingUrl.trim() || null,
    termsText: draft.termsText,
    applicationQuestions: draft.questions.map((q) => ({
      ...(q.id ? { id: q.id } : {}),
      label: q.label.trim(),
      type: q.type,
      required: q.required,
      ...(q.type === "select"
        ? {
            options: q.options
              .split("\n")
              .map((o) => o.trim())
              .filter(Boolean),
          }
        : {}),
      ...(q.helpText.trim() ? { helpText: q.helpText.trim() } : {}),
    })),
  };
}

/**
 * Every error at `pointer` or below it, in line order, for a field that edits a list (one line per item): each bad
 * line is named, not only the first. The server's messages quote the line they are about.
 */
export const errorAt = (errors: Record<string, string>, pointer: string): string | undefined => {
  const below = Object.entries(errors)
    .flatMap(([field, message]) => {
      const index = field.startsWith(`${pointer}/`) ? Number.parseInt(field.slice(pointer.length + 1), 10) : Number.NaN;
      return Number.isNaN(index) ? [] : [{ index, message }];
    })
    .sort((a, b) => a.index - b.index)
    .map((e) => e.message);
  const messages = [...(errors[pointer] ? [errors[pointer]] : []), ...new Set(below)];
  return messages.length ? messages.join("; ") : undefined;
};
