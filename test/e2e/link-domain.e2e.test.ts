import { afterAll, beforeAll, describe, expect, test } from "vitest";
import {
  arrangeShopProgram,
  type BrowserStage,
  callApi,
  defaultLinkSlug,
  openBrowserStage,
  pageRecordingErrors,
  shot,
} from "./browser-kit.js";

const owner = { name: "Nora Owner", email: "nora@branded.test", password: "correct-horse-battery" };
const partner = {
  name: "Omar Partner",
  email: "omar@branded.test",
  password: "omar-partner-secret-42",
  company: "Omar Reviews",
};
const program = { name: "Shop Brand", slug: "shop-brand" };

// Only the e2e config sets this; a plain `vitest run` that picks the file up skips it.
describe.skipIf(!process.env.TRIBUTARY_E2E)("a program's link domain", () => {
  let stage: BrowserStage;
  let programId = "";
  let enrollmentId = "";

  beforeAll(async () => {
    stage = await openBrowserStage(owner, {
      contexts: { viewport: { width: 1280, height: 900 } },
      partnerOnly: { permissions: ["clipboard-read", "clipboard-write"] },
    });
    const arranged = await arrangeShopProgram(stage, program, partner, { landingPage: true });
    programId = arranged.programId;
    enrollmentId = arranged.enrollment.id;
  });
  afterAll(() => stage?.close());

  test("set in the tracking settings, partners copy their links on it and the install page loads the snippet from it", async () => {
    const errors: string[] = [];
    const admin = await pageRecordingErrors(stage.owner, errors);
    await admin.goto(`/admin/programs/${programId}/tracking`);
    const field = admin.getByLabel("Link domain");
    // A URL pasted instead of a host name is refused at the field, saying what is expected.
    await field.fill("https://go.shop.example/");
    await admin.getByRole("button", { name: "Save tracking settings" }).click();
    await admin.getByText("is not a host name like go.example.com").first().waitFor();
    await field.fill("go.shop.example");
    await admin.getByText("https://go.shop.example/r/…").waitFor();
    await admin.getByRole("button", { name: "Save tracking settings" }).click();
    await admin.getByText("Tracking settings saved").waitFor();
    await shot(admin, "link-domain-settings");

    await admin.goto(`/admin/programs/${programId}/install`);
    // The page's own aside and the console's sidebar are two landmarks of one kind: each has a name of its own.
    await admin.getByRole("complementary", { name: "Console sidebar" }).waitFor();
    const snippet = admin.getByRole("figure", { name: "Site snippet" });
    expect(await snippet.locator("pre").textContent()).toBe(
      `<script src="https://go.shop.example/t.js" data-program="${program.slug}" async></script>`,
    );

    const portal = await pageRecordingErrors(stage.partner, errors);
    const slug = await defaultLinkSlug(stage.partner);
    await portal.goto("/portal/links");
    const copy = portal.getByRole("button", { name: `Copy link for ${program.name}` });
    await copy.click();
    await copy.getByText("Copied").waitFor();
    expect(await portal.evaluate(() => navigator.clipboard.readText())).toBe(`https://go.shop.example/r/${slug}`);
    await portal.getByText("https://go.shop.example/r/", { exact: true }).first().waitFor();
    await shot(portal, "link-domain-portal-links");

    // The portal's home has each partnership's main link to copy too, with the way to all of them.
    await portal.evaluate(() => navigator.clipboard.writeText(""));
    await portal.goto("/portal");
    const card = portal.getByRole("article", { name: program.name });
    const homeCopy = card.getByRole("button", { name: `Copy link for ${program.name}` });
    await homeCopy.click();
    await homeCopy.getByText("Copied").waitFor();
    expect(await portal.evaluate(() => navigator.clipboard.readText())).toBe(`https://go.shop.example/r/${slug}`);
    await card.getByText(/^Last 30 days:/).waitFor();
    await shot(portal, "link-domain-portal-home");
    await card.getByRole("link", { name: /^All your links/ }).click();
    await portal.getByRole("heading", { name: "Links", exact: true }).waitFor();

    // Disabling a custom link asks first, in the partner's words; confirmed, the link is disabled.
    await callApi(stage.partner, "POST", `/v1/portal/enrollments/${enrollmentId}/links`, {
      slug: "spring-beans",
      destinationUrl: "https://shop.example/spring",
    });
    await portal.reload();
    await portal.getByRole("button", { name: "Disable /r/spring-beans" }).click();
    const confirm = portal.getByRole("dialog", { name: "Disable /r/spring-beans?" });
    await confirm.getByText("your audience included").waitFor();
    await confirm.getByRole("button", { name: "Disable link" }).click();
    await portal.getByRole("button", { name: "Enable /r/spring-beans" }).waitFor();
    expect(errors).toEqual([]);
  });
});
