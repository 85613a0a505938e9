import { eq, sql } from "drizzle-orm";
import type { Db } from "../../db/client.js";
import { enrollments, links, programs } from "../../db/schema/index.js";
import { hostAllowed, programLandingUrl } from "../programs/program-rules.js";
import { hasQueryParam, setQueryParam } from "./query-param.js";

/** Everything the redirect needs about a slug, resolved once and kept in memory. */
export interface RedirectTarget {
  linkId: string;
  programId: string;
  partnerId: string;
  enrollmentId: string;
  /** Final destination, UTM parameters already appended. */
  destination: string;
  /** Clicks count only while the program is active and the enrollment approved or active. */
  tracked: boolean;
  cookieWindowDays: number;
  clickIdParam: string;
  /** The program's allowed domains: the snippet's clicks are accepted only from these sites, deep links land only on them. */
  allowedDomains: string[];
  /** The program's UTM parameters, for a deep link's page (`destination` has them already). */
  utm: Record<string, string>;
}

/** Appends the program's UTM parameters that the destination does not set itself; the rest of its query is kept as written. */
export function withUtm(url: string, utm: Record<string, string>): string {
  const keys = Object.keys(utm);
  if (keys.length === 0) return url;
  const u = new URL(url);
  for (const key of keys) if (!hasQueryParam(u, key)) setQueryParam(u, key, utm[key]!);
  return u.href;
}

export async function loadRedirectTarget(db: Db, slug: string): Promise<RedirectTarget | null> {
  const [row] = await db
    .select({ link: links, program: programs, enrollmentStatus: enrollments.status })
    .from(links)
    .innerJoin(programs, eq(programs.id, links.programId))
    .innerJoin(enrollments, eq(enrollments.id, links.enrollmentId))
    .where(eq(sql`lower(${links.slug})`, slug.toLowerCase()))
    .limit(1);
  if (!row || row.link.disabledAt) return null;
  const { link, program } = row;
  const destination = link.destinationUrl ?? programLandingUrl(program);
  // Re-checked here as well: a link whose domain was removed from the program stops redirecting.
  if (!destination || !hostAllowed(new URL(destination).hostname, program.allowedDomains)) return null;
  return {
    linkId: link.id,
    programId: program.id,
    partnerId: link.partnerId,
    enrollmentId: link.enrollmentId,
    destination: withUtm(destination, program.utmParams),
    tracked: program.status === "active" && (row.enrollmentStatus === "active" || row.enrollmentStatus === "approved"),
    cookieWindowDays: program.cookieWindowDays,
    clickIdParam: program.clickIdParam,
    allowedDomains: program.allowedDomains,
    utm: program.utmParams,
  };
}

interface Entry {
  target: RedirectTarget | null;
  /** Unknown slugs are remembered briefly so a scan of random slugs cannot hammer the database. */
  expiresAt?: number;
}

/**
 * slug → redirect target. Hits are answered synchronously; concurrent misses share one query.
 * Invalidation keys: `slug:<slug>`, `program:<id>`, `enrollment:<id>`, or `*`.
 */
export class LinkCache {
  readonly #entries = new Map<string, Entry>();
  readonly #loading = new Map<string, Promise<RedirectTarget | null>>();
  #generation = 0;

  constructor(
    private readonly load: (slug: string) => Promise<RedirectTarget | null>,
    private readonly options: { negativeTtlMs: number; maxEntries: number; now: () => number } = {
      negativeTtlMs: 10_000,
      maxEntries: 200_000,
      now: Date.now,
    },
  ) {}

  get(slug: string): RedirectTarget | null | Promise<RedirectTarget | null> {
    const key = slug.toLowerCase();
    const entry = this.#entries.get(key);
    if (entry && (entry.expiresAt === undefined || entry.expiresAt > this.options.now())) return entry.target;
    const pending = this.#loading.get(key);
    if (pending) return pending;
    const generation = this.#generation;
    const loading = this.load(key).then(
      (target) => {
        this.#loading.delete(key);
        // A change that arrived while loading makes this answer stale; the next request reloads.
        if (generation === this.#generation) this.#store(key, target);
        return target;
      },
      (error: unknown) => {
        this.#loading.delete(key);
        throw error;
      },
    );
    this.#loading.set(key, loading);
    return loading;
  }

  invalidate(message: string): void {
    this.#generation += 1;
    const [kind, id] = message.split(/:(.*)/s);
    if (kind === "slug" && id) {
      this.#entries.delete(id.toLowerCase());
      return;
    }
    if ((kind === "program" || kind === "enrollment") && id) {
      for (const [key, entry] of this.#entries) {
        const t = entry.target;
        if (!t || (kind === "program" ? t.programId : t.enrollmentId) === id) this.#entries.delete(key);
      }
      return;
    }
    this.#entries.clear();
  }

  get size(): number {
    return this.#entries.size;
  }

  #store(key: string, target: RedirectTarget | null) {
    if (this.#entries.size >= this.options.maxEntries) this.#entries.delete(this.#entries.keys().next().value!);
    this.#entries.set(
      key,
      target ? { target } : { target, expiresAt: this.options.now() + this.options.negativeTtlMs },
    );
  }
}
