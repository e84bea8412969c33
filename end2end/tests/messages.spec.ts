import { expect, type Page, type TestInfo } from "@playwright/test";
import { expectAccessible, hydrated, logInGuardian, logInStaff, logOut, open, run, test, writeAboutJonas } from "./support";

// Both projects (hydrated and without JavaScript) share one demo server: every run writes its own
// subjects and texts, and looks only at those.

async function openInbox(page: Page, testInfo: TestInfo) {
  await open(page, "/meldinger", testInfo);
  await expect(page.getByRole("heading", { level: 1, name: "Meldinger" })).toBeVisible();
}

test("Kari is warned about a diagnosis, sends anyway, Ingrid reads it, Kari sees it read and Ola sees the conversation", async ({ page }, testInfo) => {
  const subject = `Om Jonas ${run()}`;
  await logInGuardian(page, testInfo, "12848510058");
  await page.getByRole("link", { name: /Jonas Nordmann/ }).first().click();
  await page.getByRole("link", { name: "Ny melding" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Ny melding om Jonas Nordmann" })).toBeVisible();
  await expect(page.getByRole("note").filter({ hasText: "Del ikke sensitive personopplysninger" })).toBeVisible();
  await expect(page.getByRole("group", { name: "Til" }).getByRole("radio", { name: /Ingrid Berg.*Kontaktlærer, Fjordvik skole/ })).toBeChecked();
  await expect(page.getByText(/kan lese samtalen: Kari Nordmann, Ola Nordmann/)).toBeVisible();

  await page.getByLabel("Emne").fill(subject);
  await page.getByLabel("Melding", { exact: true }).fill("Han har fått diagnosen ADHD");
  if (!hydrated(testInfo)) {
    // Without JavaScript the server checks the text and brings it back with the warning.
    await page.getByRole("button", { name: "Send" }).click();
    await expect(page.getByRole("alert")).toContainText("Meldingen ble ikke sendt");
    await expect(page.getByLabel("Melding", { exact: true })).toHaveValue("Han har fått diagnosen ADHD");
  }
  await expect(page.locator("mark", { hasText: "ADHD" })).toBeVisible();
  await expect(page.getByText("Helseopplysninger: diagnose, sykdom, medisin eller helsetjeneste")).toBeVisible();
  await expectAccessible(page);
  await page.getByLabel("Jeg har lest advarselen og vil sende likevel").check();
  await page.getByRole("button", { name: "Send" }).click();

  await expect(page).toHaveURL(/\/samtale\//);
  const thread = new URL(page.url()).pathname;
  await expect(page.getByRole("heading", { level: 1, name: subject })).toBeVisible();
  await expect(page.getByText("Han har fått diagnosen ADHD")).toBeVisible();
  await expect(page.getByText("Ikke lest ennå")).toBeVisible();
  await expectAccessible(page);
  await logOut(page);

  await logInStaff(page, testInfo, "Ingrid Berg");
  await openInbox(page, testInfo);
  const row = page.getByRole("link", { name: new RegExp(subject) });
  await expect(row).toContainText("1 ulest");
  await row.click();
  await expect(page.getByText("Han har fått diagnosen ADHD")).toBeVisible();
  await openInbox(page, testInfo);
  await expect(page.getByRole("link", { name: new RegExp(subject) })).not.toContainText("ulest");
  await logOut(page);

  await logInGuardian(page, testInfo, "12848510058");
  await open(page, thread, testInfo);
  await expect(page.getByText("Lest av Ingrid Berg")).toBeVisible();
  await logOut(page);

  await logInGuardian(page, testInfo, "03898320188");
  await openInbox(page, testInfo);
  await expect(page.getByRole("link", { name: new RegExp(subject) })).toBeVisible();
});

test("Ingrid's group message to 4B: Per answers, and Kari never sees Per's answer", async ({ page }, testInfo) => {
  const id = run();
  await logInStaff(page, testInfo, "Ingrid Berg");
  await page.getByRole("link", { name: "Ny gruppemelding" }).click();
  await page.getByLabel("Til foresatte i").selectOption({ label: "Fjordvik skole, 4B (24 barn)" });
  await page.getByLabel("Emne").fill(`Skogstur ${id}`);
  await page.getByLabel("Melding", { exact: true }).fill("Vi går til skogen på fredag. Ta med matpakke.");
  await expectAccessible(page);
  await page.getByRole("button", { name: "Send" }).click();
  await expect(page).toHaveURL(/\/samtale\//);
  await expect(page.getByText(/^Lest av 0 av \d+/)).toBeVisible();
  await logOut(page);

  await logInGuardian(page, testInfo, "07868030083");
  await openInbox(page, testInfo);
  await page.getByRole("link", { name: new RegExp(`Skogstur ${id}`) }).click();
  await expect(page.getByText("Svaret ditt går bare til de ansatte")).toBeVisible();
  await page.getByLabel("Ditt svar").fill(`Lise har ikke regntøy ${id}`);
  await page.getByRole("button", { name: "Send" }).click();
  await expect(page.getByText(`Lise har ikke regntøy ${id}`)).toBeVisible();
  await expectAccessible(page);
  await logOut(page);

  await logInGuardian(page, testInfo, "12848510058");
  await openInbox(page, testInfo);
  const group = page.getByRole("link", { name: new RegExp(`Skogstur ${id}`) });
  await expect(group).toHaveCount(1);
  await expect(page.getByText(`regntøy ${id}`)).toHaveCount(0);
  await group.click();
  await expect(page.getByText("Vi går til skogen på fredag.")).toBeVisible();
  await expect(page.getByText(`regntøy ${id}`)).toHaveCount(0);
});

test("a new message appears on Kari's open conversation without a reload", async ({ page, browser }, testInfo) => {
  test.skip(!hydrated(testInfo), "live updates need the app's JavaScript");
  const subject = `Henting ${run()}`;
  await logInGuardian(page, testInfo, "12848510058");
  const thread = await writeAboutJonas(page, testInfo, subject, "Bestemor henter Jonas i dag.");

  const staff = await browser.newContext({ locale: "nb-NO", baseURL: testInfo.project.use.baseURL });
  const ingrid = await staff.newPage();
  await logInStaff(ingrid, testInfo, "Ingrid Berg");
  await open(ingrid, thread, testInfo);
  await ingrid.getByLabel("Ditt svar").fill("Takk, det er notert.");
  await ingrid.getByRole("button", { name: "Send" }).click();
  await expect(ingrid.getByText("Takk, det er notert.")).toBeVisible();
  await staff.close();

  await expect(page.getByText("Takk, det er notert.")).toBeVisible({ timeout: 10_000 });
});

test("a message and a reply each sent with two quick taps arrive once, and the answer box is empty after", async ({ page }, testInfo) => {
  const subject = `Sko ${run()}`;
  await logInGuardian(page, testInfo, "12848510058");
  await writeAboutJonas(page, testInfo, subject, "Jonas har glemt skoene sine.", 2);

  const answer = `De står i gangen ${run()}`;
  await page.getByLabel("Ditt svar").fill(answer);
  await page.getByRole("button", { name: "Send" }).dblclick();
  await expect(page.locator(".message", { hasText: answer })).toHaveCount(1);
  await expect(page.getByLabel("Ditt svar")).toHaveValue("");
  await page.reload();
  await expect(page.locator(".message", { hasText: answer })).toHaveCount(1);
  await openInbox(page, testInfo);
  await expect(page.getByRole("link", { name: new RegExp(subject) })).toHaveCount(1);
});
