import type { preValidationHookHandler } from "fastify";
import { AppError } from "../lib/errors.js";
import { MAX_NESTING, unstorableTextIn } from "../lib/storable-text.js";

const MESSAGE = "must not contain a NUL character or an unpaired UTF-16 surrogate";

/**
 * Before a route validates its input: a 422 naming every path parameter, query parameter or body field whose text
 * PostgreSQL could not store as sent (see isStorableText), instead of a 500 from the database or, worse, two
 * different ids stored as one; and a 422 for a body nested deeper than any input of this API.
 */
export const rejectUnstorableText: preValidationHookHandler = (request, _reply, done) => {
  const params = unstorableTextIn(request.params).unstorable;
  const query = unstorableTextIn(request.query).unstorable;
  const { unstorable: body, tooDeep } = unstorableTextIn(request.body);
  if (tooDeep !== undefined) {
    const message = `nests more than ${MAX_NESTING} arrays and objects deep`;
    return done(new AppError("validation", `${tooDeep} ${message}`, { fields: [{ field: tooDeep, message }] }));
  }
  if (params.length + query.length + body.length === 0) return done();
  const fields = [
    ...params.map((field) => `params:${field}`),
    ...query.map((field) => `querystring:${field}`),
    ...body,
  ].map((field) => ({ field, message: MESSAGE }));
  done(new AppError("validation", `${fields.map((f) => f.field).join(", ")} ${MESSAGE}`, { fields }));
};
