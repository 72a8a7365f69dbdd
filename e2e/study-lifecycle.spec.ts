// The whole loop a researcher runs, in one test: sign in → create a study → a participant (second
// browser context) completes it with real key presses → the model jobs learn that run's
// curriculum → the Fig. 8 view shows the human and both model curves → the CSV export holds
// exactly the saved trials of both streams.
import { expect, test } from "@playwright/test";

import { parseCsv } from "../lib/server/testing/parse-csv";

import { answer, progress, startScreens } from "./helpers";

const DEMO = { email: "demo@nta.lab", password: "demo-password" };

/** Our CSV export as one record per row, keyed by the header. */
function csvRecords(text: string): Record<string, string>[] {
  const [header, ...body] = parseCsv(text);
  return body
    .filter((r) => r.length === header.length)
    .map((r) => Object.fromEntries(header.map((h, i) => [h, r[i]])));
}

test("sign in, create a study, a participant completes it, the models learn it, Fig. 8 and the CSV show both streams", async ({
  page,
  browser,
}) => {
  test.setTimeout(300_000);
  await page.goto("/login");
  await page.getByLabel("Email").fill(DEMO.email);
  await page.getByLabel("Password").fill(DEMO.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/studies$/);

  await page.getByRole("link", { name: "New study" }).click();
  const slug = `lifecycle-${Date.now().toString(36)}`;
  await page.getByLabel("Title").fill("Lifecycle study");
  await page.getByLabel("Slug", { exact: true }).fill(slug);
  await page.getByLabel("Blocks", { exact: true }).fill("3");
  await page.getByLabel("Trials per block").fill("6");
  await page.getByLabel("Practice trials").fill("4");
  await page.getByLabel("Fixation (ms)").fill("100");
  await page.getByLabel("Feedback display (ms)").fill("100");
  await page.getByLabel("Inter-trial interval (ms)").fill("50");
  // the longest response window: a slow shared test machine must not turn a key press into a miss
  await page.getByLabel("Response window (ms)").fill("10000");
  await page.getByLabel("Completion code").fill("LIFE-1");
  await page.getByRole("button", { name: "Create study" }).click();
  await expect(page).toHaveURL(/\/studies\/(?!new$)[a-z0-9]+$/);
  const studyPath = new URL(page.url()).pathname;
  const studyId = studyPath.split("/").pop()!;
  await page.getByTestId("status-button").click();
  await expect(page.getByTestId("study-status")).toHaveText("open");
  const participantLink = (await page.getByTestId("participant-link").textContent())!.trim();
  expect(participantLink).toContain(`/s/${slug}`);

  // The participant, in their own browser context, with real key presses.
  const participantContext = await browser.newContext();
  const p = await participantContext.newPage();
  await p.goto(`/s/${slug}?PROLIFIC_PID=lifecycle-p1&STUDY_ID=s1&SESSION_ID=x1`);
  await expect(p).toHaveURL(/\/run\/[A-Za-z0-9_-]+$/);
  const token = p.url().split("/run/")[1];
  const { curriculum } = await progress(p, token, "curriculum");
  await startScreens(p, { consent: true });
  for (const t of curriculum!.practice) await answer(p, t, t.correctResponse);
  await p.getByRole("button", { name: "Continue" }).click();
  for (const t of curriculum!.trials) {
    await answer(
      p,
      t,
      t.trialIndex % 4 === 1 ? (t.correctResponse === "f" ? "j" : "f") : t.correctResponse,
      undefined,
      250,
    );
  }
  await expect(p.getByTestId("completion-code")).toHaveText("LIFE-1");
  const saved = await progress(p, token, "trials");
  expect(saved.trials!.filter((t) => t.phase === "main").every((t) => t.rtMs! >= 250)).toBe(true);
  await participantContext.close();

  // The live monitor shows the completed run; the in-app job worker computes both model streams.
  await expect(page.getByTestId("runs-table")).toContainText("completed", { timeout: 15_000 });
  await expect(page.getByTestId("runs-table")).toContainText("lifecycle-p1");
  await page.goto(`${studyPath}/dashboard`);
  await expect(async () => {
    await page.reload();
    await expect(page.getByTestId("dashboard-counts")).toContainText("1 flexible and 1 forgetful", {
      timeout: 1000,
    });
  }).toPass({ timeout: 120_000, intervals: [2000] });
  await expect(page.getByTestId("dashboard-counts")).toContainText("1 participant ·");
  // 3 blocks → 2 switches: a recovery curve per switch for the human and for both models.
  for (const key of ["human", "flexible", "forgetful"]) {
    await expect(
      page.getByTestId(`recovery-error-${key}`).locator(".recharts-line-curve"),
    ).toHaveCount(2);
  }
  await page.screenshot({ path: "e2e/screenshots/lifecycle-dashboard.png", fullPage: true });

  // The CSV export holds exactly the saved human trials and both model streams, nothing else
  // (the private one, with the raw recruiter id; RTs rounded to 0.1 ms).
  const csv = await page.request.get(`/api/studies/${studyId}/export?format=csv&audience=private`);
  expect(csv.status()).toBe(200);
  const rows = csvRecords(await csv.text());
  const human = rows.filter((r) => r.stream === "human");
  const model = rows.filter((r) => r.stream === "model");
  const key = (r: { phase?: string; trialIndex?: number | string }) => `${r.phase}:${r.trialIndex}`;
  expect(human.map(key).sort()).toEqual(saved.trials!.map(key).sort());
  expect(human.every((r) => r.externalId === "lifecycle-p1")).toBe(true);
  for (const h of human) {
    const s = saved.trials!.find((t) => key(t) === key(h))!;
    expect([h.response, h.correct, Number(h.rtMs)]).toEqual([
      s.response ?? "",
      String(s.correct),
      Math.round(s.rtMs! * 10) / 10,
    ]);
  }
  for (const preset of ["flexible", "forgetful"]) {
    const stream = model.filter((r) => r.modelPreset === preset);
    expect(stream.map((r) => Number(r.trialIndex))).toEqual(
      curriculum!.trials.map((t) => t.trialIndex),
    );
    expect(
      stream.every(
        (r) =>
          r.modelSource === "server" &&
          r.stimulus === curriculum!.trials[Number(r.trialIndex)].stimulus,
      ),
    ).toBe(true);
  }
  expect(model).toHaveLength(2 * curriculum!.trials.length);
});
