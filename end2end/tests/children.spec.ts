import { expect, type Page, type TestInfo } from "@playwright/test";
import { expectAccessible, laterPort, logInGuardian, open, test } from "./support";

test("Kari sees Emma and Jonas with their places and switches between them", async ({ page }, testInfo) => {
  await logInGuardian(page, testInfo, "12848510058");
  const emma = page.getByRole("link", { name: /Emma Sofie Nordmann/ });
  await expect(emma).toContainText("Lia barnehage, Blåbær");
  await expect(page.getByRole("link", { name: /Jonas Nordmann/ })).toContainText("Fjordvik skole, 4B");
  await expect(page.getByText("Fjordvik SFO")).toHaveCount(0);

  await emma.click();
  await expect(page.getByRole("heading", { level: 1, name: "Emma Sofie Nordmann" })).toBeVisible();
  await expect(page.getByText("Bjørn Dahl – Pedagogisk leder, Lia barnehage")).toBeVisible();
  await expectAccessible(page);

  const switcher = page.getByRole("navigation", { name: "Bytt barn" });
  await expect(switcher.getByRole("link", { name: "Emma" })).toHaveAttribute("aria-current", "page");
  await switcher.getByRole("link", { name: "Jonas" }).click();
  await expect(page).toHaveURL(/\/barn\/demo-child-jonas$/);
  await expect(page.getByRole("heading", { level: 1, name: "Jonas Nordmann" })).toBeVisible();
  await expect(page.getByText("Ingrid Berg – Kontaktlærer, Fjordvik skole")).toBeVisible();
});

test("Per sees only Lise, and Tor sees no child", async ({ page }, testInfo) => {
  await logInGuardian(page, testInfo, "07868030083");
  await expect(page.getByRole("link", { name: /Lise Hansen/ })).toBeVisible();
  await expect(page.getByText("Nordmann")).toHaveCount(0);
  await page.getByRole("button", { name: "Logg ut" }).click();
  // The logout is a chain of redirects (the app, the provider, back): it must end before the
  // next login starts, or the two navigations race (seen in Firefox).
  await expect(page.getByRole("heading", { level: 1, name: "Velg kommune" })).toBeVisible();

  await logInGuardian(page, testInfo, "19888812035");
  await expect(page.getByRole("heading", { name: "Vi fant ingen barn knyttet til deg" })).toBeVisible();
  await expect(page.getByText("Lise")).toHaveCount(0);
});

test("from Bergen's SFO start date Jonas's SFO appears beside his school", async ({ page }, testInfo) => {
  await logInGuardian(page, testInfo, "12848510058", `http://localhost:${laterPort}`);
  const jonas = page.getByRole("link", { name: /Jonas Nordmann/ });
  await expect(jonas).toContainText("Fjordvik skole, 4B");
  await expect(jonas).toContainText("Fjordvik SFO");
});

test("Kari's profile shows her contact details from KRR, read-only", async ({ page }, testInfo) => {
  await logInGuardian(page, testInfo, "12848510058");
  await page.getByRole("link", { name: "Din profil og kontaktinformasjon" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Din profil" })).toBeVisible();
  await expect(page.getByText("kari.nordmann@example.no")).toBeVisible();
  await expect(page.getByRole("link", { name: "Endre kontaktinformasjonen på norge.no" })).toBeVisible();
  await expect(page.getByRole("textbox")).toHaveCount(0);
  await expectAccessible(page);
});
