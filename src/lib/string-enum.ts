import { Type } from "typebox";

/** A string schema limited to `values`, typed as their union; renders as `enum` in OpenAPI. */
export const stringEnum = <T extends string>(values: readonly T[], options: { description?: string } = {}) =>
  Type.Unsafe<T>({ type: "string", enum: [...values], ...options });
