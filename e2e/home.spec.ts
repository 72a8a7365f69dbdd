import { expect, test } from "@playwright/test";

test("the landing page explains the product and links the demo study and the researcher login", async ({
  page,
}) => {
  await page.goto("/");
  await expect(page.getByRole("heading", { name: "NTA Lab" })).toBeVisible();
  const participant = page.getByTestId("demo-participant-link");
  await expect(participant).toHaveAttribute("href", "/s/demo");
  await expect(page.getByTestId("researcher-login-link")).toHaveAttribute("href", "/login");
  await page.screenshot({ path: "e2e/screenshots/home.png", fullPage: true });
});
