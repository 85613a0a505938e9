import { eq } from "drizzle-orm";
import type { Db } from "./client.js";
import { settings } from "./schema/index.js";

/** Reads a setting, creating it with `create()` the first time; concurrent first boots agree on one value. */
export async function ensureSetting(db: Db, key: string, create: () => string): Promise<string> {
  await db.insert(settings).values({ key, value: create() }).onConflictDoNothing();
  const [row] = await db.select().from(settings).where(eq(settings.key, key));
  if (!row) throw new Error(`setting ${key} missing after insert`);
  return row.value;
}
