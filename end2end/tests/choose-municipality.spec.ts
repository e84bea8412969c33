import { expect } from "@playwright/test";
import { expectAccessible, open, test } from "./support";

test("a guardian sees both demo municipalities and chooses Bergen", async ({ page }, testInfo) => {
  await open(page, "/", testInfo);
  await expect(page.getByRole("heading", { level: 1, name: "Velg kommune" })).toBeVisible();
  await expect(page.getByRole("link", { name: /Askøy kommune/ })).toBeVisible();
  await expect(page.getByText("Demo", { exact: true })).toBeVisible();
  await expectAccessible(page);

  await page.getByRole("link", { name: /Bergen kommune/ }).click();
  await expect(page).toHaveURL(/\/kommune\/4601$/);
  await expect(page.getByRole("heading", { level: 1, name: "Bergen kommune" })).toBeVisible();
  await expect(page.getByRole("heading", { level: 2, name: "Barnehager" })).toBeVisible();
  await expect(page.getByRole("listitem").filter({ hasText: "Lia barnehage" })).toBeVisible();
  // Bergen's SFO comes into use on 2027-01-01; before that it is not listed.
  await expect(page.getByText("Fjordvik SFO")).toHaveCount(0);
  await expect(page.getByText("Kleppestø skole")).toHaveCount(0);
  await expectAccessible(page);

  await page.getByRole("link", { name: "Bytt kommune" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Velg kommune" })).toBeVisible();
});

test("the interface can be switched to English and nynorsk and remembers it", async ({ page }, testInfo) => {
  await open(page, "/kommune/4627", testInfo);
  await page.getByRole("button", { name: "English" }).click();
  await expect(page.getByRole("heading", { level: 2, name: "Schools" })).toBeVisible();
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  await expectAccessible(page);

  await open(page, "/", testInfo);
  await expect(page.getByRole("heading", { level: 1, name: "Choose your municipality" })).toBeVisible();
  await page.getByRole("button", { name: "Nynorsk" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Vel kommune" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Nynorsk" })).toHaveAttribute("aria-pressed", "true");
});

test("an unknown municipality and an unknown page say so in plain words", async ({ page }, testInfo) => {
  const response = await open(page, "/kommune/9999", testInfo);
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { level: 1, name: "Fant ikke kommunen" })).toBeVisible();
  await expectAccessible(page);

  const missing = await open(page, "/finnes/ikke", testInfo);
  expect(missing?.status()).toBe(404);
  await expect(page.getByRole("heading", { level: 1, name: "Fant ikke siden" })).toBeVisible();
  await expectAccessible(page);
});
