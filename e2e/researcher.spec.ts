// Researcher journeys in real Chromium against the production build: sign-in (and staying out),
// creating a study with field-level validation, preview, open/close, live monitor, export, and
// ownership (a second researcher gets 404 for the demo researcher's pages and APIs).
import fs from "node:fs";

import { expect, test, type Browser, type Page } from "@playwright/test";

const DEMO = { email: "demo@nta.lab", password: "demo-password" };
// Seeded by scripts/seed-e2e.ts (run by scripts/e2e-server.mjs) — never in a normal database.
const STRANGER = { email: "stranger@nta.lab", password: "stranger-password" };

async function signIn(page: Page, who: { email: string; password: string }, from = "/login") {
  await page.goto(from);
  await page.getByLabel("Email").fill(who.email);
  await page.getByLabel("Password").fill(who.password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

async function demoStudyId(browser: Browser) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, DEMO);
  await expect(page).toHaveURL(/\/studies$/);
  const href = await page
    .getByRole("link", { name: /Parity \/ magnitude switching \(demo\)/ })
    .getAttribute("href");
  await context.close();
  return href!.split("/").pop()!;
}

test("a signed-out visitor of researcher pages is sent to the login page and back after signing in", async ({
  page,
}) => {
  await page.goto("/studies/new");
  await expect(page).toHaveURL(/\/login\?callbackUrl=/);
  await expect(page.getByRole("heading", { name: "Researcher sign-in" })).toBeVisible();
  await page.screenshot({ path: "e2e/screenshots/researcher-login.png", fullPage: true });
  await page.getByLabel("Email").fill(DEMO.email);
  await page.getByLabel("Password").fill(DEMO.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/studies\/new$/);
  await expect(page.getByTestId("signed-in-as")).toHaveText(DEMO.email);
  // Guarded page loads never re-issue the session cookie: one still in flight at sign-out would
  // otherwise put the cookie back after the sign-out cleared it.
  const guarded = await page.request.get("/studies");
  expect(guarded.status()).toBe(200);
  expect(
    guarded
      .headersArray()
      .filter((h) => h.name.toLowerCase() === "set-cookie" && /session-token/.test(h.value)),
  ).toEqual([]);

  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/login/);
  await expect(page.getByRole("heading", { name: "Researcher sign-in" })).toBeVisible();
  await page.goto("/studies");
  await expect(page).toHaveURL(/\/login\?callbackUrl=/);
  const api = await page.request.get("/api/studies");
  expect(api.status()).toBe(401);
});

test("a wrong password stays out with a message", async ({ page }) => {
  await signIn(page, { email: DEMO.email, password: "not-the-password" });
  await expect(page.getByTestId("login-error")).toHaveText("Wrong email or password.");
  await expect(page).toHaveURL(/\/login/);
  await expect(page.getByLabel("Email")).toHaveValue(DEMO.email);
  await page.screenshot({ path: "e2e/screenshots/researcher-login-wrong.png", fullPage: true });
  await page.goto("/studies");
  await expect(page).toHaveURL(/\/login\?callbackUrl=/);
});

test("after 10 failed attempts on one email from one address, sign-in is refused with a friendly message", async ({
  page,
}) => {
  // An address no other test uses, so the per email + IP counter starts at zero.
  const who = { email: `locked-${Date.now()}@nta.lab`, password: "wrong-password" };
  for (let i = 0; i < 10; i++) {
    await signIn(page, who);
    await expect(page.getByTestId("login-error")).toHaveText("Wrong email or password.");
  }
  await signIn(page, who);
  await expect(page.getByTestId("login-error")).toContainText("Too many sign-in attempts");
  await page.screenshot({
    path: "e2e/screenshots/researcher-login-rate-limited.png",
    fullPage: true,
  });
});

test("the demo researcher creates a study, previews it, opens and closes it, watches a pilot run arrive and exports CSV", async ({
  page,
}) => {
  await signIn(page, DEMO);
  await expect(page).toHaveURL(/\/studies$/);
  await expect(page.getByTestId("studies-table")).toContainText(
    "Parity / magnitude switching (demo)",
  );

  await page.getByRole("link", { name: "New study" }).click();
  await expect(page).toHaveURL(/\/studies\/new$/);
  const slug = `e2e-study-${Date.now().toString(36)}`;
  await page.getByLabel("Title").fill("Switching with short blocks");
  await page.getByLabel("Slug", { exact: true }).fill("Not a slug!");
  await page.getByLabel("Blocks", { exact: true }).fill("1");
  await page.getByLabel("Fixation (ms)").fill("99999");
  await page.getByRole("button", { name: "Create study" }).click();
  await expect(page.getByTestId("form-message")).toContainText("Nothing was saved");
  await expect(page.getByTestId("error-slug")).toContainText("Lower-case letters");
  await expect(page.getByTestId("error-config.blocks")).toHaveText(
    "Blocks must be a whole number from 2 to 100",
  );
  await expect(page.getByTestId("error-config.timing.fixationMs")).toHaveText(
    "Fixation must be a whole number from 0 to 5000 ms",
  );
  await expect(page.getByLabel("Title")).toHaveValue("Switching with short blocks"); // typed values survive
  await page.screenshot({
    path: "e2e/screenshots/researcher-new-study-errors.png",
    fullPage: true,
  });

  await page.getByLabel("Slug", { exact: true }).fill(slug);
  await page.getByLabel("Blocks", { exact: true }).fill("6");
  await page.getByLabel("Trials per block").fill("8");
  await page.getByLabel("Fixation (ms)").fill("400");
  await page.getByRole("button", { name: "Create study" }).click();
  await expect(page).toHaveURL(/\/studies\/(?!new$)[a-z0-9]+$/);
  const studyUrl = page.url();
  const studyId = studyUrl.split("/").pop()!;
  await expect(page.getByRole("heading", { name: /Switching with short blocks/ })).toBeVisible();
  await expect(page.getByTestId("study-status")).toHaveText("draft");
  const preview = page.getByTestId("curriculum-preview");
  await expect(preview).toContainText("48 main trials in 6 blocks");
  await expect(preview.locator("tbody tr")).toHaveCount(13); // 12 trials + the "not shown" gap row
  await expect(preview).toContainText("(switch)");
  await expect(page.getByTestId("participant-link")).toContainText(`/s/${slug}`);
  await expect(page.getByTestId("prolific-link")).toContainText("PROLIFIC_PID={{%PROLIFIC_PID%}}");
  await expect(page.getByTestId("pilot-link")).toContainText(`?pilot=${studyId}`);

  await page.getByRole("link", { name: "← Studies" }).click();
  await expect(page.getByTestId("studies-table")).toContainText("Switching with short blocks");
  await expect(
    page.getByTestId("studies-table").getByRole("row", { name: /Switching with short blocks/ }),
  ).toContainText("draft");
  await page.goto(studyUrl);

  await page.getByTestId("status-button").click();
  await expect(page.getByTestId("study-status")).toHaveText("open");
  await page.getByTestId("status-button").click();
  await expect(page.getByTestId("study-status")).toHaveText("closed");
  await page.getByTestId("status-button").click();
  await expect(page.getByTestId("study-status")).toHaveText("open");

  // A pilot run started elsewhere appears in the live table without reloading this page.
  await expect(page.getByTestId("count-total")).toHaveText("0");
  const entry = await page.request.get(`/s/${slug}?pilot=${studyId}`, { maxRedirects: 0 });
  expect(entry.status()).toBe(303);
  await expect(page.getByTestId("runs-table")).toContainText("pilot", { timeout: 10_000 });
  await expect(page.getByTestId("count-total")).toHaveText("1");
  await expect(page.getByTestId("runs-table")).toContainText("0 / 48");
  await page.screenshot({ path: "e2e/screenshots/researcher-study-overview.png", fullPage: true });

  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByTestId("export-csv").click(),
  ]);
  expect(download.suggestedFilename()).toMatch(
    new RegExp(`^nta-${slug}-trials-\\d{4}-\\d{2}-\\d{2}\\.csv$`),
  );
  const csv = fs.readFileSync((await download.path())!, "utf8");
  // the shareable export: a pseudonym, never the raw recruiter id
  expect(csv.split("\r\n")[0]).toBe(
    "stream,study,participantId,participantIndex,pilot,condition,keyMapping,runConfig,runStatus,runOutcome,runStartedAt,runCompletedAt,codeVersion,consentVersion,qualityFlags,modelPreset,modelSource,modelCanonical,phase,trialIndex,blockIndex,trialInBlock,task,stimulus,correctResponse,congruent,response,correct,rtMs,output,loss,gates",
  );

  await page.getByRole("link", { name: "Edit settings" }).click();
  await expect(page.getByLabel("Blocks", { exact: true })).toHaveValue("6");
  await page.screenshot({ path: "e2e/screenshots/researcher-edit.png", fullPage: true });
  await page.goto("/studies");
  await page.screenshot({ path: "e2e/screenshots/researcher-studies.png", fullPage: true });
});

test("another researcher gets 404 for the demo study's pages and APIs and does not see it listed", async ({
  page,
  browser,
}) => {
  const id = await demoStudyId(browser);
  await signIn(page, STRANGER);
  await expect(page).toHaveURL(/\/studies$/);
  await expect(page.locator("main")).not.toContainText("Parity / magnitude switching (demo)");
  for (const path of [`/studies/${id}`, `/studies/${id}/edit`, `/studies/${id}/dashboard`]) {
    const res = await page.goto(path);
    expect(res?.status(), path).toBe(404);
    await expect(page.getByRole("heading", { name: "Study not found" })).toBeVisible();
    await expect(page.locator("body")).not.toContainText("Parity / magnitude switching (demo)");
  }
  await page.screenshot({ path: "e2e/screenshots/researcher-stranger-404.png", fullPage: true });
  for (const path of [
    `/api/studies/${id}`,
    `/api/studies/${id}/runs`,
    `/api/studies/${id}/export?format=csv`,
    `/api/studies/${id}/export?format=psychds`,
  ]) {
    const res = await page.request.get(path);
    expect(res.status(), path).toBe(404);
  }
  const patch = await page.request.patch(`/api/studies/${id}`, { data: { status: "closed" } });
  expect(patch.status()).toBe(404);
  const owner = await browser.newContext();
  const ownerPage = await owner.newPage();
  await signIn(ownerPage, DEMO);
  await expect(ownerPage).toHaveURL(/\/studies$/);
  const after = await ownerPage.request.get(`/api/studies/${id}`);
  expect((await after.json()).study.status).toBe("open");
  await owner.close();
});
