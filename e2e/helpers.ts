// Shared Playwright helpers: a participant moving through the real jsPsych screens with key presses.
import { expect, type APIRequestContext, type Browser, type Page } from "@playwright/test";

import type { StudyConfigInput } from "../lib/core/study-config";
import { parseCsv } from "../lib/server/testing/parse-csv";

export type CurriculumTrial = {
  trialIndex: number;
  blockIndex: number;
  stimulus: string;
  correctResponse: string;
};
export type Progress = {
  status: string;
  expectedTrials: number;
  savedMain: number[];
  savedPractice: number[];
  curriculum?: {
    practice: CurriculumTrial[];
    trials: CurriculumTrial[];
    keys: { left: string; right: string };
  };
  trials?: {
    phase: string;
    trialIndex: number;
    rtMs: number | null;
    response: string | null;
    correct: boolean;
  }[];
};

export const shot = (page: Page, name: string) =>
  page.screenshot({ path: `e2e/screenshots/participant-${name}.png` });

export async function progress(page: Page, token: string, include = ""): Promise<Progress> {
  const r = await page.request.get(`/api/runs/${token}${include ? `?include=${include}` : ""}`);
  expect(r.status()).toBe(200);
  return r.json();
}

export async function enter(page: Page, slug: string, participant: string) {
  await page.goto(`/s/${slug}?participant=${participant}`);
  await expect(page).toHaveURL(/\/run\/[A-Za-z0-9_-]+$/);
  const token = page.url().split("/run/")[1];
  const p = await progress(page, token, "curriculum");
  return { token, curriculum: p.curriculum! };
}

/** Click through the screens before the first task trial (consent, fullscreen, instructions). */
export async function startScreens(page: Page, opts: { consent: boolean }) {
  if (opts.consent) {
    await expect(page.getByRole("heading", { name: "Welcome" })).toBeVisible();
    await shot(page, "consent");
    await page.getByRole("button", { name: "I agree" }).click();
  }
  await page.getByRole("button", { name: "Go full screen" }).click();
  await expect(page.locator("#jspsych-instructions-next")).toBeVisible();
  if (opts.consent) await shot(page, "instructions");
  await pastInstructions(page);
}

/** Click "Next" until the instruction pages are done. */
export async function pastInstructions(page: Page) {
  const next = page.locator("#jspsych-instructions-next");
  while (await next.isVisible()) {
    await next.click();
    await page.waitForTimeout(50);
  }
}

/**
 * The key a rule's instruction line ("… press F for odd digits, J for even digits.") gives a
 * stimulus; `fits(phrase)` says whether the stimulus is what a phrase ("odd digits") describes.
 */
export function keyFromInstruction(line: string, fits: (phrase: string) => boolean): string {
  const m = /press (\w) for (.+?), (\w) for (.+?)\.\s*$/.exec(line.trim());
  if (!m) throw new Error(`Unexpected instruction: ${line}`);
  return (fits(m[2]) ? m[1] : m[3]).toLowerCase();
}

/**
 * Answer one task trial: wait for the digit, check it is the expected one, press a key. `thinkMs`
 * delays the key press like a person would (analyses drop responses faster than 150 ms).
 */
export async function answer(
  page: Page,
  trial: CurriculumTrial,
  key: string,
  name?: string,
  thinkMs = 0,
) {
  const stimulus = page.locator("#task-trial-stimulus");
  await expect(stimulus).toBeVisible();
  await expect(stimulus).toHaveText(trial.stimulus);
  if (name) await shot(page, name);
  if (thinkMs > 0) await page.waitForTimeout(thinkMs);
  await pressOnTrial(page, key);
}

/**
 * Press `key` on the trial on screen and wait until that trial's own stimulus element is gone.
 * Waiting on the element (not on "no stimulus on the page") cannot miss the short feedback and
 * fixation gap between two trials on a busy machine and mistake the next trial for this one.
 */
export async function pressOnTrial(page: Page, key: string) {
  const shown = await page.locator("#task-trial-stimulus").elementHandle();
  await page.keyboard.press(key);
  await shown?.waitForElementState("hidden");
  await shown?.dispose();
}

export const wrong = (c: { left: string; right: string }, key: string) =>
  key === c.left ? c.right : c.left;

/** The demo researcher that scripts/seed-demo.ts creates. */
export const DEMO_RESEARCHER = { email: "demo@nta.lab", password: "demo-password" };

/** Sign in as the demo researcher through the login form reached at `from` (default: /login, which lands on /studies). */
export async function signInDemo(page: Page, from = "/login") {
  await page.goto(from);
  await page.getByLabel("Email").fill(DEMO_RESEARCHER.email);
  await page.getByLabel("Password").fill(DEMO_RESEARCHER.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  if (from === "/login") await expect(page).toHaveURL(/\/studies$/);
}

/** A new open study of the demo researcher (created through the API); returns its id. */
export async function createOpenStudy(researcher: Page, slug: string, config: StudyConfigInput) {
  const created = await researcher.request.post("/api/studies", {
    data: { title: `Screens ${slug}`, slug, config },
  });
  expect(created.status()).toBe(201);
  const { study } = (await created.json()) as { study: { id: string } };
  const opened = await researcher.request.patch(`/api/studies/${study.id}`, {
    data: { status: "open" },
  });
  expect(opened.status()).toBe(200);
  return study.id;
}

export async function researcherPage(browser: Browser) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signInDemo(page);
  await expect(page).toHaveURL(/\/studies$/);
  return page;
}

/**
 * The human trial rows of one participant in the study's private CSV export (the private export
 * has the raw recruiter id to find them by), each as column → cell.
 */
export async function privateExportRows(researcher: Page, studyId: string, externalId: string) {
  const csv = await (
    await researcher.request.get(`/api/studies/${studyId}/export?format=csv&audience=private`)
  ).text();
  const [cols, ...lines] = parseCsv(csv);
  return lines
    .map((cells) => Object.fromEntries(cols.map((c, i) => [c, cells[i]])))
    .filter((r) => r.stream === "human" && r.externalId === externalId);
}

type ApiCurriculumTrial = {
  trialIndex: number;
  blockIndex: number;
  trialInBlock: number;
  task: string;
  stimulus: string;
  correctResponse: string;
  congruent: boolean;
};

/** One participant through the participant API: errors on the first two trials after each switch. */
export async function completeParticipantRun(
  request: APIRequestContext,
  slug: string,
  participant?: string,
) {
  const entry = await request.get(`/s/${slug}${participant ? `?participant=${participant}` : ""}`, {
    maxRedirects: 0,
  });
  expect(entry.status()).toBe(303);
  const token = entry.headers()["location"].split("/run/")[1];
  const run = (await (await request.get(`/api/runs/${token}?include=curriculum`)).json()) as {
    curriculum: { trials: ApiCurriculumTrial[] };
  };
  const other = (key: string) => (key === "f" ? "j" : "f");
  const trials = run.curriculum.trials.map((t) => {
    const correct = !(t.blockIndex > 0 && t.trialInBlock < 2);
    return {
      ...t,
      phase: "main",
      response: correct ? t.correctResponse : other(t.correctResponse),
      correct,
      rtMs: 450 + 40 * t.trialInBlock + (t.trialInBlock === 0 ? 200 : 0),
    };
  });
  expect((await request.post(`/api/runs/${token}/trials`, { data: { trials } })).status()).toBe(
    200,
  );
  expect((await request.post(`/api/runs/${token}/complete`)).status()).toBe(200);
  return trials.length;
}
