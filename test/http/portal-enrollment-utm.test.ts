import { afterAll, beforeAll, expect, test } from "vitest";
import {
  type Agent,
  applicationBody,
  createTestApp,
  type ProgramJson,
  programBody,
  type TestApp,
} from "../helpers/test-app.js";

/**
 * The portal's link builder shows which UTM parameters a program sets (the redirect drops a partner's own of those
 * names), so `GET /v1/portal/enrollments` carries each program's UTM parameters and click id name: only for the
 * programs the signed-in partner is enrolled in, and for nobody else.
 */
let t: TestApp;
let owner: Agent;
let north: ProgramJson;
let south: ProgramJson;
beforeAll(async () => {
  t = await createTestApp();
  owner = await t.team("owner");
  north = (
    await owner.post(
      "/v1/programs",
      programBody({ name: "North", utmParams: { utm_source: "north-partners", utm_medium: "affiliate" } }),
    )
  ).json();
  south = (
    await owner.post(
      "/v1/programs",
      programBody({ name: "South", utmParams: { utm_campaign: "south-secret" }, clickIdParam: "ref" }),
    )
  ).json();
});
afterAll(() => t.close());

async function partnerIn(program: ProgramJson, email: string): Promise<Agent> {
  const agent = t.agent();
  const applied = await agent.post(`/v1/public/programs/${program.slug}/applications`, applicationBody(program, email));
  expect(applied.statusCode).toBe(201);
  return agent;
}

test("a partner reads the UTM parameters and click id name of its own programs only", async () => {
  const [a, b] = [await partnerIn(north, "a@north.test"), await partnerIn(south, "b@south.test")];

  const mine = await a.get("/v1/portal/enrollments");
  expect(mine.statusCode).toBe(200);
  expect(mine.json().items.map((e: { programDetails: unknown }) => e.programDetails)).toEqual([
    expect.objectContaining({
      name: "North",
      utmParams: { utm_source: "north-partners", utm_medium: "affiliate" },
      clickIdParam: "tb_click",
    }),
  ]);
  expect(mine.body).not.toContain("south-secret");

  const theirs = await b.get("/v1/portal/enrollments");
  expect(theirs.json().items.map((e: { programDetails: unknown }) => e.programDetails)).toEqual([
    expect.objectContaining({ name: "South", utmParams: { utm_campaign: "south-secret" }, clickIdParam: "ref" }),
  ]);
  expect(theirs.body).not.toContain("north-partners");
});

test("nobody but a signed-in partner reads them", async () => {
  const anonymous = await t.agent().get("/v1/portal/enrollments");
  expect(anonymous.statusCode).toBe(401);
  expect(anonymous.body).not.toContain("north-partners");
  const team = await owner.get("/v1/portal/enrollments");
  expect(team.statusCode).toBe(401);
  expect(team.body).not.toContain("north-partners");
});
