import type { Db } from "../../db/client.js";
import { clickLandings } from "../../db/schema/index.js";

/**
 * Page activity, as far as it can honestly be measured: the site snippet ran on a page of the program's site
 * (a browser rendered it and ran its script) and confirmed this redirect click's id. Nothing about what the
 * visitor did next is known. The first confirmation counts; reloads are ignored.
 */
export async function recordClickLanding(
  db: Db,
  click: { clickRowId: string; programId: string; partnerId: string; at: Date },
  now: Date,
): Promise<void> {
  await db
    .insert(clickLandings)
    .values({
      clickId: click.clickRowId,
      programId: click.programId,
      partnerId: click.partnerId,
      clickedAt: click.at,
      at: now,
    })
    .onConflictDoNothing();
}
