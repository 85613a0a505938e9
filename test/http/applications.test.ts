import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { enrollments, partners, partnerUsers } from "../../src/db/schema/index.js";
import {
  type Agent,
  applicationBody,
  createTestApp,
  PASSWORD,
  type ProgramJson,
  programBody,
  type TestApp,
} from "../helpers/test-app.js";

let t: TestApp;
let owner: Agent;
let program: ProgramJson;
beforeAll(async () => {
  t = await createTestApp();
  owner = await t.team("owner");
  program = (await owner.post("/v1/programs", programBody())).json();
});
afterAll(() => t.close());

const apply = (agent: Agent, email: string, overrides: Record<string, unknown> = {}, target: ProgramJson = program) =>
  agent.post(`/v1/public/programs/${target.slug}/applications`, applicationBody(target, email, overrides));
const rows = async () => ({
  partners: (await t.database.db.select().from(partners)).length,
  users: (await t.database.db.select().from(partnerUsers)).length,
  enrollments: (await t.database.db.select().from(enrollments)).length,
});

describe("public application", () => {
  test("creates the partner, its user and an applied enrollment with the answers and accepted terms, and signs in", async () => {
    const partner = t.agent();
    const r = await apply(partner, "first@partner.test");
    expect(r.statusCode).toBe(201);
    const e = r.json();
    expect(e).toMatchObject({
      status: "applied",
      source: "application",
      applicantEmail: "first@partner.test",
      termsVersionAccepted: 1,
    });
    expect(e.applicationAnswers).toEqual({
      [program.applicationQuestions[0]!.id]: "Blog",
      [program.applicationQuestions[1]!.id]: 1200,
    });
    expect(e.termsAcceptedAt).toBe(t.clock.now().toISOString());
    const me = (await partner.get("/v1/portal/me")).json();
    expect(me.user.email).toBe("first@partner.test");
    expect(me.partner).toMatchObject({ name: "first Media", country: "DE", type: "affiliate" });
    const mine = (await partner.get("/v1/portal/enrollments")).json().items;
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({
      status: "applied",
      needsTermsAcceptance: false,
      programDetails: { name: "Acme Affiliates" },
    });
  });

  test("a duplicate application by the same email is refused clearly and writes nothing", async () => {
    await apply(t.agent(), "twice@partner.test");
    const before = await rows();
    const r = await apply(t.agent(), "TWICE@partner.test");
    expect(r.statusCode).toBe(409);
    expect(r.json().errors[0].field).toBe("/email");
    expect(await rows()).toEqual(before);
  });

  test("an existing portal account applies for its organisation only with its password", async () => {
    const other = (await owner.post("/v1/programs", programBody({ applicationQuestions: [] }))).json();
    await apply(t.agent(), "multi@partner.test");
    const before = await rows();
    const wrong = await apply(t.agent(), "multi@partner.test", { password: "not the right one" }, other);
    expect(wrong.statusCode).toBe(409);
    expect(await rows()).toEqual(before);
    const right = await apply(t.agent(), "multi@partner.test", {}, other);
    expect(right.statusCode).toBe(201);
    const first = (await owner.get(`/v1/enrollments?q=multi@partner.test`)).json().items;
    expect(new Set(first.map((e: { partnerId: string }) => e.partnerId)).size).toBe(1);
  });

  test.each([
    [{ acceptTerms: false }, "/acceptTerms"],
    [{ answers: {} }, "/answers/QUESTION0"],
    [{ answers: { QUESTION0: "TikTok" } }, "/answers/QUESTION0"],
    [{ answers: { QUESTION0: "Blog", QUESTION1: "many" } }, "/answers/QUESTION1"],
    [{ email: "not-an-email" }, "/email"],
    [{ country: "Germany" }, "/country"],
    [{ website: "ftp://x" }, "/website"],
    [{ password: "short" }, "/password"],
  ])("%j is a 422 naming %s and writes nothing", async (overrides, field) => {
    const ids = program.applicationQuestions.map((q) => q.id);
    const swap = (s: string) => s.replace("QUESTION0", ids[0]!).replace("QUESTION1", ids[1]!);
    const concrete = JSON.parse(swap(JSON.stringify(overrides)));
    if (concrete.answers && Object.keys(concrete.answers).length && !(ids[0]! in concrete.answers))
      concrete.answers[ids[0]!] = "Blog";
    const before = await rows();
    const r = await apply(t.agent(), `bad${Math.random()}@partner.test`, concrete);
    expect(r.statusCode).toBe(422);
    expect(r.json().errors.map((e: { field: string }) => e.field)).toContain(swap(field));
    expect(await rows()).toEqual(before);
  });

  test("a draft or unknown program takes no applications", async () => {
    const draft = (await owner.post("/v1/programs", programBody({ status: "draft" }))).json();
    expect((await apply(t.agent(), "d@partner.test", {}, draft)).statusCode).toBe(404);
    expect(
      (await t.agent().post("/v1/public/programs/nope/applications", applicationBody(program, "n@partner.test")))
        .statusCode,
    ).toBe(404);
  });
});

describe("review and lifecycle", () => {
  test("the review queue lists applications by program and search, with answers", async () => {
    const p = (await owner.post("/v1/programs", programBody())).json();
    await apply(t.agent(), "queue1@partner.test", {}, p);
    await apply(t.agent(), "queue2@partner.test", { company: "Zebra Reviews" }, p);
    const queue = (await owner.get(`/v1/enrollments?programId=${p.id}&status=applied`)).json();
    expect((await owner.get(`/v1/programs/${p.id}`)).json().enrollmentCounts).toEqual({ applied: 2 });
    expect(queue.items).toHaveLength(2);
    expect(queue.items[0].partner.name).toBe("Zebra Reviews");
    expect(queue.items[0].program.name).toBe("Acme Affiliates");
    const searched = (await owner.get(`/v1/enrollments?programId=${p.id}&q=zebra`)).json();
    expect(searched.items.map((e: { applicantEmail: string }) => e.applicantEmail)).toEqual(["queue2@partner.test"]);
    const paged = (await owner.get(`/v1/enrollments?programId=${p.id}&limit=1`)).json();
    expect(paged.items).toHaveLength(1);
    const next = (await owner.get(`/v1/enrollments?programId=${p.id}&limit=1&cursor=${paged.nextCursor}`)).json();
    expect(next.items[0].applicantEmail).toBe("queue1@partner.test");
    expect(next.nextCursor).toBeNull();
  });

  test("approving a partner who accepted the current terms makes it active; the partner sees it", async () => {
    const partner = t.agent();
    const e = (await apply(partner, "approve@partner.test")).json();
    const approved = await owner.post(`/v1/enrollments/${e.id}/approve`, {});
    expect(approved.statusCode).toBe(200);
    expect(approved.json()).toMatchObject({ status: "active", decidedAt: t.clock.now().toISOString() });
    expect((await partner.get("/v1/portal/enrollments")).json().items[0].status).toBe("active");
  });

  test("when the terms changed since the application, approval waits for the partner to accept them", async () => {
    const p = (await owner.post("/v1/programs", programBody())).json();
    const partner = t.agent();
    const e = (await apply(partner, "terms@partner.test", {}, p)).json();
    await owner.patch(`/v1/programs/${p.id}`, { termsText: "Terms v2: no coupon sites." });
    expect((await owner.post(`/v1/enrollments/${e.id}/approve`, {})).json().status).toBe("approved");
    const mine = (await partner.get("/v1/portal/enrollments")).json().items[0];
    expect(mine).toMatchObject({ status: "approved", needsTermsAcceptance: true, programDetails: { termsVersion: 2 } });
    const stale = await partner.post(`/v1/portal/enrollments/${e.id}/accept-terms`, { termsVersion: 1 });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().currentTermsVersion).toBe(2);
    t.clock.advance(60_000);
    const accepted = await partner.post(`/v1/portal/enrollments/${e.id}/accept-terms`, { termsVersion: 2 });
    expect(accepted.json()).toMatchObject({
      status: "active",
      termsVersionAccepted: 2,
      termsAcceptedAt: t.clock.now().toISOString(),
    });
  });

  test("reject, suspend and terminate need a reason; an invalid transition is a 409 naming the current state", async () => {
    const e = (await apply(t.agent(), "states@partner.test")).json();
    const noReason = await owner.post(`/v1/enrollments/${e.id}/reject`, {});
    expect(noReason.statusCode).toBe(422);
    expect(noReason.json().errors).toEqual([{ field: "/reason", message: "a reason is required to reject" }]);
    const suspendApplied = await owner.post(`/v1/enrollments/${e.id}/suspend`, { reason: "x" });
    expect(suspendApplied.statusCode).toBe(409);
    expect(suspendApplied.json()).toMatchObject({ code: "invalid_state", currentStatus: "applied" });
    expect(suspendApplied.json().detail).toContain("applied");

    expect((await owner.post(`/v1/enrollments/${e.id}/approve`, {})).json().status).toBe("active");
    expect((await owner.post(`/v1/enrollments/${e.id}/suspend`, { reason: "brand bidding" })).json()).toMatchObject({
      status: "suspended",
      statusReason: "brand bidding",
    });
    expect((await owner.post(`/v1/enrollments/${e.id}/activate`, {})).json().status).toBe("active");
    expect((await owner.post(`/v1/enrollments/${e.id}/terminate`, { reason: "fraud" })).json()).toMatchObject({
      status: "terminated",
      statusReason: "fraud",
    });
    const after = await owner.post(`/v1/enrollments/${e.id}/activate`, {});
    expect(after.json().currentStatus).toBe("terminated");
  });

  test("a rejected applicant sees the outcome and the reason in the portal", async () => {
    const partner = t.agent();
    const e = (await apply(partner, "rejected@partner.test")).json();
    await owner.post(`/v1/enrollments/${e.id}/reject`, { reason: "audience too small" });
    const mine = (await partner.get("/v1/portal/enrollments")).json().items[0];
    expect(mine).toMatchObject({ status: "rejected", statusReason: "audience too small", needsTermsAcceptance: false });
  });

  test("a signed-in partner finds open programs and applies to another one from the portal", async () => {
    const second = (await owner.post("/v1/programs", programBody({ applicationQuestions: [] }))).json();
    const partner = t.agent();
    await apply(partner, "portal@partner.test");
    const open = (await partner.get("/v1/portal/programs")).json().items as { slug: string; enrolled: boolean }[];
    expect(open.find((p) => p.slug === program.slug)?.enrolled).toBe(true);
    expect(open.find((p) => p.slug === second.slug)?.enrolled).toBe(false);
    const r = await partner.post(`/v1/portal/programs/${second.slug}/applications`, { acceptTerms: true });
    expect(r.statusCode).toBe(201);
    expect(
      (await partner.post(`/v1/portal/programs/${second.slug}/applications`, { acceptTerms: true })).statusCode,
    ).toBe(409);
    expect((await partner.get("/v1/portal/enrollments")).json().items).toHaveLength(2);
  });
});

describe("portal sign-in and profile", () => {
  test("sign in, edit the organisation, change password, sign out", async () => {
    await apply(t.agent(), "profile@partner.test");
    const partner = t.agent();
    expect(
      (await partner.post("/v1/portal/auth/login", { email: "profile@partner.test", password: "wrong password" }))
        .statusCode,
    ).toBe(401);
    const login = await partner.post("/v1/portal/auth/login", { email: "profile@partner.test", password: PASSWORD });
    expect(login.statusCode).toBe(200);
    expect(login.json().user.email).toBe("profile@partner.test");
    const edited = await partner.patch("/v1/portal/partner", {
      name: "Profile Media GmbH",
      contacts: [{ name: "Pat", email: "pat@partner.test" }],
    });
    expect(edited.json()).toMatchObject({
      name: "Profile Media GmbH",
      contacts: [{ name: "Pat", email: "pat@partner.test" }],
    });
    expect((await partner.patch("/v1/portal/partner", { country: "Germany" })).statusCode).toBe(422);
    expect(
      (await partner.post("/v1/portal/auth/password", { currentPassword: PASSWORD, newPassword: "my new portal pass" }))
        .statusCode,
    ).toBe(200);
    expect((await partner.post("/v1/portal/auth/logout")).statusCode).toBe(200);
    expect((await partner.get("/v1/portal/me")).statusCode).toBe(401);
    expect(
      (await t.agent().post("/v1/portal/auth/login", { email: "profile@partner.test", password: "my new portal pass" }))
        .statusCode,
    ).toBe(200);
  });

  test("a team session is not a portal session, and a portal session is not a console session", async () => {
    const partner = t.agent();
    await apply(partner, "separate@partner.test");
    expect((await partner.get("/v1/programs")).statusCode).toBe(401);
    expect((await owner.get("/v1/portal/me")).statusCode).toBe(401);
  });
});

describe("invitations", () => {
  test("an invited partner joins approved, and active once the terms are accepted; the link works once", async () => {
    const created = await owner.post(`/v1/programs/${program.id}/invitations`, { email: "Invited@Partner.test" });
    expect(created.statusCode).toBe(201);
    const { token, url, invitation } = created.json();
    expect(url).toBe(`/portal/invite/${token}`);
    expect(invitation).toMatchObject({ email: "invited@partner.test", status: "pending" });
    const info = await t.agent().get(`/v1/public/invitations/${token}`);
    expect(info.json()).toMatchObject({ email: "invited@partner.test", program: { slug: program.slug } });

    const invitee = t.agent();
    const body = { password: PASSWORD, name: "Ivy", company: "Invited Co", acceptTerms: true };
    expect(
      (await invitee.post(`/v1/public/invitations/${token}/accept`, { ...body, acceptTerms: false })).statusCode,
    ).toBe(422);
    const accepted = await invitee.post(`/v1/public/invitations/${token}/accept`, body);
    expect(accepted.statusCode).toBe(201);
    expect(accepted.json()).toMatchObject({
      status: "active",
      source: "invitation",
      applicantEmail: "invited@partner.test",
    });
    expect((await invitee.get("/v1/portal/me")).json().partner.name).toBe("Invited Co");

    const reuse = await t.agent().post(`/v1/public/invitations/${token}/accept`, body);
    expect(reuse.statusCode).toBe(409);
    expect(reuse.json().invitationStatus).toBe("accepted");
    const listed = (await owner.get(`/v1/programs/${program.id}/invitations`)).json().items;
    expect(listed.find((i: { id: string }) => i.id === invitation.id).status).toBe("accepted");
  });

  test("a pending invitation can be revoked; its link then stops working", async () => {
    const { token, invitation } = (
      await owner.post(`/v1/programs/${program.id}/invitations`, { email: "revoked@partner.test" })
    ).json();
    const revoked = await owner.post(`/v1/invitations/${invitation.id}/revoke`, {});
    expect(revoked.json().status).toBe("revoked");
    expect((await t.agent().get(`/v1/public/invitations/${token}`)).json().invitationStatus).toBe("revoked");
    expect((await owner.post(`/v1/invitations/${invitation.id}/revoke`, {})).statusCode).toBe(409);
  });

  test("an expired invitation is refused", async () => {
    const { token } = (
      await owner.post(`/v1/programs/${program.id}/invitations`, { email: "late@partner.test", expiresInDays: 1 })
    ).json();
    t.clock.advance(2 * 86_400_000);
    const r = await t.agent().get(`/v1/public/invitations/${token}`);
    expect(r.statusCode).toBe(409);
    expect(r.json().invitationStatus).toBe("expired");
    expect((await t.agent().get("/v1/public/invitations/not-a-real-token-at-all")).statusCode).toBe(404);
  });
});
