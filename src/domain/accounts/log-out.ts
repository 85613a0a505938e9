import type { Ctx } from "../context.js";
import { deleteSession } from "./sessions.js";

export async function logOut(ctx: Ctx, sessionToken: string): Promise<void> {
  await deleteSession(ctx.db, sessionToken);
}
