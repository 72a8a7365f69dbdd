// The new-study form in real Chromium: the curriculum preview and the duration estimate follow what
// is typed, warnings (empty consent, no model preset, a very long study) do not block saving, every
// refusal is a sentence about its field, and the study page shows the Prolific fields with the
// estimate and no primary "Close study" button.
import { expect, test } from "@playwright/test";

import { estimateDuration } from "../lib/core/duration";
import { studyConfigSchema } from "../lib/core/study-config";

import { signInDemo } from "./helpers";

test("the form previews what is typed, warns without blocking, and speaks plainly", async ({
  page,
}) => {
  await signInDemo(page, "/studies/new");
  await expect(page).toHaveURL(/\/studies\/new$/);
  const preview = page.getByTestId("curriculum-preview");
  const estimate = page.getByTestId("duration-estimate");
  const defaults = estimateDuration(studyConfigSchema.parse({}));
  await expect(estimate).toContainText(`about ${defaults.minutes} minutes`);
  await expect(preview).toContainText("480 main trials in 20 blocks");

  // The preview follows the form as it is typed (no save).
  await page.getByLabel("Blocks", { exact: true }).fill("3");
  await page.getByLabel("Trials per block").fill("10");
  await expect(preview).toContainText("30 main trials in 3 blocks");
  const small = estimateDuration(studyConfigSchema.parse({ blocks: 3, trialsPerBlock: 10 }));
  await expect(estimate).toContainText(`about ${small.minutes} minutes`);
  await page.getByLabel("Left key").fill("d");
  await expect(preview).toContainText("left D");

  // A very long study, no consent text and no model preset: warnings, not errors.
  await page.getByLabel("Blocks", { exact: true }).fill("100");
  await page.getByLabel("Trials per block").fill("200");
  const long = estimateDuration(studyConfigSchema.parse({ blocks: 100, trialsPerBlock: 200 }));
  await expect(page.getByTestId("warning-config.trialsPerBlock")).toContainText(
    `about ${long.minutes} minutes for 20,000 main trials`,
  );
  await page.getByLabel("Consent text").fill("");
  await expect(page.getByTestId("warning-config.consentText")).toBeVisible();
  await page.getByRole("checkbox", { name: "flexible" }).uncheck();
  await page.getByRole("checkbox", { name: "forgetful" }).uncheck();
  await expect(page.getByTestId("warning-config.model.presets")).toContainText("No model preset");

  // Invalid values pause the preview and are refused in words about the field.
  await page.getByLabel("Attempts").fill("0");
  await page.getByLabel("Practice trials").fill("1.5");
  await expect(page.getByTestId("preview-paused")).toContainText(
    "Attempts must be a whole number from 1 to 5",
  );
  await page.getByLabel("Title").fill("Form check");
  await page.getByLabel("Slug", { exact: true }).fill(`form-${Date.now().toString(36)}`);
  await page.getByRole("button", { name: "Create study" }).click();
  await expect(page.getByTestId("error-config.practice.maxAttempts")).toHaveText(
    "Attempts must be a whole number from 1 to 5",
  );
  await expect(page.getByTestId("error-config.practice.trials")).toHaveText(
    "Practice trials must be a whole number from 0 to 64",
  );
  await expect(page.getByTestId("study-form")).not.toContainText(/Invalid input|Enter a number/);
  // the preview follows the values the server sent back
  await expect(page.getByTestId("preview-paused")).toBeVisible();
  await page.screenshot({ path: "e2e/screenshots/study-form-warnings.png", fullPage: true });

  // Warnings do not block: fixed errors, the study saves with them.
  await page.getByLabel("Attempts").fill("3");
  await page.getByLabel("Practice trials").fill("0");
  await page.getByRole("button", { name: "Create study" }).click();
  await expect(page).toHaveURL(/\/studies\/(?!new$)[a-z0-9]+$/);
  await expect(page.getByTestId("prolific-panel-duration")).toContainText(
    `${estimateDuration(studyConfigSchema.parse({ blocks: 100, trialsPerBlock: 200, practice: { trials: 0 } })).minutes} minutes`,
  );
  // Opening is the primary action of a draft; closing an open study is not.
  await expect(page.getByTestId("status-button")).toHaveText("Open for participants");
  await expect(page.getByTestId("status-button")).not.toHaveClass(/secondary/);
  await page.getByTestId("status-button").click();
  await expect(page.getByTestId("status-button")).toHaveText("Close study");
  await expect(page.getByTestId("status-button")).toHaveClass(/secondary/);
  await expect(page.getByRole("link", { name: "Paper" })).toHaveAttribute("href", "/paper");
  await page.screenshot({ path: "e2e/screenshots/study-page.png", fullPage: true });
});
