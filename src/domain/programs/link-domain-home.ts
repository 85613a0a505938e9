import { asc, eq } from "drizzle-orm";
import type { Db } from "../../db/client.js";
import { programs } from "../../db/schema/index.js";
import { programLandingUrl } from "./program-rules.js";

/**
 * Where the bare link domain (https://go.acme.com/, a partner link with its path cut off) sends a visitor: the site
 * of the program whose links are on that host (its default landing page, else its first allowed domain), never the
 * console's sign-in page. Null for any other host. Two programs on one host: the oldest one's site.
 */
export async function linkDomainHome(db: Db, host: string): Promise<string | null> {
  const [program] = await db
    .select({ defaultLandingUrl: programs.defaultLandingUrl, allowedDomains: programs.allowedDomains })
    .from(programs)
    .where(eq(programs.linkDomain, host.toLowerCase()))
    .orderBy(asc(programs.createdAt))
    .limit(1);
  return program ? programLandingUrl(program) : null;
}
