// Data-quality flags end to end: a researcher creates and opens a 120-trial study; a participant who
// presses random keys and one who answers well enter through the public participant API; the
// random responder is flagged with its reasons on the live monitor, left out of the dashboard's
// study-level view by default and put back with one click (real Chromium, real server).
import { expect, test, type APIRequestContext, type Page } from "@playwright/test";

import { createRng } from "../lib/core/rng";

const DEMO = { email: "demo@nta.lab", password: "demo-password" };
const SLUG = `e2e-quality-${Date.now().toString(36)}`;
const CONFIG = {
  blocks: 6,
  trialsPerBlock: 20,
  practice: { trials: 0 },
  timing: { fixationMs: 500, responseWindowMs: 2000, feedbackMs: 500, itiMs: 300 },
};

async function signIn(page: Page) {
  await page.goto("/login");
  await page.getByLabel("Email").fill(DEMO.email);
  await page.getByLabel("Password").fill(DEMO.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/studies$/);
}

type CurriculumTrial = { trialIndex: number; correctResponse: string } & Record<string, unknown>;

/** Seeded uniform numbers (the app's own generator): the "random" responder is the same on every run. */
const rng = (seed: number) => createRng(seed).next;

/** One participant through the participant API; `answer` picks the key for each trial. */
async function participant(
  request: APIRequestContext,
  name: string,
  answer: (t: CurriculumTrial, u: () => number) => string,
  seed: number,
) {
  const entry = await request.get(`/s/${SLUG}?participant=${name}`, { maxRedirects: 0 });
  expect(entry.status()).toBe(303);
  const token = entry.headers()["location"].split("/run/")[1];
  const run = (await (await request.get(`/api/runs/${token}?include=curriculum`)).json()) as {
    curriculum: { trials: CurriculumTrial[] };
  };
  const u = rng(seed);
  let clock = 30_000;
  const trials = run.curriculum.trials.map((t) => {
    const response = answer(t, u);
    const rtMs = Math.round(450 + 400 * u());
    clock += 300 + 500 + rtMs + 500; // gap + fixation + response + feedback
    return {
      ...t,
      phase: "main",
      response,
      correct: response === t.correctResponse,
      rtMs,
      timeElapsedMs: clock,
    };
  });
  for (let i = 0; i < trials.length; i += 50) {
    const res = await request.post(`/api/runs/${token}/trials`, {
      data: { trials: trials.slice(i, i + 50) },
    });
    expect(res.status()).toBe(200);
  }
  expect((await request.post(`/api/runs/${token}/complete`)).status()).toBe(200);
}

test("a random responder is flagged on the monitor and left out of study-level results until put back", async ({
  page,
  request,
}) => {
  test.setTimeout(240_000);
  await signIn(page);
  const created = await page.request.post("/api/studies", {
    data: { title: "E2E quality", slug: SLUG, config: CONFIG },
  });
  expect(created.status()).toBe(201);
  const { study } = (await created.json()) as { study: { id: string } };
  const opened = await page.request.patch(`/api/studies/${study.id}`, { data: { status: "open" } });
  expect(opened.status()).toBe(200);

  const other = (k: string) => (k === "f" ? "j" : "f");
  await participant(request, "random-1", (t, u) => (u() < 0.5 ? "f" : "j"), 7);
  await participant(
    request,
    "engaged-2",
    (t, u) => (u() < 0.92 ? t.correctResponse : other(t.correctResponse)),
    8,
  );

  // live monitor: participant #0 flagged with its reasons, #1 not
  await page.goto(`/studies/${study.id}`);
  const rows = page.getByTestId("runs-table").locator("tbody tr");
  await expect(rows).toHaveCount(2);
  const random = rows.filter({ hasText: "random-1" }).getByTestId("run-quality");
  await expect(random).toContainText("flagged");
  await expect(random).toContainText("near chance");
  await expect(random).toContainText(/not reliably above chance|upper 95 % bound/);
  await expect(rows.filter({ hasText: "engaged-2" }).getByTestId("run-quality")).toHaveText(
    "no flags",
  );
  await page.screenshot({ path: "e2e/screenshots/quality-monitor.png", fullPage: true });

  // dashboard: the flagged participant is listed with the reason and left out of the Fig. 8 view
  await page.goto(`/studies/${study.id}/dashboard`);
  await expect(page.getByTestId("flagged-list")).toContainText("Participant #0");
  await expect(page.getByTestId("flagged-list")).toContainText("upper 95 % bound");
  await expect(page.getByTestId("dashboard-counts")).toContainText("1 participant ·");
  await expect(page.getByTestId("practice-table")).toContainText("Participants");
  await page.screenshot({ path: "e2e/screenshots/quality-dashboard.png", fullPage: true });

  // re-include: both participants count, the list says so
  await page.getByTestId("flagged-toggle").click();
  await expect(page).toHaveURL(/flagged=include/);
  await expect(page.getByTestId("flagged-none")).toContainText("Flagged participants are included");
  await expect(page.getByTestId("dashboard-counts")).toContainText("2 participants ·");
  await page.getByTestId("flagged-toggle").click();
  await expect(page.getByTestId("dashboard-counts")).toContainText("1 participant ·");

  // the same through the API
  const api = await page.request.get(`/api/studies/${study.id}/group-stats`);
  expect(api.status()).toBe(200);
  const body = (await api.json()) as { excluded: { participantIndex: number }[] };
  expect(body.excluded.map((e) => e.participantIndex)).toEqual([0]);
  expect(
    (await page.request.get(`/api/studies/${study.id}/group-stats?includeFlagged=yes`)).status(),
  ).toBe(400);
  expect((await request.get(`/api/studies/${study.id}/group-stats`)).status()).toBe(401);
});
