import { AppError } from "../lib/errors.js";

/** Maps a unique-index name to the field and message a client should see when that index refuses a write. */
export type UniqueMessages = Record<string, [field: string, message: string]>;

const constraintOf = (error: unknown): string | undefined => {
  for (let e: unknown = error; e && typeof e === "object"; e = (e as { cause?: unknown }).cause) {
    const { code, constraint } = e as { code?: string; constraint?: string };
    if (code === "23505") return constraint ?? "";
  }
  return undefined;
};

/** Whether an error is the database refusing a write to the named unique index (or constraint). */
export const isUniqueViolation = (error: unknown, constraint: string): boolean => constraintOf(error) === constraint;

/** The database, not a prior SELECT, decides uniqueness (no race); this turns its refusal into a 409. */
export async function uniqueViolation<T>(messages: UniqueMessages, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    const constraint = constraintOf(error);
    if (constraint === undefined) throw error;
    const known = messages[constraint];
    if (!known) throw new AppError("conflict", "a record with the same unique value already exists");
    throw new AppError("conflict", known[1], { fields: [{ field: known[0], message: known[1] }] });
  }
}
