import { fieldError } from "../../lib/errors.js";

export const PASSWORD_MIN = 10;
export const PASSWORD_MAX = 256;

/** Length is what matters (NIST 800-63B); no composition rules. */
export function assertPasswordAcceptable(password: string, field = "/password", email?: string): void {
  if (password.length < PASSWORD_MIN) throw fieldError(field, `must be at least ${PASSWORD_MIN} characters`);
  if (password.length > PASSWORD_MAX) throw fieldError(field, `must be at most ${PASSWORD_MAX} characters`);
  if (email && password.toLowerCase() === email.toLowerCase())
    throw fieldError(field, "must not be your email address");
}

export const normalizeEmail = (email: string): string => email.trim().toLowerCase();
