import { join } from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { launchChromium, SHOTS } from "./browser-kit.js";
import { type E2eServer, startE2eServer } from "./e2e-server.js";

const owner = { name: "Grace Owner", email: "grace@vendor.test", password: "correct-horse-battery" };
const applicant = {
  name: "Paula Partner",
  email: "paula@brightlane.test",
  password: "brightlane-secret-42",
  company: "Brightlane Media",
};
const program = { name: "Northwind Partners", slug: "northwind-partners", question: "Where will you promote us?" };

// Only the e2e config sets this; a plain `vitest run` that picks the file up skips it.
describe.skipIf(!process.env.TRIBUTARY_E2E)("onboarding in a real browser", () => {
  let server: E2eServer;
  let browser: Browser;
  let ownerContext: BrowserContext;
  let partnerContext: BrowserContext;

  const shot = (page: Page, name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });

  beforeAll(async () => {
    server = await startE2eServer();
    browser = await launchChromium();
    const options = { baseURL: server.baseUrl, viewport: { width: 1360, height: 860 } };
    ownerContext = await browser.newContext(options);
    partnerContext = await browser.newContext(options);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  test("owner sets up, partner applies, owner approves, partner signs in and is active", async () => {
    const admin = await ownerContext.newPage();
    const errors: string[] = [];
    admin.on("pageerror", (error) => errors.push(error.message));

    // First run: the console asks for the owner account.
    await admin.goto("/admin");
    await admin.getByRole("heading", { name: "Create the owner account" }).waitFor();
    await shot(admin, "01-first-run");
    await admin.getByLabel("Your name").fill(owner.name);
    await admin.getByLabel("Work email").fill(owner.email);
    await admin.getByLabel("Password").fill(owner.password);
    await admin.getByRole("button", { name: "Create owner account" }).click();
    await admin.getByRole("heading", { name: "Create your first program" }).waitFor();
    await shot(admin, "02-programs-empty");

    // A program with one required custom question.
    await admin.getByRole("link", { name: "New program" }).click();
    await admin.getByRole("heading", { name: "New program" }).waitFor();
    await admin.getByLabel("Program name").fill(program.name);
    expect(await admin.getByLabel("Public page address").inputValue()).toBe(program.slug);
    await admin.getByLabel("Description").fill("Earn 25% on every customer you refer to Northwind.");
    await admin.getByRole("button", { name: "Add question" }).click();
    const question = admin.getByRole("group", { name: "Question 1" });
    await question.getByRole("textbox", { name: "Question", exact: true }).fill(program.question);
    await question.getByLabel("Answer type").selectOption("select");
    await question.getByLabel("Choices").fill("Blog\nNewsletter\nYouTube");
    expect(await question.getByLabel("Required").isChecked()).toBe(true);
    await admin.getByLabel("Program terms").fill("1. Promote Northwind honestly.\n2. Commissions are paid monthly.");
    await shot(admin, "03-program-form");
    await admin.getByRole("button", { name: "Create program" }).click();
    await admin.getByRole("heading", { name: program.name, level: 1 }).waitFor();
    await admin.getByRole("textbox", { name: "Application link" }).waitFor();
    expect(await admin.getByRole("textbox", { name: "Application link" }).inputValue()).toBe(
      `${server.baseUrl}/apply/${program.slug}`,
    );
    await shot(admin, "04-program-detail");

    // The public application page, in another browser context.
    const apply = await partnerContext.newPage();
    apply.on("pageerror", (error) => errors.push(error.message));
    await apply.goto(`/apply/${program.slug}`);
    await apply.getByRole("heading", { name: program.name, level: 1 }).waitFor();
    await apply.getByLabel("Your name").fill(applicant.name);
    await apply.getByLabel("Email").fill(applicant.email);
    await apply.getByLabel("Password").fill(applicant.password);
    await apply.getByLabel("Company").fill(applicant.company);
    await apply.getByLabel("Partner type").selectOption("affiliate");
    await apply.getByLabel("Country").selectOption("DE");
    await apply.getByLabel("Website").fill("https://brightlane.test");
    await apply.getByLabel(program.question).selectOption("Newsletter");
    await apply.getByLabel(`I accept the ${program.name} terms`).check();
    await shot(apply, "05-apply");
    await apply.getByRole("button", { name: "Submit application" }).click();
    await apply.waitForURL(/\/portal$/);
    const pending = apply.getByRole("article", { name: program.name });
    await pending.getByText("Under review", { exact: true }).waitFor();
    await shot(apply, "06-portal-under-review");

    // The owner reviews the application and approves it.
    await admin.getByRole("link", { name: /^Applications/ }).click();
    await admin.getByRole("link", { name: `Review ${applicant.company}` }).waitFor();
    await shot(admin, "07-applications");
    await admin.getByRole("link", { name: `Review ${applicant.company}` }).click();
    await admin.getByRole("heading", { name: "Application answers" }).waitFor();
    await admin.getByText(program.question).waitFor();
    await admin.getByText("Newsletter", { exact: true }).waitFor();
    await shot(admin, "07-application");
    await admin.getByRole("button", { name: "Approve" }).click();
    await admin.getByText(`${applicant.company} approved in ${program.name}`, { exact: false }).waitFor();
    await admin.getByRole("heading", { name: "You're all caught up" }).waitFor();
    await admin.getByRole("link", { name: /^Partners/ }).click();
    await admin.getByRole("link", { name: applicant.company }).waitFor();
    await shot(admin, "08-partners");
    await admin.getByRole("link", { name: applicant.company }).click();
    await admin.getByRole("heading", { name: applicant.company, level: 1 }).waitFor();
    await admin.getByRole("cell", { name: "Active" }).waitFor();
    await shot(admin, "08-partner-detail");
    await admin.getByRole("link", { name: /^Audit log/ }).click();
    await admin.getByText("enrollment.approve").first().waitFor();
    await shot(admin, "09-audit-log");

    // The partner signs out, signs back in and finds the program active.
    await apply.getByRole("button", { name: "Sign out" }).click();
    await apply.getByRole("heading", { name: "Partner sign in" }).waitFor();
    await apply.getByLabel("Email").fill(applicant.email);
    await apply.getByLabel("Password").fill(applicant.password);
    await apply.getByRole("button", { name: "Sign in" }).click();
    await apply.getByRole("heading", { name: "My programs" }).waitFor();
    const active = apply.getByRole("article", { name: program.name });
    await active.getByText("Active", { exact: true }).waitFor();
    expect(await active.getByText("Under review").count()).toBe(0);
    await shot(apply, "10-portal-active");

    expect(errors).toEqual([]);
  });
});
