import { randomBytes } from "node:crypto";
import { sql } from "drizzle-orm";
import type { Db } from "../../db/client.js";
import { AppError } from "../../lib/errors.js";
import type { Ctx } from "../context.js";
import { hostAllowed } from "../programs/program-rules.js";

export const CACHE_CHANGED_CHANNEL = "tributary_cache_changed";

/**
 * Where a partner link may send a visitor: an http(s) URL without credentials, on one of the program's allowed
 * domains or a subdomain of one, so that Tributary never becomes an open redirect. Says why a URL may not be, or
 * undefined when it may. One rule for a link's own destination (refused with a 422, assertDestinationAllowed) and a
 * deep link's page (ignored: the visitor lands on the link's destination, deepLinkDestination).
 */
export function destinationRefusal(
  url: URL,
  allowedDomains: string[],
): "not_http_url" | "domain_not_allowed" | undefined {
  if ((url.protocol !== "https:" && url.protocol !== "http:") || url.username || url.password) return "not_http_url";
  return hostAllowed(url.hostname, allowedDomains) ? undefined : "domain_not_allowed";
}

/** A link's destination as stored, or a 422 naming `field` and, for a domain not allowed, that domain. */
export function assertDestinationAllowed(url: string, allowedDomains: string[], field = "/destinationUrl"): string {
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined;
  }
  const refusal = parsed ? destinationRefusal(parsed, allowedDomains) : "not_http_url";
  if (!parsed || refusal === "not_http_url") {
    throw new AppError("validation", "the destination must be an absolute http(s) URL", {
      fields: [{ field, message: "must be an absolute http(s) URL" }],
    });
  }
  if (refusal === "domain_not_allowed") {
    const message = `${parsed.hostname} is not an allowed domain of this program (allowed: ${allowedDomains.join(", ") || "none"})`;
    throw new AppError("validation", message, { fields: [{ field, message }], extra: { domain: parsed.hostname } });
  }
  // The limit holds for what is stored and sent as the Location, which percent-encodes "é" as six characters.
  if (parsed.href.length > MAX_DESTINATION_LENGTH) {
    const message = `must be at most ${MAX_DESTINATION_LENGTH} characters once encoded (it is ${parsed.href.length})`;
    throw new AppError("validation", `the destination ${message}`, { fields: [{ field, message }] });
  }
  return parsed.href;
}

export const MAX_DESTINATION_LENGTH = 2000;

/** A readable, unguessable default slug: the partner's name plus random characters. */
export function generateSlug(name: string): string {
  const base = name
    .normalize("NFD")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 24);
  const suffix = randomBytes(4).toString("hex").slice(0, 5);
  return base ? `${base}-${suffix}` : `p-${suffix}`;
}

/**
 * Tells every app instance to drop what it cached under `key` (`slug:…`, `program:…`, `enrollment:…`,
 * `api_key:…`); NOTIFY is delivered when the transaction commits.
 */
export async function notifyCacheChanged(tx: Db, ctx: Pick<Ctx, "cacheChanges">, key: string): Promise<void> {
  await tx.execute(sql`select pg_notify(${CACHE_CHANGED_CHANNEL}, ${key})`);
  ctx.cacheChanges?.push(key);
}
