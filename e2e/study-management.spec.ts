// Monitor paging, filter, sort and row links with 60 runs, then study management: duplicate,
// archive (hidden, links refused), delete with its counted confirmation — in real Chromium.
// Screenshots of the monitor and the study page go to test-results/screenshots/.
import { expect, test } from "@playwright/test";

import { signInDemo } from "./helpers";

const RUNS = 56;
const PILOTS = 4;

test("monitor pages, filters and sorts 60 runs; duplicate, archive and delete a study", async ({
  page,
}) => {
  test.setTimeout(240_000);
  await signInDemo(page);
  await page.getByRole("link", { name: "New study" }).click();
  const slug = `manage-${Date.now().toString(36)}`;
  await page.getByLabel("Title").fill("Management study");
  await page.getByLabel("Slug", { exact: true }).fill(slug);
  await page.getByLabel("Blocks", { exact: true }).fill("2");
  await page.getByLabel("Trials per block").fill("6");
  await page.getByRole("button", { name: "Create study" }).click();
  await expect(page).toHaveURL(/\/studies\/(?!new$)[a-z0-9]+$/);
  const studyUrl = page.url();
  const studyId = new URL(studyUrl).pathname.split("/").pop()!;
  // The main (blue) action of a draft opens it; then it is the dashboard, and closing is secondary.
  await expect(page.getByTestId("status-button")).not.toHaveClass(/secondary/);
  await page.getByTestId("status-button").click();
  await expect(page.getByTestId("study-status")).toHaveText("open");
  await expect(page.getByTestId("status-button")).toHaveText("Close study");
  await expect(page.getByTestId("status-button")).toHaveClass(/secondary/);
  await expect(page.getByTestId("dashboard-button")).not.toHaveClass(/secondary/);
  await expect(page.getByRole("link", { name: "Paper" })).toHaveAttribute("href", "/paper");

  // 56 Prolific participants and 4 pilot runs; every 7th participant returns.
  for (let i = 1; i <= RUNS; i++) {
    const id = `PID-e2e-${String(i).padStart(2, "0")}`;
    const r = await page.request.get(
      `/s/${slug}?PROLIFIC_PID=${id}&STUDY_ID=STUDY-E2E&SESSION_ID=SES-${i}`,
      { maxRedirects: 0 },
    );
    expect(r.status()).toBe(303);
    if (i % 7 === 0) {
      const token = r.headers().location.split("/run/")[1];
      expect((await page.request.post(`/api/runs/${token}/return`)).status()).toBe(200);
    }
  }
  for (let i = 1; i <= PILOTS; i++)
    expect(
      (
        await page.request.get(`/s/${slug}?pilot=${studyId}&participant=pilot-${i}`, {
          maxRedirects: 0,
        })
      ).status(),
    ).toBe(303);

  await page.goto(studyUrl);
  const rows = page.getByTestId("runs-table").locator("tbody tr");
  await expect(page.getByTestId("count-total")).toHaveText(String(RUNS + PILOTS));
  await expect(page.getByTestId("count-participants")).toHaveText(String(RUNS));
  await expect(page.getByTestId("count-returned")).toHaveText(String(RUNS / 7));
  await expect(page.getByTestId("page-status")).toHaveText("1–50 of 60 · page 1 of 2");
  await expect(rows).toHaveCount(50);
  await expect(rows.first()).toContainText("PID-e2e-01");
  await expect(rows.first()).toContainText("study STUDY-E2E · session SES-1");
  await page.getByTestId("page-next").click();
  await expect(page.getByTestId("page-status")).toHaveText("51–60 of 60 · page 2 of 2");
  await expect(rows).toHaveCount(10);
  await expect(page).toHaveURL(/[?&]page=2/);

  // filters go back to page 1
  await page.getByTestId("filter-pilot").selectOption("only");
  await expect(page.getByTestId("page-status")).toHaveText("1–4 of 4 · page 1 of 1");
  await expect(rows).toHaveCount(PILOTS);
  for (const row of await rows.all()) await expect(row).toContainText("pilot");
  await page.getByTestId("filter-pilot").selectOption("exclude");
  await page.getByTestId("filter-status").selectOption("returned");
  await expect(page.getByTestId("page-status")).toHaveText("1–8 of 8 · page 1 of 1");
  await expect(rows.first().getByTestId("run-reason")).toContainText(
    "before the task: declined consent or no keyboard",
  );
  await page.getByTestId("sort-index").click(); // already by #: now descending
  await expect(rows.first()).toContainText("PID-e2e-56");
  await page.getByTestId("filter-status").selectOption("");
  await page.getByTestId("filter-search").fill("e2e-3");
  await expect(page.getByTestId("page-status")).toHaveText("1–10 of 10 · page 1 of 1");
  await expect(rows.first()).toContainText("PID-e2e-39");
  await page.getByTestId("filter-search").fill("e2e-33");
  await expect(rows).toHaveCount(1);
  await page.getByTestId("filter-search").fill("");
  await page.getByTestId("sort-index").click(); // ascending again
  await expect(page.getByTestId("page-status")).toHaveText("1–50 of 56 · page 1 of 2");
  await page.screenshot({ path: "test-results/screenshots/monitor.png", fullPage: false });
  await page.getByTestId("runs-table").screenshot({
    path: "test-results/screenshots/monitor-table.png",
  });
  await page.screenshot({ path: "test-results/screenshots/study-page.png", fullPage: true });

  // a row leads to the participant's page
  await rows.first().getByTestId("run-link").click();
  await expect(page).toHaveURL(new RegExp(`/studies/${studyId}/runs/[A-Za-z0-9_-]+$`));
  await expect(page.getByTestId("fact-external-id")).toContainText("PID-e2e-01");
  // the filter in the address is honoured when the page is loaded with it
  await page.goto(`${studyUrl}?pilot=exclude&page=2`);
  await expect(page.getByTestId("page-status")).toHaveText("51–56 of 56 · page 2 of 2");

  // the studies list counts completed of all participants, pilots left out
  await page.goto("/studies");
  await expect(page.getByTestId(`study-row-${slug}`).getByTestId("study-counts")).toHaveText(
    `0 / ${RUNS}`,
  );

  // duplicate: a new draft with the same settings and no runs
  await page.goto(studyUrl);
  await page.getByTestId("duplicate-button").click();
  await expect(page.getByTestId("duplicated-notice")).toBeVisible();
  expect(page.url()).not.toContain(studyId);
  const copyUrl = page.url().split("?")[0];
  await expect(page.getByTestId("study-status")).toHaveText("draft");
  await expect(page.getByTestId("participant-link")).toContainText(`/s/${slug}-copy`);
  await expect(page.getByTestId("count-total")).toHaveText("0");
  await expect(page.getByTestId("curriculum-preview")).toContainText("12 main trials in 2 blocks");

  // archive the copy: hidden from the list, its links say the study has ended
  await page.getByTestId("archive-button").click();
  await expect(page.getByTestId("archived-notice")).toBeVisible();
  await expect(page.getByTestId("archive-button")).toHaveText("Unarchive study");
  await page.goto("/studies");
  await expect(page.getByTestId(`study-row-${slug}-copy`)).toHaveCount(0);
  await page.getByTestId("toggle-archived").click();
  await expect(page.getByTestId(`study-row-${slug}-copy`)).toContainText("archived");
  await page.goto(`/s/${slug}-copy?pilot=${copyUrl.split("/").pop()}`);
  await expect(page.getByRole("heading", { name: "This study has ended" })).toBeVisible();

  // delete the original: the confirmation says how much goes, a wrong slug deletes nothing
  await page.goto(studyUrl);
  await page.getByTestId("delete-link").click();
  await expect(page.getByTestId("delete-summary")).toContainText(
    `${RUNS + PILOTS} runs (${PILOTS} of them pilot), 0 trials`,
  );
  await page.getByTestId("delete-confirm-input").fill(`${slug}-x`);
  await page.getByTestId("delete-confirm").click();
  await expect(page.getByTestId("delete-mismatch")).toBeVisible();
  await page.goto(studyUrl);
  await expect(page.getByTestId("count-total")).toHaveText(String(RUNS + PILOTS));
  await page.getByTestId("delete-link").click();
  await page.getByTestId("delete-confirm-input").fill(slug);
  await page.getByTestId("delete-confirm").click();
  await expect(page).toHaveURL(/\/studies\?deleted=/);
  await expect(page.getByTestId("deleted-notice")).toContainText("Management study");
  await expect(page.getByTestId(`study-row-${slug}`)).toHaveCount(0);
  expect((await page.goto(studyUrl))!.status()).toBe(404);
  await page.goto(`/s/${slug}?PROLIFIC_PID=PID-e2e-01`);
  await expect(page.getByRole("heading", { name: "Study not found" })).toBeVisible();
});
