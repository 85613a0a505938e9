import { expect } from "vitest";
import type { Agent } from "./test-app.js";

/** A listed click, as `GET /v1/clicks` answers it (the fields the tests compare). */
export interface ListedClick {
  id: string;
  at: string;
  linkId: string | null;
}

/** Every click `GET /v1/clicks` lists for a filter (a query string), paged two at a time so pages end between ties. */
export async function pageThroughClicks(agent: Agent, filter: string): Promise<ListedClick[]> {
  const seen: ListedClick[] = [];
  let cursor: string | null = null;
  do {
    const r = await agent.get(`/v1/clicks?${filter}&limit=2${cursor ? `&cursor=${cursor}` : ""}`);
    expect(r.statusCode, r.body).toBe(200);
    seen.push(...r.json().items);
    cursor = r.json().nextCursor;
  } while (cursor);
  return seen;
}
