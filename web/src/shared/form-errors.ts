import { isApiError } from "./api.js";

/** The first message per JSON pointer ("/slug", "/answers/q_1", "/applicationQuestions/0/options"). */
export function fieldErrors(error: unknown): Record<string, string> {
  const map: Record<string, string> = {};
  if (!isApiError(error)) return map;
  for (const { field, message } of error.fieldErrors) {
    if (!(field in map)) map[field] = message;
  }
  return map;
}

const covers = (shown: readonly string[], field: string) =>
  shown.some((pointer) => (pointer.endsWith("/") ? field.startsWith(pointer) : field === pointer));

/** What the form cannot show next to an input: the problem detail, or the field errors no input displays. */
export function unshownErrors(error: unknown, shown: readonly string[]): string[] {
  if (!error) return [];
  if (!isApiError(error)) return [error instanceof Error ? error.message : "Something went wrong."];
  const rest = error.fieldErrors.filter((e) => !covers(shown, e.field));
  if (error.fieldErrors.length === 0) return [error.message];
  if (rest.length === 0) return [];
  return rest.map((e) => (e.field && e.field !== "/" ? `${e.field.replace(/^\//, "")}: ${e.message}` : e.message));
}
