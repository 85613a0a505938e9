import { afterAll, beforeAll, expect, test } from "vitest";
import { intakeWorkerFor } from "../helpers/intake-worker.js";
import { programWithPartners } from "../helpers/program-setup.js";
import { type Agent, apiKeyAgent, createTestApp, type TestApp } from "../helpers/test-app.js";

/** GET /v1/track/submissions: what the async intake holds, for the people running the program. */
const ASYNC = { headers: { prefer: "respond-async" } };
const MINUTE = 60_000;
const silent = { info() {}, warn() {}, error() {}, debug() {} };

let t: TestApp;
let sender: Agent;
let reader: Agent;
let programA = "";
let programB = "";
const ids: Record<string, string> = {};
let firstS3 = "";

const sale = (programId: string, orderId: string, amount = 1_000) => ({
  programId,
  orderId,
  amount,
  currency: "USD",
  customerExternalId: `cus_${orderId}`,
});
const list = (query: string, agent = reader) => agent.get(`/v1/track/submissions${query}`);

beforeAll(async () => {
  t = await createTestApp();
  const owner = await t.team("owner");
  sender = await apiKeyAgent(t, owner, ["track:write"]);
  reader = await apiKeyAgent(t, owner, ["partners:read"]);
  programA = (await programWithPartners(t, owner, 1)).program.id;
  programB = (await programWithPartners(t, owner, 1)).program.id;
  // This app accepts but does not record: a worker started below records what was accepted until then.
  await t.app.intake.worker.close();

  for (const orderId of ["s1", "s2", "s3", "s4"])
    expect((await sender.post("/v1/track/sale", sale(programA, orderId))).statusCode).toBe(201);
  expect((await sender.post("/v1/track/sale", sale(programB, "b1"))).statusCode).toBe(201);
  firstS3 = (await reader.get(`/v1/conversions?programId=${programA}&q=s3`)).json().items[0].id;
  const accept = async (name: string, body: object) => {
    const r = await sender.post("/v1/track/sale", body, ASYNC);
    expect(r.statusCode, r.body).toBe(202);
    ids[name] = r.json().id;
  };
  // s1 and s2 in the same millisecond: their order (and a page boundary between them) falls to their ids.
  await accept("s1", sale(programA, "s1", 1_100));
  await accept("s2", sale(programA, "s2", 1_200));
  t.clock.advance(MINUTE);
  await accept("s3", sale(programA, "s3"));
  t.clock.advance(MINUTE);
  await accept("s4", sale(programA, "s4", 1_400));
  t.clock.advance(MINUTE);
  await accept("n1", sale(programA, "n1"));
  t.clock.advance(MINUTE);
  await accept("b1", sale(programB, "b1", 2_000));
  const worker = await intakeWorkerFor(t.database, t.clock, silent, t.app.commissions);
  await worker.drain();
  await worker.close();
  t.clock.advance(MINUTE);
  await accept("n2", sale(programA, "n2"));
});
afterAll(() => t.close());

const keysOf = (r: { json(): { items: { idempotencyKey: string }[] } }) => r.json().items.map((s) => s.idempotencyKey);

test("a program's submissions newest first: waiting, refused and retries; one recorded under its id is not listed", async () => {
  const r = await list(`?programId=${programA}`);
  expect(r.statusCode).toBe(200);
  const [tiedFirst, tiedSecond] = [ids.s1!, ids.s2!].sort().reverse();
  const key = (id: string) => (id === ids.s1 ? "s1" : "s2");
  expect(keysOf(r)).toEqual(["n2", "s4", "s3", key(tiedFirst!), key(tiedSecond!)]);
  expect(r.json().nextCursor).toBeNull();
  const [n2, s4, s3] = r.json().items;
  expect(n2).toMatchObject({ id: ids.n2, status: "queued", programId: programA, kind: "sale", processedAt: null });
  expect(s4).toMatchObject({
    id: ids.s4,
    status: "refused",
    problem: {
      status: 409,
      code: "conflict",
      instance: `/v1/track/submissions/${ids.s4}`,
      errors: expect.arrayContaining([expect.objectContaining({ field: "/amount" })]),
    },
  });
  expect(s3).toMatchObject({ id: ids.s3, status: "recorded", conversion: { id: firstS3, idempotencyKey: "s3" } });
  // Each item as the submission's own GET shows it.
  for (const item of r.json().items)
    expect(item).toEqual((await sender.get(`/v1/track/submissions/${item.id}`)).json());
});

test("filters: status, program, both; all programs together", async () => {
  expect(keysOf(await list(`?programId=${programA}&status=queued`))).toEqual(["n2"]);
  expect(keysOf(await list(`?programId=${programA}&status=recorded`))).toEqual(["s3"]);
  expect(keysOf(await list(`?programId=${programB}`))).toEqual(["b1"]);
  const refused = await list("?status=refused");
  expect(keysOf(refused).slice(0, 2)).toEqual(["b1", "s4"]);
  expect(keysOf(refused).sort()).toEqual(["b1", "s1", "s2", "s4"]);
  expect(keysOf(await list(""))).toHaveLength(6);
});

test("pages follow the cursor to the end, one item each, across submissions received in the same millisecond", async () => {
  const seen: string[] = [];
  let cursor: string | null = null;
  for (let turns = 0; turns < 10; turns++) {
    const r = await list(`?programId=${programA}&status=refused&limit=1${cursor ? `&cursor=${cursor}` : ""}`);
    expect(r.statusCode).toBe(200);
    seen.push(...keysOf(r));
    cursor = r.json().nextCursor;
    if (!cursor) break;
  }
  expect(seen).toEqual([
    "s4",
    ...[ids.s1!, ids.s2!]
      .sort()
      .reverse()
      .map((id) => (id === ids.s1 ? "s1" : "s2")),
  ]);
});

test("bad input is a 4xx naming the field; an unknown program is a 404", async () => {
  const badStatus = await list("?status=pending");
  expect(badStatus.statusCode).toBe(422);
  expect(JSON.stringify(badStatus.json().errors)).toContain("status");
  const badCursor = await list("?cursor=nope");
  expect(badCursor.statusCode).toBe(422);
  expect(badCursor.json().errors).toEqual([expect.objectContaining({ field: "querystring:/cursor" })]);
  const clickCursor = Buffer.from(`${new Date().toISOString()}|clk_abc`).toString("base64url");
  expect((await list(`?cursor=${clickCursor}`)).statusCode).toBe(422);
  expect((await list("?limit=201")).statusCode).toBe(422);
  const unknown = await list("?programId=prg_nope");
  expect(unknown.statusCode).toBe(404);
  expect(unknown.json().errors).toEqual([expect.objectContaining({ field: "querystring:/programId" })]);
});

test("read with partners:read: a key that only sends sales, and a partner, may not list them", async () => {
  expect((await list("", sender)).statusCode).toBe(403);
  const viewer = await t.team("viewer");
  expect((await list(`?programId=${programA}`, viewer)).statusCode).toBe(200);
  expect((await list("", t.agent())).statusCode).toBe(401);
});
