/** The one way the browser talks to the API: JSON in and out, CSRF header on changes, problems as ApiError. */

import { sentenceCase } from "./sentence-case.js";

export interface FieldError {
  field: string;
  message: string;
}

export interface Problem {
  type?: string;
  title?: string;
  status: number;
  detail: string;
  code: string;
  errors?: FieldError[];
}

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly fieldErrors: FieldError[];
  readonly path: string;

  constructor(path: string, status: number, problem: Problem | undefined, fallback?: string) {
    const text = problem?.detail || fallback || `Request failed (${status})`;
    super(sentenceCase(text));
    this.name = "ApiError";
    this.path = path;
    this.status = status;
    this.code = problem?.code ?? (status === 0 ? "network" : "unknown");
    this.fieldErrors = problem?.errors ?? [];
  }
}

export const isApiError = (error: unknown): error is ApiError => error instanceof ApiError;

let csrfToken: Promise<string> | undefined;

/** Fetched once at start; a 403 "csrf" answer fetches a fresh one (see request). */
export function loadCsrfToken(force = false): Promise<string> {
  if (!csrfToken || force) {
    const pending = fetch("/v1/auth/csrf", { credentials: "same-origin", headers: { accept: "application/json" } })
      .then(async (response) => {
        if (!response.ok) throw new ApiError("/v1/auth/csrf", response.status, await readProblem(response));
        const body = (await response.json()) as { token: string };
        return body.token;
      })
      .catch((error: unknown) => {
        csrfToken = undefined;
        throw error;
      });
    csrfToken = pending;
  }
  return csrfToken;
}

async function readProblem(response: Response): Promise<Problem | undefined> {
  try {
    const body = (await response.json()) as Partial<Problem>;
    if (typeof body.detail === "string" || typeof body.code === "string") {
      return { status: response.status, detail: body.detail ?? "", code: body.code ?? "unknown", errors: body.errors };
    }
  } catch {
    // not JSON: the status alone describes the failure
  }
  return undefined;
}

type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

/** Answers a 401: true once the same user has signed in again and the request may be sent again. */
type SessionEndedHandler = (error: ApiError) => Promise<boolean>;
let onSessionEnded: SessionEndedHandler | undefined;

/** The query client decides which 401s wait for the user to sign in again (see session-guard.ts). */
export function setSessionEndedHandler(handler: SessionEndedHandler | undefined): void {
  onSessionEnded = handler;
}

/** A body sent as it is (a CSV upload) rather than as JSON. */
class RawBody {
  constructor(
    readonly text: string,
    readonly contentType: string,
  ) {}
}

async function request<T>(
  method: Method,
  path: string,
  body?: unknown,
  retried = false,
  signedInAgain = false,
): Promise<T> {
  const headers: Record<string, string> = { accept: "application/json" };
  let payload: string | undefined;
  if (body instanceof RawBody) {
    headers["content-type"] = body.contentType;
    payload = body.text;
  } else if (method === "POST" || method === "PUT" || method === "PATCH") {
    headers["content-type"] = "application/json";
    payload = JSON.stringify(body ?? {});
  }
  if (method !== "GET") headers["x-csrf-token"] = await loadCsrfToken();
  let response: Response;
  try {
    response = await fetch(path, { method, headers, body: payload, credentials: "same-origin" });
  } catch {
    throw new ApiError(path, 0, undefined, "The server could not be reached. Check your connection and try again.");
  }
  if (response.ok) {
    if (response.status === 204) return undefined as T;
    return (await response.json()) as T;
  }
  const problem = await readProblem(response);
  if (response.status === 403 && problem?.code === "csrf" && !retried) {
    await loadCsrfToken(true);
    return request<T>(method, path, body, true, signedInAgain);
  }
  const error = new ApiError(path, response.status, problem);
  // A 401 comes from the authentication step, before any handler ran: sending it again after the same user signed
  // in cannot do the change twice. Only once, so that a session that will not stick cannot loop.
  if (response.status === 401 && !signedInAgain && (await onSessionEnded?.(error))) {
    return request<T>(method, path, body, false, true);
  }
  throw error;
}

export const api = {
  get: <T>(path: string) => request<T>("GET", path),
  post: <T>(path: string, body?: unknown) => request<T>("POST", path, body),
  put: <T>(path: string, body: unknown) => request<T>("PUT", path, body),
  patch: <T>(path: string, body: unknown) => request<T>("PATCH", path, body),
  /** A text body with its own content type, e.g. a CSV file. */
  postText: <T>(path: string, text: string, contentType: string) =>
    request<T>("POST", path, new RawBody(text, contentType)),
  delete: <T>(path: string) => request<T>("DELETE", path),
};

/** A query string from the non-empty values, with a leading "?" when there is one. */
export function queryString(params: Record<string, string | number | undefined | null>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== "") search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : "";
}
