// A two-condition study made in the form (with a refused condition field on its row), then a
// participant with a counterbalanced key mapping who answers by what their own instructions say:
// the screen, the stored trials and the export (condition, mapping, effective design) agree.
import { expect, test, type Page } from "@playwright/test";

import {
  keyFromInstruction,
  pastInstructions,
  pressOnTrial,
  privateExportRows,
  progress,
  signInDemo,
} from "./helpers";

type Trial = { trialIndex: number; task: string; stimulus: string; correctResponse: string };

const field = (page: Page, name: string) => page.locator(`[name="${name}"]`);

/** Does a digit fit an instruction phrase ("even digits", "digits smaller than 5")? */
const digitFits = (stimulus: string) => (phrase: string) => {
  const n = Number(stimulus);
  return phrase.startsWith("odd")
    ? n % 2 === 1
    : phrase.startsWith("even")
      ? n % 2 === 0
      : phrase.includes("smaller")
        ? n < 5
        : n > 5;
};

test("a two-condition study made in the form runs a participant on their own key mapping", async ({
  page,
  browser,
}) => {
  test.setTimeout(240_000);
  await signInDemo(page, "/studies/new");
  const slug = `cond-${Date.now().toString(36)}`;
  await page.getByLabel("Title").fill("Block length");
  await page.getByLabel("Slug", { exact: true }).fill(slug);
  await field(page, "config.blocks").fill("4");
  await field(page, "config.trialsPerBlock").fill("4");
  await field(page, "config.practice.trials").fill("0");
  await field(page, "config.timing.fixationMs").fill("100");
  await field(page, "config.timing.feedbackMs").fill("100");
  await field(page, "config.timing.itiMs").fill("0");
  // the longest response window: a slow shared test machine must not turn a key press into a miss
  await field(page, "config.timing.responseWindowMs").fill("10000");
  await field(page, "config.keyMapping").selectOption("counterbalance");
  await page.getByRole("button", { name: "Add condition" }).click();
  await page.getByRole("button", { name: "Add condition" }).click();
  await field(page, "config.conditions.0.name").fill("short");
  await field(page, "config.conditions.1.name").fill("long");
  await field(page, "config.conditions.1.blocks").fill("2");
  await field(page, "config.conditions.1.trialsPerBlock").fill("2");
  await page.getByRole("button", { name: "Create study" }).click();
  // refused on that condition's own field, in words; the rows come back as typed
  await expect(page.getByTestId("error-config.conditions.1.trialsPerBlock")).toHaveText(
    "Trials per block must be a whole number from 4 to 200",
  );
  await expect(field(page, "config.conditions.0.name")).toHaveValue("short");
  await field(page, "config.conditions.1.trialsPerBlock").fill("8");
  await page.getByRole("button", { name: "Create study" }).click();
  await expect(page).toHaveURL(/\/studies\/(?!new\b)[a-z0-9]+$/);
  const studyId = new URL(page.url()).pathname.split("/")[2];
  await expect(page.getByTestId("pilot-link-long")).toContainText(`condition=long`);
  await page.getByTestId("status-button").click();
  await expect(page.getByTestId("study-status")).toHaveText("open");

  // Two participants first: one per condition, each in its condition's first cell (keys as
  // registered); the third shares a condition with one of them and gets the next cell (both
  // rules' keys swapped).
  for (const p of ["p1", "p2"]) {
    const r = await page.request.get(`/s/${slug}?participant=${p}`);
    expect(r.status()).toBe(200);
  }
  const context = await browser.newContext({ baseURL: new URL(page.url()).origin });
  const participant = await context.newPage();
  await participant.goto(`/s/${slug}?participant=p3`);
  await expect(participant).toHaveURL(/\/run\/[A-Za-z0-9_-]+$/);
  const token = participant.url().split("/run/")[1];
  const run = await progress(participant, token, "curriculum");
  const curriculum = run.curriculum as unknown as { trials: Trial[] };

  await participant.getByRole("button", { name: "I agree" }).click();
  await participant.getByRole("button", { name: "Go full screen" }).click();
  const rules = {
    parity: (await participant.locator("li", { hasText: "Parity rule" }).innerText()).trim(),
    magnitude: (await participant.locator("li", { hasText: "Magnitude rule" }).innerText()).trim(),
  };
  // the third participant's screen states the swapped mapping
  expect(rules.parity).toMatch(/press F for even digits, J for odd digits\.$/);
  expect(rules.magnitude).toMatch(
    /press F for digits larger than 5, J for digits smaller than 5\.$/,
  );
  await pastInstructions(participant);
  const stimulus = participant.locator("#task-trial-stimulus");
  for (const t of curriculum.trials) {
    await expect(stimulus).toHaveText(t.stimulus);
    const key = keyFromInstruction(rules[t.task as keyof typeof rules], digitFits(t.stimulus));
    await participant.waitForTimeout(160);
    await pressOnTrial(participant, key);
  }
  await expect
    .poll(async () => (await progress(participant, token)).status, { timeout: 30_000 })
    .toBe("completed");
  const saved = await progress(participant, token, "trials");
  // every answer read off the screen is stored as correct: screen and stored trials agree
  expect(saved.trials!.filter((t) => t.phase === "main").map((t) => t.correct)).toEqual(
    curriculum.trials.map(() => true),
  );
  await context.close();

  // The export carries the run's condition, its mapping in the screen's words and its design.
  const rows = await privateExportRows(page, studyId, "p3");
  expect(rows).toHaveLength(16);
  for (const r of rows) {
    expect(["short", "long"]).toContain(r.condition);
    expect(r.keyMapping).toContain("parity: f = even digits, j = odd digits");
    expect(r.correct).toBe("true");
  }
  const design = JSON.parse(rows[0].runConfig) as { trialsPerBlock: number };
  expect(design.trialsPerBlock).toBe(rows[0].condition === "long" ? 8 : 4);
});
