export type AppErrorCode =
  | "not_found"
  | "conflict"
  | "invalid_state"
  | "forbidden"
  | "unauthorized"
  | "validation"
  | "rate_limited";

export interface FieldError {
  /** JSON pointer to the offending field, for example `/slug` or `/answers/q_1`. */
  field: string;
  message: string;
}

/** The only error a use case throws on purpose; the HTTP layer maps the code to a status in one place. */
export class AppError extends Error {
  readonly code: AppErrorCode;
  readonly fields: FieldError[] | undefined;
  readonly extra: Record<string, unknown> | undefined;

  constructor(
    code: AppErrorCode,
    message: string,
    options: { fields?: FieldError[]; extra?: Record<string, unknown> } = {},
  ) {
    super(message);
    this.name = "AppError";
    this.code = code;
    this.fields = options.fields;
    this.extra = options.extra;
  }
}

/** A message that goes on from its field's name ("must be after from"), as the schema validator's messages do. */
const PREDICATE = /^(is|are|was|must|has|cannot|does) /;

/**
 * A refusal about one field. Its detail is a sentence on its own: a predicate gets the field in front, as the
 * schema's problems have ("/occurredAt is in the future"), while `errors` keeps the message as written.
 */
export const fieldError = (field: string, message: string): AppError =>
  new AppError("validation", PREDICATE.test(message) ? `${field} ${message}` : message, {
    fields: [{ field, message }],
  });
