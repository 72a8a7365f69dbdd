// The participant's screens in real Chromium with real key presses, on studies the demo researcher
// creates through the API: consent first for a new run even with Practice trials = 0 (the resume
// screen only after trials were saved), the duration estimate in the consent text, the progress
// bar, full-screen exits / tab switches / resizes recorded with the run and shown on the
// researcher's participant page, the cue-mode break text, the keyboard check before consent on a
// phone, a mistyped pilot link, and the home page not starting a run by itself.
import { devices, expect, test, type Page } from "@playwright/test";

import { estimateDuration } from "../lib/core/duration";
import { studyConfigSchema, type StudyConfigInput } from "../lib/core/study-config";

import { answer, createOpenStudy, enter, progress, researcherPage, startScreens } from "./helpers";

const stamp = Date.now().toString(36);

const shot = (page: Page, name: string) =>
  page.screenshot({ path: `e2e/screenshots/participant-${name}.png` });

const quick = {
  blocks: 2,
  trialsPerBlock: 4,
  practice: { trials: 0 },
  timing: { fixationMs: 100, responseWindowMs: 10_000, feedbackMs: 100, itiMs: 50 },
} satisfies StudyConfigInput;

test("with Practice trials = 0 a new participant sees consent first; 'Welcome back' only after a reload with saved trials", async ({
  page,
  browser,
}) => {
  const researcher = await researcherPage(browser);
  const slug = `no-practice-${stamp}`;
  // The save queue sends after 6 trials or 6 s; `quick`'s long response window means no trial times
  // out (and is saved as a miss) while the test waits for the first two answers to be stored.
  const design = { ...quick, breakEveryBlocks: 0 } satisfies StudyConfigInput;
  await createOpenStudy(researcher, slug, design);
  const { token, curriculum } = await enter(page, slug, `screens-1-${stamp}`);

  // Consent comes first, with the design's duration, and "I do not agree" is offered.
  await expect(page.getByRole("heading", { name: "Welcome", exact: true })).toBeVisible();
  await expect(page.getByText("Welcome back")).toHaveCount(0);
  await expect(page.getByRole("button", { name: "I do not agree" })).toBeVisible();
  const minutes = estimateDuration(studyConfigSchema.parse(design)).minutes;
  await expect(page.getByText(`It takes about ${minutes} minutes.`)).toBeVisible();
  await shot(page, "consent-no-practice");
  await page.getByRole("button", { name: "I agree" }).click();
  await page.getByRole("button", { name: "Go full screen" }).click();
  await expect(page.getByRole("heading", { name: "The task" })).toBeVisible();
  const next = page.locator("#jspsych-instructions-next");
  while (await next.isVisible()) {
    await next.click();
    await page.waitForTimeout(50);
  }

  // The slim progress bar follows the main trials.
  const bar = page.getByTestId("task-progress");
  await expect(bar).toHaveAttribute("aria-valuenow", "0");
  for (const t of curriculum.trials.slice(0, 2)) await answer(page, t, t.correctResponse);
  await expect(bar).toHaveAttribute("aria-valuenow", "25");
  await expect.poll(async () => (await progress(page, token)).savedMain.length).toBe(2);

  await page.reload();
  await page.getByRole("button", { name: "Go full screen" }).click();
  await expect(page.getByRole("heading", { name: "Welcome back" })).toBeVisible();
  await expect(page.getByRole("button", { name: "I agree" })).toHaveCount(0);
  while (await next.isVisible()) {
    await next.click();
    await page.waitForTimeout(50);
  }
  await expect(page.getByTestId("task-progress")).toHaveAttribute("aria-valuenow", "25");
  for (const t of curriculum.trials.slice(2)) await answer(page, t, t.correctResponse);
  await expect(page.getByText("Thank you, you are done!")).toBeVisible();
  expect((await progress(page, token)).status).toBe("completed");
});

test("full-screen exits, tab switches and resizes are recorded with the run, with a prompt back to full screen", async ({
  page,
  browser,
}) => {
  const researcher = await researcherPage(browser);
  const slug = `attention-${stamp}`;
  const studyId = await createOpenStudy(researcher, slug, { ...quick, breakEveryBlocks: 0 });
  const participant = `screens-2-${stamp}`;
  const { curriculum } = await enter(page, slug, participant);
  const [t0, t1, t2, ...rest] = curriculum.trials;
  await startScreens(page, { consent: true });
  await answer(page, t0, t0.correctResponse);

  // Leave full screen mid-task: a gentle prompt offers the way back; the task goes on meanwhile.
  await page.evaluate(() => document.exitFullscreen());
  const prompt = page.getByTestId("fullscreen-prompt");
  await expect(prompt).toContainText("You left full screen");
  await shot(page, "fullscreen-prompt");
  await prompt.getByRole("button", { name: "Return to full screen" }).click();
  await expect(prompt).toHaveCount(0);
  await expect.poll(() => page.evaluate(() => document.fullscreenElement !== null)).toBe(true);
  // keys still reach the task after clicking the prompt's button
  await answer(page, t1, t1.correctResponse);

  // Another tab or window takes the focus, and the window is resized.
  await page.evaluate(() => {
    window.dispatchEvent(new Event("blur"));
    window.dispatchEvent(new Event("focus"));
  });
  await page.setViewportSize({ width: 1000, height: 640 });
  await answer(page, t2, t2.correctResponse);
  for (const t of rest) await answer(page, t, t.correctResponse);
  await expect(page.getByText("Thank you, you are done!")).toBeVisible();

  // The researcher sees them on the participant page, with the run's other facts.
  const monitor = (await (await researcher.request.get(`/api/studies/${studyId}/runs`)).json()) as {
    runs: { id: string; externalId: string | null }[];
  };
  const run = monitor.runs.find((r) => r.externalId === participant)!;
  await researcher.goto(`/studies/${studyId}/runs/${run.id}`);
  const facts = researcher.getByTestId("participant-facts");
  await expect(facts.getByTestId("fact-events")).toHaveText(
    "1 full-screen exit, 1 tab or window switch, 1 resize",
  );
  await expect(facts.getByTestId("fact-external-id")).toContainText(participant);
  await expect(facts.getByTestId("fact-finished")).toContainText("UTC");
  await expect(facts.getByTestId("fact-duration")).toContainText(/\d+ min \d\d s/);
  await expect(facts.getByTestId("fact-practice")).toHaveText("no practice in this design");
  await expect(facts.getByTestId("fact-browser")).toContainText(/Chrome \d+ on Linux/);
  await expect(researcher.getByTestId("trial-timeline")).toContainText("block 1: ");
  await expect(researcher.getByTestId("trial-timeline")).not.toContainText("block 0");
  await researcher.screenshot({ path: "e2e/screenshots/participant-page.png", fullPage: true });

  await researcher.goto(`/studies/${studyId}/runs/no-such-run`);
  await expect(researcher.getByRole("heading", { name: "Participant not found" })).toBeVisible();
});

test("a cued study's break screen does not say the rule changes without warning", async ({
  page,
  browser,
}) => {
  const researcher = await researcherPage(browser);
  const slug = `cued-${stamp}`;
  await createOpenStudy(researcher, slug, { ...quick, cueMode: "cued", breakEveryBlocks: 1 });
  const { curriculum } = await enter(page, slug, `screens-3-${stamp}`);
  await startScreens(page, { consent: true });
  for (const t of curriculum.trials.filter((x) => x.blockIndex === 0))
    await answer(page, t, t.correctResponse);
  await expect(page.getByRole("heading", { name: "Take a short break" })).toBeVisible();
  await expect(page.getByText(/coloured label above each digit/)).toBeVisible();
  await expect(page.getByText(/without warning/)).toHaveCount(0);
  await shot(page, "break-cued");
});

test("on a phone the keyboard check comes before consent, on a padded page, and ends the run", async ({
  browser,
}) => {
  const context = await browser.newContext({ ...devices["Pixel 5"] });
  const page = await context.newPage();
  const { token } = await enter(page, "e2e-short", `screens-4-${stamp}`);
  await expect(page.getByRole("heading", { name: "Sorry" })).toBeVisible();
  await expect(page.getByText(/physical keyboard/)).toBeVisible();
  await expect(page.getByRole("button", { name: "I agree" })).toHaveCount(0);
  const box = await page.getByText(/physical keyboard/).boundingBox();
  expect(box!.x).toBeGreaterThanOrEqual(12); // not flush with the screen edge
  await shot(page, "mobile");
  await expect.poll(async () => (await progress(page, token)).status).toBe("returned");
  await context.close();
});

test("a mistyped pilot link is refused and starts no run", async ({ page, browser }) => {
  const researcher = await researcherPage(browser);
  const studyId = await createOpenStudy(researcher, `pilot-typo-${stamp}`, quick);
  await page.goto(`/s/pilot-typo-${stamp}?pilot=${studyId.slice(0, -1)}`);
  await expect(page.getByRole("heading", { name: "This pilot link is not valid" })).toBeVisible();
  const monitor = (await (await researcher.request.get(`/api/studies/${studyId}/runs`)).json()) as {
    runs: unknown[];
  };
  expect(monitor.runs).toHaveLength(0);
});

test("visiting the home page does not start a demo run (the link is not prefetched)", async ({
  page,
}) => {
  const entries: string[] = [];
  page.on("request", (r) => {
    if (new URL(r.url()).pathname.startsWith("/s/")) entries.push(r.url());
  });
  await page.goto("/");
  const link = page.getByTestId("demo-participant-link");
  await link.hover(); // Next.js also prefetches on hover
  await page.waitForTimeout(2000);
  expect(entries).toEqual([]);
});
