import { isApiError } from "./api.js";
import { sentenceCase } from "./sentence-case.js";

const REWRITES: [RegExp, (m: RegExpMatchArray) => string][] = [
  [/^must NOT have fewer than 1 characters$/, () => "This field is required"],
  [/^must NOT have fewer than 1 items$/, () => "Add at least one"],
  [/^must NOT have fewer than (\d+) characters$/, (m) => `Use at least ${m[1]} characters`],
  [/^must NOT have more than (\d+) characters$/, (m) => `Use at most ${m[1]} characters`],
  [/^must NOT have more than (\d+) items$/, (m) => `Use at most ${m[1]}`],
  [/^must match format "email"$/, () => "Enter a valid email address"],
  [/^must match format "uri"$/, () => "Enter a full URL starting with https://"],
  [/^must match pattern /, () => "This format is not accepted"],
  [/^must be integer$/, () => "Enter a whole number"],
  [/^must be number$/, () => "Enter a number"],
  [/^must be >= (\S+)$/, (m) => `Must be at least ${m[1]}`],
  [/^must be <= (\S+)$/, (m) => `Must be at most ${m[1]}`],
  [/^must be equal to one of the allowed values$/, () => "Choose one of the options"],
  [/^is required$/, () => "This field is required"],
];

/** Schema-validator wording as a sentence a person reads next to an input. */
export function friendlyMessage(message: string): string {
  for (const [pattern, rewrite] of REWRITES) {
    const match = message.match(pattern);
    if (match) return rewrite(match);
  }
  return sentenceCase(message);
}

/** The first message per JSON pointer ("/slug", "/answers/q_1", "/applicationQuestions/0/options"). */
export function fieldErrors(error: unknown): Record<string, string> {
  const map: Record<string, string> = {};
  if (!isApiError(error)) return map;
  for (const { field, message } of error.fieldErrors) {
    if (!(field in map)) map[field] = friendlyMessage(message);
  }
  return map;
}

const covers = (shown: readonly string[], field: string) =>
  shown.some((pointer) => (pointer.endsWith("/") ? field.startsWith(pointer) : field === pointer));

/**
 * What the form cannot show next to an input: the problem detail, or the field errors no input displays, each named
 * by `labels` (pointer → words) where given, else by its pointer.
 */
export function unshownErrors(
  error: unknown,
  shown: readonly string[],
  labels: Readonly<Record<string, string>> = {},
): string[] {
  if (!error) return [];
  if (!isApiError(error)) return [error instanceof Error ? error.message : "Something went wrong."];
  const rest = error.fieldErrors.filter((e) => !covers(shown, e.field));
  if (error.fieldErrors.length === 0) return [friendlyMessage(error.message)];
  if (rest.length === 0) return [];
  return rest.map((e) =>
    e.field && e.field !== "/"
      ? `${labels[e.field] ?? e.field.replace(/^\//, "")}: ${friendlyMessage(e.message)}`
      : e.message,
  );
}
