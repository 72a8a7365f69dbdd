// Dashboards end to end: a participant completes the short study through the participant API, the
// in-app job worker runs both model presets on that run, and the researcher sees participants and
// both models side by side (Fig. 8 view), the participant page, and the paper reproduction.
import { expect, test } from "@playwright/test";

import { completeParticipantRun, signInDemo } from "./helpers";

test("the Fig. 8 dashboard shows the participant and both model streams side by side", async ({
  page,
  request,
}) => {
  test.setTimeout(300_000);
  await completeParticipantRun(request, "e2e-short");
  await signInDemo(page);
  await page.getByRole("link", { name: "E2E e2e-short" }).click();
  await expect(page).toHaveURL(/\/studies\/[^/]+$/);
  const studyUrl = new URL(page.url()).pathname;
  await page.goto(`${studyUrl}/dashboard`);
  await expect(page.getByRole("heading", { name: /Switch dashboard/ })).toBeVisible();

  // The in-app worker learns the completed run's curriculum with both presets.
  await expect(async () => {
    await page.reload();
    await expect(page.getByTestId("dashboard-counts")).toContainText("1 flexible and 1 forgetful", {
      timeout: 1000,
    });
  }).toPass({ timeout: 180_000, intervals: [2000] });
  await expect(page.getByTestId("dashboard-counts")).toContainText("1 participant ·");

  // 3 blocks → 2 switches → one line per switch in every recovery chart, in all three panels.
  for (const key of ["human", "flexible", "forgetful"]) {
    const chart = page.getByTestId(`recovery-error-${key}`);
    await expect(chart.locator(".recharts-line-curve")).toHaveCount(2);
    await expect(page.getByTestId(`recovery-error-${key}-legend`).locator("li")).toHaveText([
      "switch 1",
      "switch 2",
    ]);
    await expect(
      page.getByTestId(`recovery-second-${key}`).locator(".recharts-line-curve"),
    ).toHaveCount(2);
  }
  await expect(page.getByTestId("trend-error-legend").locator("li")).toHaveText([
    "Participants",
    "Flexible model",
    "Forgetful model",
  ]);
  // The participant erred on both first trials after each switch: 100 % at position 1 in the table.
  await expect(page.getByTestId("costs-table").locator("tbody tr").first()).toContainText("100.0");
  await expect(page.getByTestId("exclusions")).toContainText("Anticipations");
  await page.getByTestId("run-models-all").click();
  await expect(page.getByText("Every completed run already has its model streams.")).toBeVisible();
  await page.screenshot({ path: "e2e/screenshots/dashboard-study.png", fullPage: true });

  // The participant page: trial timeline with the model's loss and gates, and a browser run.
  await page.getByTestId("run-link").first().click();
  await expect(page.getByRole("heading", { name: /Participant #/ })).toBeVisible();
  await expect(page.getByTestId("timeline-accuracy").locator(".recharts-line-curve")).toHaveCount(
    1,
  );
  await expect(page.getByTestId("timeline-loss").locator(".recharts-line-curve")).toHaveCount(2);
  await expect(page.getByTestId("timeline-gates").locator(".recharts-line-curve")).toHaveCount(4);
  await expect(
    page.getByTestId("timeline-accuracy").locator(".recharts-reference-area"),
  ).toHaveCount(1);
  await page.getByTestId("run-in-browser").click();
  await expect(page.getByTestId("browser-status")).toContainText("Both streams stored", {
    timeout: 120_000,
  });
  await page.screenshot({ path: "e2e/screenshots/dashboard-participant.png", fullPage: true });
});

test("the paper page runs Fig. 8B in the browser and shows numbers beside the paper's bands", async ({
  page,
}) => {
  test.setTimeout(300_000);
  await signInDemo(page);
  await page.goto("/paper");
  await page.getByTestId("seeds-fig8").fill("2");
  await page.getByTestId("run-fig8").click();
  await expect(page.getByTestId("paper-progress")).toBeVisible();
  const bands = page.getByTestId("fig8-bands");
  await expect(bands).toBeVisible({ timeout: 240_000 });
  const measured = await bands.locator("tbody tr td:nth-child(3)").allTextContents();
  expect(measured.length).toBeGreaterThanOrEqual(6);
  expect(measured.every((m) => /^-?\d+\.\d{3}$/.test(m))).toBe(true);
  await expect(page.getByTestId("fig8b-flexible").locator(".recharts-line-curve")).toHaveCount(4);
  await page.screenshot({ path: "e2e/screenshots/dashboard-paper.png", fullPage: true });
});

test("dashboard pages redirect signed-out visitors to the login page", async ({ page }) => {
  await page.goto("/paper");
  await expect(page).toHaveURL(/\/login\?callbackUrl=%2Fpaper/);
  await page.goto("/studies/some-id/dashboard");
  await expect(page).toHaveURL(/\/login\?callbackUrl=/);
});
