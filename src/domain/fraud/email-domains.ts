import { createRequire } from "node:module";
import { disposableEmailBlocklistSet } from "disposable-email-domains-js";

const require = createRequire(import.meta.url);

let disposable: Set<string> | undefined;
let freeMail: Set<string> | undefined;

/** Domains of disposable-address services, from the disposable-email-domains blocklist (a maintained package). */
export function isDisposableDomain(domain: string): boolean {
  disposable ??= disposableEmailBlocklistSet();
  return matchesDomainOrParent(disposable, domain);
}

/**
 * Free-mail providers (gmail.com, outlook.com, …, from the email-providers package): sharing one with a partner
 * says nothing about who the customer is, so the self-referral domain match ignores them.
 */
export function isFreeMailDomain(domain: string): boolean {
  freeMail ??= new Set(require("email-providers/all.json") as string[]);
  return matchesDomainOrParent(freeMail, domain) || isDisposableDomain(domain);
}

function matchesDomainOrParent(set: Set<string>, domain: string): boolean {
  let d = domain.trim().toLowerCase();
  for (;;) {
    if (set.has(d)) return true;
    const dot = d.indexOf(".");
    if (dot < 0 || d.indexOf(".", dot + 1) < 0) return false;
    d = d.slice(dot + 1);
  }
}

export const emailDomain = (email: string): string | undefined => {
  const at = email.lastIndexOf("@");
  return at < 0
    ? undefined
    : email
        .slice(at + 1)
        .trim()
        .toLowerCase() || undefined;
};

/** The host of a website URL without `www.`, or undefined. */
export function websiteHost(website: string | null | undefined): string | undefined {
  if (!website) return undefined;
  try {
    return new URL(/^[a-z]+:\/\//i.test(website) ? website : `https://${website}`).hostname
      .toLowerCase()
      .replace(/^www\./, "");
  } catch {
    return undefined;
  }
}
