import { inArray } from "drizzle-orm";
import { partners, programs } from "../../db/schema/index.js";
import type { Ctx } from "../context.js";

/**
 * The display names of the given partners and programs, by id, in one statement however many of each a page
 * refers to: the ids' prefixes say which table holds them (an id of neither is left out, and reads as itself).
 */
export async function displayNames(ctx: Pick<Ctx, "db">, ids: Iterable<string>): Promise<Map<string, string>> {
  const distinct = [...new Set(ids)];
  const partnerIds = distinct.filter((id) => id.startsWith("ptn_"));
  const programIds = distinct.filter((id) => id.startsWith("prg_"));
  const ofPartners = () =>
    ctx.db.select({ id: partners.id, name: partners.name }).from(partners).where(inArray(partners.id, partnerIds));
  const ofPrograms = () =>
    ctx.db.select({ id: programs.id, name: programs.name }).from(programs).where(inArray(programs.id, programIds));
  if (partnerIds.length === 0 && programIds.length === 0) return new Map();
  const rows =
    programIds.length === 0
      ? await ofPartners()
      : partnerIds.length === 0
        ? await ofPrograms()
        : await ofPartners().unionAll(ofPrograms());
  return new Map(rows.map((r) => [r.id, r.name]));
}
