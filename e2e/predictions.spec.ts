// Predictions before data and the dashboard by condition: a two-condition study made in the form
// (blocks of 4 vs blocks of 16, same total) shows the model's predicted curves per condition on
// its page before anyone takes part, exports them with their seeds, and after one participant the
// dashboard offers each condition's view (observed vs predicted) and condition vs condition.
import { expect, test, type Page } from "@playwright/test";

import { completeParticipantRun, signInDemo } from "./helpers";

const field = (page: Page, name: string) => page.locator(`[name="${name}"]`);
const shots = process.env.E2E_SHOTS_DIR;
const snap = async (page: Page, name: string) => {
  if (shots) await page.screenshot({ path: `${shots}/${name}.png`, fullPage: true });
};

test("a two-condition study shows predicted curves before any participant, then the dashboard by condition", async ({
  page,
}) => {
  test.setTimeout(300_000);
  await signInDemo(page, "/studies/new");
  const slug = `pred-${Date.now().toString(36)}`;
  await page.getByLabel("Title").fill("Block length predictions");
  await page.getByLabel("Slug", { exact: true }).fill(slug);
  await field(page, "config.blocks").fill("12");
  await field(page, "config.trialsPerBlock").fill("4");
  await field(page, "config.practice.trials").fill("0");
  await page.getByRole("button", { name: "Add condition" }).click();
  await page.getByRole("button", { name: "Add condition" }).click();
  await field(page, "config.conditions.0.name").fill("short");
  await field(page, "config.conditions.1.name").fill("long");
  await field(page, "config.conditions.1.blocks").fill("3");
  await field(page, "config.conditions.1.trialsPerBlock").fill("16");
  await page.getByRole("button", { name: "Create study" }).click();
  await expect(page).toHaveURL(/\/studies\/(?!new\b)[a-z0-9]+$/);
  const studyId = new URL(page.url()).pathname.split("/")[2];

  // The save queued the prediction; the page follows it and shows both conditions when done.
  await expect(page.getByTestId("prediction-short")).toBeVisible({ timeout: 120_000 });
  await expect(page.getByTestId("prediction-long")).toBeVisible();
  await expect(page.getByTestId("prediction-short")).toContainText("12 blocks × 4 trials");
  await expect(page.getByTestId("prediction-long")).toContainText("3 blocks × 16 trials");
  await expect(page.getByTestId("prediction-panel-long-flexible")).toContainText("Flexible model");
  await expect(page.getByTestId("prediction-costs").locator("tbody tr")).toHaveCount(4);
  await expect(page.getByTestId("prediction-trend-loss")).toBeVisible();
  await expect(page.getByTestId("predictions-none")).toHaveCount(0);
  await snap(page, "study-predictions");

  // exported with the seeds, before any run exists
  const exported = await page.request.get(`/api/studies/${studyId}/predictions?format=json`);
  expect(exported.status()).toBe(200);
  const body = (await exported.json()) as {
    conditions: { condition: string; seeds: { participantSeed: number }[]; design: object }[];
  };
  expect(body.conditions.map((c) => c.condition)).toEqual(["short", "long"]);
  expect(body.conditions[0].seeds).toHaveLength(10);
  const csv = await (
    await page.request.get(`/api/studies/${studyId}/predictions?format=csv`)
  ).text();
  expect(csv.split("\n")[0]).toContain("condition,blocks,trialsPerBlock,preset,curve");

  // one participant, then the dashboard by condition
  await page.getByTestId("status-button").click();
  await expect(page.getByTestId("study-status")).toHaveText("open");
  await completeParticipantRun(page.request, slug, "p1");
  await page.goto(`/studies/${studyId}`);
  const condition = (await page.getByTestId("run-condition").first().innerText()).trim();
  expect(["short", "long"]).toContain(condition);
  await page.goto(`/studies/${studyId}/dashboard`);
  await expect(page.getByTestId("condition-options")).toBeVisible();
  await expect(page.getByTestId("condition-compare")).toBeVisible();
  await expect(page.getByTestId("compare-row")).toHaveCount(6);
  await expect(page.getByTestId("compare-error-human")).toBeVisible();
  await snap(page, "dashboard-compare");
  await page.getByTestId(`condition-link-${condition}`).click();
  await expect(page).toHaveURL(new RegExp(`condition=${condition}`));
  // the API participant errs on half of each 4-trial block: flagged as near chance, so put back
  await page.goto(`${page.url()}&flagged=include`);
  await expect(page.getByTestId("dashboard-counts")).toContainText("1 participant");
  await expect(page.getByTestId("prediction-overlay")).toBeVisible();
  await expect(page.getByTestId("overlay-error")).toContainText("predicted");
  await expect(page.getByTestId("condition-compare")).toHaveCount(0);
  await snap(page, `dashboard-${condition}`);
});
