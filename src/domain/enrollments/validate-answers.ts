import type { ApplicationQuestion } from "../../db/schema/index.js";
import type { FieldError } from "../../lib/errors.js";

const MAX_LENGTH = { text: 500, long_text: 5000, url: 2000, select: 100, number: 40 } as const;

/** Checks an applicant's answers against the program's questions; returns cleaned answers keyed by question id. */
export function validateAnswers(
  questions: ApplicationQuestion[],
  answers: Record<string, unknown>,
  errors: FieldError[],
): Record<string, string | number> {
  const clean: Record<string, string | number> = {};
  const known = new Set(questions.map((q) => q.id));
  for (const key of Object.keys(answers)) {
    if (!known.has(key)) errors.push({ field: `/answers/${key}`, message: "is not a question of this program" });
  }
  for (const q of questions) {
    const field = `/answers/${q.id}`;
    const raw = answers[q.id];
    const empty = raw === undefined || raw === null || (typeof raw === "string" && raw.trim() === "");
    if (empty) {
      if (q.required) errors.push({ field, message: `"${q.label}" is required` });
      continue;
    }
    if (q.type === "number") {
      const n = typeof raw === "number" ? raw : typeof raw === "string" && raw.trim() !== "" ? Number(raw) : Number.NaN;
      if (!Number.isFinite(n)) errors.push({ field, message: `"${q.label}" must be a number` });
      else clean[q.id] = n;
      continue;
    }
    if (typeof raw !== "string") {
      errors.push({ field, message: `"${q.label}" must be text` });
      continue;
    }
    const value = raw.trim();
    if (value.length > MAX_LENGTH[q.type]) {
      errors.push({ field, message: `"${q.label}" must be at most ${MAX_LENGTH[q.type]} characters` });
    } else if (q.type === "select" && !q.options?.includes(value)) {
      errors.push({ field, message: `"${q.label}" must be one of: ${q.options?.join(", ")}` });
    } else if (q.type === "url" && !isHttpUrl(value)) {
      errors.push({ field, message: `"${q.label}" must be a full URL starting with https://` });
    } else {
      clean[q.id] = value;
    }
  }
  return clean;
}

export const isHttpUrl = (value: string): boolean => {
  try {
    const url = new URL(value);
    return url.protocol === "https:" || url.protocol === "http:";
  } catch {
    return false;
  }
};
