// Outcomes in real Chromium with real clicks and key presses: declining consent ends with that
// outcome's own code (with a working copy button) or its own redirect; a participant who comes
// back with the same Prolific id after finishing sees their code again — in the same browser and
// in another one — and the study page's Prolific panel lists every outcome's code.
import { expect, test, type Page } from "@playwright/test";

import type { StudyConfigInput } from "../lib/core/study-config";

import { answer, createOpenStudy, progress, researcherPage, shot, startScreens } from "./helpers";

const stamp = Date.now().toString(36);
const port = process.env.E2E_PORT ?? "3100";

const design = {
  blocks: 2,
  trialsPerBlock: 4,
  practice: { trials: 0 },
  breakEveryBlocks: 0,
  timing: { fixationMs: 100, responseWindowMs: 10_000, feedbackMs: 100, itiMs: 50 },
} satisfies StudyConfigInput;

async function enterAs(page: Page, slug: string, pid: string) {
  await page.goto(`/s/${slug}?PROLIFIC_PID=${pid}&STUDY_ID=S1&SESSION_ID=X1`);
  await expect(page).toHaveURL(/\/run\/[A-Za-z0-9_-]+$/);
  return page.url().split("/run/")[1];
}

test("declined consent ends with its own code and a copy button, or its own redirect — never the completion code", async ({
  browser,
}) => {
  const researcher = await researcherPage(browser);
  const slug = `declined-${stamp}`;
  const id = await createOpenStudy(researcher, slug, {
    ...design,
    recruitment: {
      completionCode: "DONE-E2E",
      outcomes: { consentDeclined: { code: "NOCONSENT-E2E" } },
    },
  });
  const context = await browser.newContext({ permissions: ["clipboard-read", "clipboard-write"] });
  const page = await context.newPage();
  const token = await enterAs(page, slug, `decl-${stamp}`);
  await page.getByRole("button", { name: "I do not agree" }).click();
  await expect(page.getByTestId("completion-code")).toHaveText("NOCONSENT-E2E");
  await expect(page.getByText("You chose not to take part")).toBeVisible();
  await expect(page.getByText("DONE-E2E")).toHaveCount(0);
  await page.getByTestId("copy-code").click();
  await expect(page.getByTestId("copy-code")).toHaveText("Copied");
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe("NOCONSENT-E2E");
  await shot(page, "declined-code");
  expect((await progress(page, token)).status).toBe("returned");

  // the reason is stored with the run: the runs export says so
  const runs = await researcher.request.get(`/api/studies/${id}/export?format=ndjson&table=runs`);
  expect(runs.status()).toBe(200);
  const [row] = (await runs.text())
    .trimEnd()
    .split("\n")
    .map((l) => JSON.parse(l) as { runOutcome: string; consentGiven: boolean | null });
  expect(row).toMatchObject({ runOutcome: "consent-declined", consentGiven: false });

  // a study whose declined-consent path is a redirect sends the participant there
  const slug2 = `declined-redirect-${stamp}`;
  await createOpenStudy(researcher, slug2, {
    ...design,
    recruitment: {
      completionCode: "DONE-E2E",
      outcomes: {
        consentDeclined: { redirectUrl: `http://127.0.0.1:${port}/?declined=1` },
      },
    },
  });
  await enterAs(page, slug2, `decl2-${stamp}`);
  await page.getByRole("button", { name: "I do not agree" }).click();
  await expect(page).toHaveURL(/\/\?declined=1$/);
  await context.close();
});

test("a participant who comes back with the same Prolific id after finishing sees the code again, with the copy button", async ({
  browser,
}) => {
  const researcher = await researcherPage(browser);
  const slug = `returning-${stamp}`;
  const id = await createOpenStudy(researcher, slug, {
    ...design,
    recruitment: {
      completionCode: "BACK-AGAIN-1",
      outcomes: { consentDeclined: { code: "NOCONSENT-R" }, screenedOut: { code: "SCREEN-R" } },
    },
  });
  const pid = `back-${stamp}`;
  const first = await browser.newContext();
  const page = await first.newPage();
  const token = await enterAs(page, slug, pid);
  const { curriculum } = await progress(page, token, "curriculum");
  await startScreens(page, { consent: true });
  for (const t of curriculum!.trials) await answer(page, t, t.correctResponse);
  await expect(page.getByTestId("completion-code")).toHaveText("BACK-AGAIN-1");
  await expect(page.getByTestId("copy-code")).toBeVisible();

  // the same browser, through the Prolific link again: the outcome page, not a refusal
  await enterAs(page, slug, pid);
  await expect(page.getByTestId("completion-code")).toHaveText("BACK-AGAIN-1");
  await expect(page.getByTestId("copy-code")).toBeVisible();

  // another browser with the same id: the same code (the server decides; the run stays completed)
  const second = await browser.newContext();
  const other = await second.newPage();
  const moved = await enterAs(other, slug, pid);
  expect(moved).not.toBe(token);
  await expect(other.getByTestId("completion-code")).toHaveText("BACK-AGAIN-1");
  await expect(other.getByTestId("copy-code")).toBeVisible();
  await shot(other, "returning-code");
  const view = await progress(other, moved, "trials");
  expect(view.status).toBe("completed");
  expect(view.trials).toBeUndefined();

  // the study page's Prolific panel lists the duration, the URL and every outcome's code
  await researcher.goto(`/studies/${id}`);
  const panel = researcher.getByTestId("prolific-panel");
  await expect(panel.getByTestId("prolific-panel-duration")).toContainText("minutes");
  await expect(panel.getByTestId("prolific-panel-url")).toContainText(
    `/s/${slug}?PROLIFIC_PID={{%PROLIFIC_PID%}}`,
  );
  await expect(panel.getByTestId("prolific-code-completed")).toContainText("BACK-AGAIN-1");
  await expect(panel.getByTestId("prolific-code-consent-declined")).toContainText("NOCONSENT-R");
  // failed practice has no code of its own: the screened-out code
  await expect(panel.getByTestId("prolific-code-practice-failed")).toContainText("SCREEN-R");
  await panel.screenshot({ path: "e2e/screenshots/study-prolific-panel.png" });
  await first.close();
  await second.close();
});
