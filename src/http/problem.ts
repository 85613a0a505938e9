import type { FastifyError, FastifyReply, FastifyRequest } from "fastify";
import { AppError, type AppErrorCode, type FieldError } from "../lib/errors.js";

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  code: string;
  errors?: FieldError[];
  [extension: string]: unknown;
}

const statusOf: Record<AppErrorCode, number> = {
  not_found: 404,
  conflict: 409,
  invalid_state: 409,
  forbidden: 403,
  unauthorized: 401,
  validation: 422,
  rate_limited: 429,
};

const titles: Record<number, string> = {
  400: "Bad request",
  401: "Authentication required",
  403: "Forbidden",
  404: "Not found",
  405: "Method not allowed",
  409: "Conflict",
  413: "Request body too large",
  415: "Unsupported media type",
  422: "Validation failed",
  429: "Too many requests",
  500: "Internal server error",
  503: "Service unavailable",
};

export const problemType = (code: string) => `https://tributary.dev/problems/${code.replaceAll("_", "-")}`;

export function problem(status: number, code: string, detail: string, extra: Partial<Problem> = {}): Problem {
  return { type: problemType(code), title: titles[status] ?? "Error", status, detail, code, ...extra };
}

interface AjvError {
  instancePath: string;
  keyword: string;
  message?: string;
  params: Record<string, unknown>;
  parentSchema?: { description?: string };
  /** The value that failed (ajv's verbose mode). */
  data?: unknown;
  /** Set when an object's key failed its propertyNames schema: the key. */
  propertyName?: string;
}

/** Ajv's errors as JSON pointers to the offending field, with messages a person can act on. */
function fieldErrors(validation: AjvError[], context: string | undefined): FieldError[] {
  const prefix = context && context !== "body" ? `${context}:` : "";
  const seen = new Set<string>();
  const out: FieldError[] = [];
  for (const e of validation) {
    // A union (anyOf) reports each branch's failure; the one summary line is enough.
    if (e.keyword === "type" && validation.some((o) => o.keyword === "anyOf" && o.instancePath === e.instancePath))
      continue;
    // The key's own failure (its pattern) says it better than the summary that a key failed.
    if (e.keyword === "propertyNames") continue;
    let field = e.instancePath || "";
    if (e.propertyName !== undefined) field += `/${e.propertyName.replaceAll("~", "~0").replaceAll("/", "~1")}`;
    if (e.keyword === "required") field += `/${String(e.params.missingProperty)}`;
    if (e.keyword === "additionalProperties") field += `/${String(e.params.additionalProperty)}`;
    const entry = { field: `${prefix}${field || "/"}`, message: humanMessage(e) };
    const key = `${entry.field} ${entry.message}`;
    if (!seen.has(key)) out.push(entry);
    seen.add(key);
  }
  return out;
}

const FORMAT_NAMES: Record<string, string> = {
  email: "an email address",
  "date-time": "a date-time like 2026-03-02T10:00:00Z",
  uri: "a URL",
};

/** Ajv's wording, rewritten for people filling in a form or reading an API error. */
function humanMessage(e: AjvError): string {
  const p = e.params;
  switch (e.keyword) {
    case "required":
      return "is required";
    case "additionalProperties":
      return "is not a known field";
    case "minLength":
      return p.limit === 1 ? "must not be empty" : `must be at least ${String(p.limit)} characters`;
    case "maxLength":
      return `must be at most ${String(p.limit)} characters`;
    case "minimum":
      return `must be at least ${String(p.limit)}`;
    case "maximum":
      return `must be at most ${String(p.limit)}`;
    case "minItems":
      return `needs at least ${String(p.limit)} item${p.limit === 1 ? "" : "s"}`;
    case "maxItems":
      return `allows at most ${String(p.limit)} items`;
    case "enum":
      return `must be one of: ${(p.allowedValues as unknown[]).join(", ")}`;
    case "format":
      return `must be ${FORMAT_NAMES[String(p.format)] ?? `a valid ${String(p.format)}`}`;
    case "type":
      // A form's emptied number field arrives as null: "must be a whole number" would not say what went wrong.
      if (e.data === null) return "is required";
      return `must be ${p.type === "integer" ? "a whole number" : `a ${String(p.type)}`}`;
    case "pattern":
      if (e.propertyName !== undefined)
        return `is not an allowed name${e.parentSchema?.description ? ` (${e.parentSchema.description})` : ""}`;
      // An emptied field: its format's description would not say what went wrong.
      if (e.data === "") return "must not be empty";
      return e.parentSchema?.description
        ? `has an invalid format (${e.parentSchema.description})`
        : "has an invalid format";
    case "uniqueItems":
      return "must not repeat items";
    case "minProperties":
      return "must change at least one field";
    default:
      return e.message ?? "is invalid";
  }
}

/** A use case's refusal as a problem: its code decides the status. */
export const appErrorProblem = (error: AppError, instance: string | undefined): Problem =>
  problem(statusOf[error.code], error.code, error.message, {
    ...(instance === undefined ? {} : { instance }),
    ...(error.fields ? { errors: error.fields } : {}),
    ...(error.extra ?? {}),
  });

/** The one place where errors become HTTP statuses. Unknown errors are logged and never leak details. */
export function toProblem(error: unknown, request: FastifyRequest): Problem {
  const instance = request.url.split("?")[0];
  if (error instanceof AppError) return appErrorProblem(error, instance);
  const fe = error as FastifyError & { validationContext?: string };
  if (fe.validation) {
    const errors = fieldErrors(fe.validation as AjvError[], fe.validationContext);
    return problem(422, "validation", errors.map((e) => `${e.field} ${e.message}`).join("; "), { instance, errors });
  }
  if (fe.code === "FST_ERR_CTP_INVALID_JSON_BODY" || (error instanceof SyntaxError && fe.statusCode === 400)) {
    // Fastify's parser refuses prototype-pollution keys in otherwise valid JSON with the same error.
    return problem(
      400,
      "malformed_body",
      "the request body is not valid JSON, or has a __proto__ or constructor.prototype key",
      { instance },
    );
  }
  if (fe.code === "FST_ERR_CTP_BODY_TOO_LARGE") {
    return problem(413, "body_too_large", "the request body is larger than the server accepts", { instance });
  }
  if (fe.code === "FST_ERR_CTP_INVALID_MEDIA_TYPE") {
    return problem(415, "unsupported_media_type", "send the request body as application/json", { instance });
  }
  if (fe.code?.startsWith("FST_CSRF")) {
    return problem(
      403,
      "csrf",
      "missing or invalid CSRF token: send the token from GET /v1/auth/csrf in x-csrf-token",
      { instance },
    );
  }
  const status = fe.statusCode;
  if (status && status >= 400 && status < 500) {
    const code = status === 429 ? "rate_limited" : status === 404 ? "not_found" : "bad_request";
    return problem(status, code, fe.message || titles[status] || "bad request", { instance });
  }
  return problem(500, "internal", "an unexpected error occurred; it has been logged", { instance });
}

export function sendProblem(reply: FastifyReply, p: Problem) {
  return reply.status(p.status).type("application/problem+json").send(p);
}
