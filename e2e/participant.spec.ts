// A participant's run in real Chromium with real key presses, on the short e2e study
// (3 blocks × 6 trials, 4 practice trials): consent → practice → main blocks with a reload in the
// middle (resumes at the first unsaved trial) and a stretch offline (nothing lost) → end screen;
// and a study with a recruiter redirect, which must happen only after the last save.
import { expect, test } from "@playwright/test";

import { answer, enter, progress, shot, startScreens, wrong } from "./helpers";

test("a participant runs through practice and main blocks, survives a reload and going offline, and nothing is lost", async ({
  page,
  context,
}) => {
  const { token, curriculum } = await enter(page, "e2e-short", `e2e-participant-1-${Date.now()}`);
  const { practice, trials, keys } = curriculum;
  expect(trials).toHaveLength(18);

  await startScreens(page, { consent: true });
  for (const [i, t] of practice.entries())
    await answer(page, t, t.correctResponse, i === 0 ? "practice-trial" : undefined);
  await expect(page.getByRole("heading", { name: "Well done" })).toBeVisible();
  await page.getByRole("button", { name: "Continue" }).click();

  // Main trials 0–7, one in three answered wrongly.
  for (const t of trials.slice(0, 8))
    await answer(
      page,
      t,
      t.trialIndex % 3 === 2 ? wrong(keys, t.correctResponse) : t.correctResponse,
    );
  await expect.poll(async () => (await progress(page, token)).savedMain.length).toBe(8);

  // A reload resumes at the first unsaved trial, without consent or practice.
  await page.reload();
  await startScreens(page, { consent: false });
  await answer(page, trials[8], trials[8].correctResponse, "resumed-trial");

  // Offline for three trials (trial 8 may still wait in the save queue, which sends a few trials
  // at a time): answers wait on the device and are sent when the connection returns.
  await context.setOffline(true);
  for (const t of trials.slice(9, 12)) await answer(page, t, t.correctResponse);
  await expect(page.getByTestId("save-indicator")).toContainText("Offline");
  await shot(page, "offline");
  // The break after block 2 of 3 comes while still offline.
  await expect(page.getByRole("heading", { name: "Take a short break" })).toBeVisible();
  await shot(page, "break");
  await context.setOffline(false);
  await expect
    .poll(async () => (await progress(page, token)).savedMain.length, { timeout: 30_000 })
    .toBe(12);
  await page.getByRole("button", { name: "Continue" }).click();

  for (const t of trials.slice(12))
    await answer(page, t, t.correctResponse, t.trialIndex === 17 ? "last-trial" : undefined);

  await expect(page.getByTestId("completion-code")).toHaveText("E2E-CODE");
  await shot(page, "end");

  const final = await progress(page, token, "trials");
  expect(final.status).toBe("completed");
  expect(final.savedMain).toEqual(trials.map((t) => t.trialIndex));
  expect(final.savedPractice).toEqual(practice.map((t) => t.trialIndex));
  const main = final.trials!.filter((t) => t.phase === "main");
  expect(main).toHaveLength(18);
  expect(main.filter((t) => !t.correct).map((t) => t.trialIndex)).toEqual([2, 5]);
  // Response times come from the browser's high-resolution clock: positive, sub-millisecond, and
  // within the study's response window (scripts/seed-e2e.ts: 10 s).
  expect(main.every((t) => t.rtMs !== null && t.rtMs > 0 && t.rtMs < 10_000)).toBe(true);
  expect(main.some((t) => !Number.isInteger(t.rtMs))).toBe(true);
});

test("the recruiter redirect happens only after the last trial is saved", async ({ page }) => {
  const { token, curriculum } = await enter(
    page,
    "e2e-redirect",
    `e2e-participant-2-${Date.now()}`,
  );
  const events: string[] = [];
  // Hold the last trial's save for 1.5 s: the redirect must wait for it.
  await page.route(`**/api/runs/${token}/trials`, async (route) => {
    const body = route.request().postDataJSON() as {
      trials: { phase: string; trialIndex: number }[];
    };
    const last = body.trials.some(
      (t) => t.phase === "main" && t.trialIndex === curriculum.trials.length - 1,
    );
    if (last) await new Promise((r) => setTimeout(r, 1500));
    const response = await route.fetch();
    if (last) events.push("last-trial-saved");
    await route.fulfill({ response });
  });
  page.on("request", (r) => {
    if (r.url().endsWith(`/api/runs/${token}/complete`)) events.push("complete");
  });
  page.on("framenavigated", (f) => {
    // A landing page may report more than one navigation event; the first one is the redirect.
    if (f === page.mainFrame() && f.url().includes("completed=1") && !events.includes("redirected"))
      events.push("redirected");
  });

  await startScreens(page, { consent: true });
  for (const t of curriculum.practice) await answer(page, t, t.correctResponse);
  await page.getByRole("button", { name: "Continue" }).click();
  for (const t of curriculum.trials) {
    if (t.trialIndex === 12) await page.getByRole("button", { name: "Continue" }).click(); // break after block 2 of 3
    await answer(page, t, t.correctResponse);
  }
  await expect(page).toHaveURL(/\/\?completed=1$/);
  expect(events).toEqual(["last-trial-saved", "complete", "redirected"]);
  const final = await progress(page, token);
  expect(final.status).toBe("completed");
  expect(final.savedMain).toHaveLength(curriculum.trials.length);
});

test("with the study option on, the model learns the participant's curriculum in their browser's worker", async ({
  page,
}) => {
  const { token, curriculum } = await enter(page, "e2e-model", `e2e-participant-3-${Date.now()}`);
  const workers: string[] = [];
  page.on("worker", (w) => workers.push(w.url()));
  await startScreens(page, { consent: true });
  for (const t of curriculum.practice) await answer(page, t, t.correctResponse);
  await page.getByRole("button", { name: "Continue" }).click();
  for (const t of curriculum.trials) {
    if (t.trialIndex === 12) await page.getByRole("button", { name: "Continue" }).click();
    await answer(page, t, t.correctResponse);
  }
  await expect(page.getByTestId("completion-code")).toHaveText("E2E-MODEL");
  expect(workers.length).toBeGreaterThan(0);
  const streams = (await (await page.request.get(`/api/runs/${token}?include=model`)).json())
    .modelStreams as {
    preset: string;
    source: string;
    status: string;
    trials: number;
  }[];
  const browser = streams.filter((s) => s.source === "participant_browser");
  expect(browser.map((s) => [s.preset, s.status, s.trials])).toEqual([
    ["flexible", "done", 18],
    ["forgetful", "done", 18],
  ]);
});
