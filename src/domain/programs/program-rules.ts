import type { ApplicationQuestion } from "../../db/schema/index.js";
import { isCurrencyCode } from "../../lib/currency-digits.js";
import { AppError, type FieldError } from "../../lib/errors.js";
import { newId } from "../../lib/ids.js";
import type { QuestionInput } from "./programs.schemas.js";

const HOSTNAME = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$|^localhost$/;
// Staging sites on a bare IPv4 address; an IP matches only itself (no "subdomains").
const IPV4 = /^(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|1?\d?\d)$/;
/** Lower-cases and validates destination domains; a scheme or path pasted by mistake is refused, not guessed at. */
export function normalizeDomains(domains: string[], errors: FieldError[]): string[] {
  const out: string[] = [];
  domains.forEach((raw, i) => {
    const domain = raw.trim().toLowerCase().replace(/\.$/, "");
    if (!HOSTNAME.test(domain) && !IPV4.test(domain))
      errors.push({ field: `/allowedDomains/${i}`, message: `"${raw}" is not a hostname like example.com` });
    else if (!out.includes(domain)) out.push(domain);
  });
  return out;
}

/**
 * The program's link domain as stored: a host name only (no scheme, port or path: links are always https on it),
 * lower-cased, or null to show links on Tributary's own host. Undefined when the input leaves it unchanged.
 */
export function normalizeLinkDomain(raw: string | null | undefined, errors: FieldError[]): string | null | undefined {
  if (raw === undefined) return undefined;
  const domain = (raw ?? "").trim().toLowerCase().replace(/\.$/, "");
  if (domain === "") return null;
  if (!HOSTNAME.test(domain) || domain === "localhost")
    errors.push({ field: "/linkDomain", message: `"${raw}" is not a host name like go.example.com` });
  return domain;
}

/** Where a program sends visitors by default: its default landing page, else the home page of its first allowed domain. */
export const programLandingUrl = (program: { defaultLandingUrl: string | null; allowedDomains: string[] }) =>
  program.defaultLandingUrl ?? (program.allowedDomains[0] ? `https://${program.allowedDomains[0]}/` : null);

/** A domain allows itself and its subdomains. */
export const hostAllowed = (host: string, allowedDomains: string[]): boolean => {
  const h = host.toLowerCase();
  return allowedDomains.some((d) => h === d || (!IPV4.test(d) && h.endsWith(`.${d}`)));
};

export function checkLandingUrl(url: string | null | undefined, allowedDomains: string[], errors: FieldError[]) {
  if (!url) return;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    errors.push({ field: "/defaultLandingUrl", message: "must be an absolute http(s) URL" });
    return;
  }
  if (parsed.protocol !== "https:" && parsed.protocol !== "http:") {
    errors.push({ field: "/defaultLandingUrl", message: "must be an absolute http(s) URL" });
  } else if (!hostAllowed(parsed.hostname, allowedDomains)) {
    errors.push({ field: "/defaultLandingUrl", message: `${parsed.hostname} is not one of the allowed domains` });
  }
}

export function checkCurrency(currency: string | undefined, errors: FieldError[]) {
  if (currency !== undefined && !isCurrencyCode(currency)) {
    errors.push({ field: "/currency", message: `${currency} is not an ISO 4217 currency code` });
  }
}

/** Gives new questions stable ids and checks select options; existing ids are kept so stored answers stay readable. */
export function normalizeQuestions(questions: QuestionInput[], at: Date, errors: FieldError[]): ApplicationQuestion[] {
  const seen = new Set<string>();
  return questions.map((q, i) => {
    const id = q.id ?? newId("question", at);
    if (seen.has(id)) errors.push({ field: `/applicationQuestions/${i}/id`, message: "duplicate question id" });
    seen.add(id);
    const options =
      q.type === "select" ? [...new Set((q.options ?? []).map((o) => o.trim()).filter(Boolean))] : undefined;
    if (q.type === "select" && (!options || options.length === 0)) {
      errors.push({
        field: `/applicationQuestions/${i}/options`,
        message: "a select question needs at least one option",
      });
    }
    return {
      id,
      label: q.label.trim(),
      type: q.type,
      required: q.required,
      ...(options ? { options } : {}),
      ...(q.helpText ? { helpText: q.helpText } : {}),
    };
  });
}

export function throwIfErrors(errors: FieldError[]): void {
  if (errors.length > 0) {
    throw new AppError("validation", errors.map((e) => `${e.field}: ${e.message}`).join("; "), { fields: errors });
  }
}
