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

export const fieldError = (field: string, message: string): AppError =>
  new AppError("validation", message, { fields: [{ field, message }] });
