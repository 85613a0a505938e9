import type { FastifySchema, preHandlerAsyncHookHandler } from "fastify";
import { requireProgramInView } from "../domain/programs/program-in-view.js";

/** Whether a route's query string takes a `programId` (every such route reads one program's records). */
export const takesProgramFilter = (schema: FastifySchema | undefined): boolean => {
  const querystring = schema?.querystring as { properties?: Record<string, unknown> } | undefined;
  return querystring?.properties?.programId !== undefined;
};

/**
 * After authorization, before the handler: a `programId` in the query must name a program the caller can see
 * (requireProgramInView), on every route that takes one, so that each list answers an unknown program alike
 * (a 404 naming it) instead of an empty page. An empty value is no filter, as the lists read it.
 */
export const checkProgramFilter: preHandlerAsyncHookHandler = async (request) => {
  const programId = (request.query as { programId?: unknown } | undefined)?.programId;
  if (typeof programId === "string" && programId !== "") await requireProgramInView(request.ctx, programId);
};
