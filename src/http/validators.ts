import { Ajv, type Options } from "ajv";
import addFormats from "ajv-formats";
import type { FastifySchemaCompiler } from "fastify";
import { isUsableDateTime } from "./date-time-format.js";

// verbose: errors carry their schema, so a pattern error can quote the field's description.
const base: Options = { allErrors: true, useDefaults: true, removeAdditional: false, strict: false, verbose: true };

const build = (options: Options) => {
  const ajv = new Ajv({ ...base, ...options });
  addFormats.default(ajv);
  ajv.addFormat("date-time", { type: "string", validate: isUsableDateTime });
  return ajv;
};

// Query strings and path parameters arrive as text, so they are coerced ("50" → 50, "true" → true).
// JSON bodies are typed already: `"amount": "100"` is a mistake to report, not a value to guess at.
const coercing = build({ coerceTypes: "array" });
const strict = build({ coerceTypes: false });

export const validatorCompiler: FastifySchemaCompiler<unknown> = ({ schema, httpPart }) =>
  (httpPart === "body" ? strict : coercing).compile(schema as object) as ReturnType<FastifySchemaCompiler<unknown>>;
