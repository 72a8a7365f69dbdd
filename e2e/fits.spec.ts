// Model fits end to end: a participant completes the short study through the participant API, the
// owner fits that participant from its run page (the in-app job worker runs the "fit" job), sees
// every model's parameters (NTA variants and baselines), the verdict, BICs and the posterior
// predictive chart, then the participant's row on the study dashboard and a study-wide fit with the
// keys-only link, in which a random responder is flagged at chance and left out of the sums. A
// stranger cannot queue fits.
import { expect, test, type APIRequestContext, type Page } from "@playwright/test";

const DEMO = { email: "demo@nta.lab", password: "demo-password" };
const STRANGER = { email: "stranger@nta.lab", password: "stranger-password" }; // scripts/seed-e2e.ts

async function signIn(page: Page, who: { email: string; password: string }) {
  await page.goto("/login");
  await page.getByLabel("Email").fill(who.email);
  await page.getByLabel("Password").fill(who.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/studies$/);
}

type CurriculumTrial = {
  trialIndex: number;
  blockIndex: number;
  trialInBlock: number;
  stimulus: string;
  correctResponse: string;
};

/**
 * One participant through the participant API. "switcher": errs on the first trial after each
 * switch, slower right after a switch; "random": right on every other trial, whatever the rule.
 */
async function completeParticipantRun(
  request: APIRequestContext,
  participant: string,
  kind: "switcher" | "random" = "switcher",
) {
  const entry = await request.get(`/s/e2e-fits?participant=${participant}`, { maxRedirects: 0 });
  expect(entry.status()).toBe(303);
  const token = entry.headers()["location"].split("/run/")[1];
  const run = (await (await request.get(`/api/runs/${token}?include=curriculum`)).json()) as {
    curriculum: { trials: CurriculumTrial[] };
  };
  const other = (key: string) => (key === "f" ? "j" : "f");
  const trials = run.curriculum.trials.map((t) => {
    const correct =
      kind === "random"
        ? t.trialIndex % 2 === 0
        : !(t.blockIndex > 0 && t.trialInBlock === 0) && t.trialIndex % 7 !== 3;
    return {
      ...t,
      phase: "main",
      response: correct ? t.correctResponse : other(t.correctResponse),
      correct,
      rtMs: 480 + 35 * ((t.trialIndex * 5) % 7) + (t.trialInBlock === 0 ? 250 : 0),
    };
  });
  expect((await request.post(`/api/runs/${token}/trials`, { data: { trials } })).status()).toBe(
    200,
  );
  expect((await request.post(`/api/runs/${token}/complete`)).status()).toBe(200);
}

const finite = (s: string) => /^-?\d+(\.\d+)?(e[-+]\d+)?$/.test(s.trim());

test("the owner fits a participant and sees every model, the verdict, the PPC chart and the study's rows, a random responder flagged", async ({
  page,
  request,
  browser,
}, testInfo) => {
  test.setTimeout(480_000);
  const participant = `fit-e2e-${Date.now()}`;
  await completeParticipantRun(request, participant);
  const randomResponder = `fit-e2e-random-${Date.now()}`;
  await completeParticipantRun(request, randomResponder, "random");
  await signIn(page, DEMO);
  await page.getByRole("link", { name: "E2E e2e-fits" }).click();
  await expect(page).toHaveURL(/\/studies\/[^/]+$/);
  const studyPath = new URL(page.url()).pathname;
  const studyId = studyPath.split("/").pop()!;

  // Our participant's run page.
  await page.goto(`${studyPath}/dashboard`);
  await page.getByTestId("run-link").filter({ hasText: participant }).click();
  await expect(page).toHaveURL(/\/runs\/[^/]+$/);
  const runId = new URL(page.url()).pathname.split("/").pop()!;
  const panel = page.getByTestId("fit-panel-run");
  await expect(panel).toBeVisible();
  await expect(panel.getByTestId("fit-link")).toHaveValue("ddm");

  // A stranger researcher gets 404 for this study's fits (before anything is queued).
  const stranger = await browser.newContext({ baseURL: testInfo.project.use.baseURL });
  const strangerPage = await stranger.newPage();
  await signIn(strangerPage, STRANGER);
  expect(
    (await strangerPage.request.post(`/api/studies/${studyId}/fits`, { data: { runId } })).status(),
  ).toBe(404);
  expect((await strangerPage.request.get(`/api/studies/${studyId}/fits`)).status()).toBe(404);
  await stranger.close();

  const t0 = Date.now();
  await panel.getByTestId("fit-start").click();
  await expect(panel.getByTestId("fit-progress")).toBeVisible();
  await expect(panel.getByTestId("fit-start")).toBeDisabled();
  // The job waits behind this run's model-stream jobs, then fits both models (RT + keys).
  await expect(panel.getByTestId("fit-progress")).toHaveAttribute("data-status", "done", {
    timeout: 300_000,
  });
  console.log(`participant fit: ${((Date.now() - t0) / 1000).toFixed(1)} s from click to done`);
  await expect(panel.getByTestId("fit-job-error")).toHaveCount(0);

  const params = panel.getByTestId("fit-params");
  await expect(params).toBeVisible();
  for (const model of [
    "NTA flexible",
    "NTA forgetful",
    "chance + key bias",
    "rule-knower, constant switch cost",
    "rule-knower, practice-dependent switch cost",
  ])
    await expect(params.locator("thead")).toContainText(model);
  for (const symbol of ["τ_w", "τ_c", "τ_c/τ_w", "λ", "κ", "w₀", "γ", "β", "lapse", "A", "T_er"])
    await expect(params.locator("tbody")).toContainText(symbol);
  const bic = await panel.getByTestId("fit-bic-row").locator("td").allTextContents();
  expect(bic).toHaveLength(6);
  expect(bic.slice(1).every(finite), bic.join(" | ")).toBe(true);
  // Every estimate cell of both models holds a finite number (possibly with an interval after it).
  const rows = params.locator("tbody tr");
  const n = await rows.count();
  for (let i = 0; i < n; i++) {
    const cells = await rows.nth(i).locator("td").allTextContents();
    for (const c of cells.slice(1))
      if (c !== "–") expect(finite(c.split(/[ [(]/)[0]), `${cells[0]}: ${c}`).toBe(true);
  }
  await expect(panel.getByTestId("fit-preferred")).toHaveText(/^(flexible|forgetful)$/);
  await expect(panel.getByTestId("fit-best")).not.toBeEmpty();
  await expect(panel).toContainText("RT + keys");
  await expect(panel.getByTestId("fit-verdict").first()).toHaveAttribute(
    "data-verdict",
    /^(flexible|forgetful|misfit|at chance)$/,
  );
  await expect(panel.getByTestId("fit-ppc-table")).toContainText("observed");
  await expect(panel.getByTestId("fit-curves").locator("svg").first()).toBeVisible();
  await expect(
    panel.getByTestId("fit-curves").locator(".recharts-line-curve").first(),
  ).toBeVisible();
  await panel.scrollIntoViewIfNeeded();
  await page.screenshot({ path: "/tmp/fit-participant.png", fullPage: true });
  await panel.screenshot({ path: "/tmp/fit-participant-panel.png" });
  await page.screenshot({ path: "e2e/screenshots/fit-participant.png", fullPage: true });

  // The study dashboard lists this participant's fit.
  await page.goto(`${studyPath}/dashboard`);
  const randomHref = await page
    .getByTestId("run-link")
    .filter({ hasText: randomResponder })
    .getAttribute("href");
  const randomRunId = randomHref!.split("/").pop()!;
  const study = page.getByTestId("fit-panel-study");
  const row = study.getByTestId(`fit-row-${runId}`);
  await expect(row).toBeVisible();
  await expect(row).toContainText(/Participant #\d+/);
  await expect(row).toContainText("RT + keys");
  await expect(row).toContainText(/(flexible|forgetful) \((weak|positive|strong)\)/);
  for (const head of [
    "Verdict",
    "BIC flexible",
    "BIC chance",
    "BIC ruleConstant",
    "Practice effect",
  ])
    await expect(study.getByTestId("fit-table").locator("thead")).toContainText(head);
  await expect(study.getByTestId("fit-comparison")).toContainText(/\d+ participants? in the sums/);

  // A study-wide fit with the keys-only link: progress, then every completed participant refitted.
  await study.getByTestId("fit-link").selectOption("choice");
  await study.getByTestId("fit-start").click();
  await expect(study.getByTestId("fit-progress")).toBeVisible();
  await expect(study.getByTestId("fit-progress")).toHaveAttribute("data-status", "done", {
    timeout: 300_000,
  });
  await expect(study.getByTestId("fit-job-error")).toHaveCount(0);
  await expect(row).toContainText("keys only");
  // the random responder: flagged at chance, a weak verdict, listed as excluded from the sums
  const randomRow = study.getByTestId(`fit-row-${randomRunId}`);
  await expect(randomRow.getByTestId("fit-flag-chance")).toBeVisible();
  await expect(randomRow).toContainText("(weak)");
  await expect(study.getByTestId("fit-excluded")).toContainText("Participant #");
  await study.scrollIntoViewIfNeeded();
  await page.screenshot({ path: "/tmp/fit-study.png", fullPage: true });
  await study.screenshot({ path: "/tmp/fit-study-panel.png" });
  await page.screenshot({ path: "e2e/screenshots/fit-study.png", fullPage: true });
});

test("an invalid fit request shows the API's error as text", async ({ page }) => {
  await signIn(page, DEMO);
  await page.getByRole("link", { name: "E2E e2e-redirect" }).click();
  await expect(page).toHaveURL(/\/studies\/[^/]+$/);
  // A study without completed runs: the server answers 422 and the panel says why.
  await page.goto(`${new URL(page.url()).pathname}/dashboard`);
  const study = page.getByTestId("fit-panel-study");
  await expect(study.getByTestId("fit-empty")).toBeVisible();
  await study.getByTestId("fit-start").click();
  await expect(study.getByTestId("fit-error")).toContainText("no completed runs");
});
