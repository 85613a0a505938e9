import type { Ctx } from "../domain/context.js";
import { AppError } from "../lib/errors.js";

/** The signed-in partner, from the session: portal routes never take a partner id from the URL. */
export const partnerOf = (ctx: Ctx) => {
  if (ctx.actor.type !== "partner") throw new AppError("forbidden", "partner users only");
  return ctx.actor;
};
