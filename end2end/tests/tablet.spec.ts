// Shared tablets at Lia barnehage: Hilde Vik (styrer) pairs one; Bjørn Dahl and Leila Haddad
// switch on it with their tablet PINs; the board is live between tablets and from Kari's phone;
// the tablet locks itself after the unit's idle time; a daily note reaches Kari.
import { expect, type Browser, type Page, type TestInfo } from "@playwright/test";
import { hydrated, logInGuardian, logInStaff, logOut, open, run, test } from "./support";

// Every run sets the same PINs, so the projects running at once never lock each other out.
const PINS: Record<string, string> = { "Bjørn Dahl": "48213", "Leila Haddad": "73915" };

async function newPage(browser: Browser, testInfo: TestInfo): Promise<Page> {
  const context = await browser.newContext({ locale: "nb-NO", baseURL: testInfo.project.use.baseURL });
  return context.newPage();
}

/** `name` logs in as staff and sets their tablet PIN on /ansatt/nettbrett. */
async function setPin(page: Page, testInfo: TestInfo, name: string) {
  await logInStaff(page, testInfo, name);
  await page.getByRole("link", { name: "Nettbrett" }).click();
  await page.getByLabel("Ny PIN (4–6 sifre)").fill(PINS[name]);
  await page.getByLabel("Samme PIN en gang til").fill(PINS[name]);
  await page.getByRole("button", { name: "Lagre PIN" }).click();
  await expect(page.getByText("PIN-en er lagret.")).toBeVisible();
  await logOut(page);
}

/** A new tablet, paired to Lia barnehage by Hilde as `name`. */
async function pairedTablet(browser: Browser, testInfo: TestInfo, name: string): Promise<Page> {
  const tablet = await newPage(browser, testInfo);
  await open(tablet, "/nettbrett", testInfo);
  await expect(tablet.getByRole("heading", { level: 1, name: "Koble til nettbrettet" })).toBeVisible();
  await tablet.getByRole("button", { name: "Vis kode for å koble til" }).click();
  const shown = tablet.locator(".pairing-code");
  await expect(shown).toHaveText(/^[A-Z2-9]{4}-[A-Z2-9]{4}$/);
  const code = (await shown.textContent())?.trim() ?? "";

  const hilde = await newPage(browser, testInfo);
  await logInStaff(hilde, testInfo, "Hilde Vik");
  await hilde.getByRole("link", { name: "Nettbrett" }).click();
  await hilde.getByLabel("Koden nettbrettet viser").fill(code.toLowerCase());
  await hilde.getByLabel("Navn på nettbrettet").fill(name);
  await hilde.getByRole("button", { name: "Koble til", exact: true }).click();
  await expect(hilde.getByText("Nettbrettet er koblet til.")).toBeVisible();
  await expect(hilde.locator("li", { hasText: name })).toContainText("Koblet til av Hilde Vik");
  await hilde.context().close();

  // The tablet sees it by itself and shows the unit's staff.
  await expect(tablet.getByRole("heading", { level: 1, name: "Lia barnehage" })).toBeVisible({ timeout: 10_000 });
  await expect(tablet.getByText(`Dette nettbrettet: ${name}.`)).toBeVisible();
  return tablet;
}

/** On a paired tablet, `name` taps their tile and types their PIN on the pad. */
async function switchIn(tablet: Page, testInfo: TestInfo, name: string) {
  await open(tablet, "/nettbrett", testInfo);
  await tablet.getByRole("button", { name, exact: true }).click();
  for (const digit of PINS[name]) {
    await tablet.getByRole("button", { name: digit, exact: true }).click();
  }
  await tablet.getByRole("button", { name: "OK", exact: true }).click();
  await expect(tablet).toHaveURL(/\/ansatt\/dagen$/);
  await expect(tablet.getByRole("heading", { level: 1, name: "Lia barnehage, Blåbær" })).toBeVisible();
}

test("Hilde Vik pairs a tablet for Lia barnehage; Bjørn Dahl and Leila Haddad switch on it with their PINs", async ({ page, browser }, testInfo) => {
  test.skip(!hydrated(testInfo), "a tablet makes its own key with the app's JavaScript");
  test.setTimeout(90_000);
  await setPin(page, testInfo, "Bjørn Dahl");
  await setPin(page, testInfo, "Leila Haddad");
  const tablet = await pairedTablet(browser, testInfo, `Garderoben ${run()}`);
  await switchIn(tablet, testInfo, "Bjørn Dahl");
  // A PIN session reaches the board, not the conversations.
  await open(tablet, "/meldinger", testInfo);
  await expect(tablet.getByText("Emma")).toHaveCount(0);
  await open(tablet, "/ansatt/dagen", testInfo);
  await tablet.getByRole("button", { name: "Lås" }).click();
  await expect(tablet).toHaveURL(/\/nettbrett$/);
  await switchIn(tablet, testInfo, "Leila Haddad");
  await tablet.context().close();
});

test("a check-in on one tablet shows on a second tablet within a second, and Kari's pick-up note appears live", async ({ page, browser }, testInfo) => {
  test.skip(!hydrated(testInfo), "live updates need the app's JavaScript");
  test.setTimeout(90_000);
  await setPin(page, testInfo, "Bjørn Dahl");
  await setPin(page, testInfo, "Leila Haddad");
  const first = await pairedTablet(browser, testInfo, `Garderoben ${run()}`);
  const second = await pairedTablet(browser, testInfo, `Sovesalen ${run()}`);
  await switchIn(first, testInfo, "Bjørn Dahl");
  await switchIn(second, testInfo, "Leila Haddad");
  // A child nobody else's spec touches: one per project.
  const names = (await first.locator("li.tile .tile-name").allTextContents()).filter((n) => !n.startsWith("Emma"));
  const child = names[testInfo.project.name === "firefox" ? 1 : 0];
  const onFirst = first.locator("li.tile", { hasText: child });
  const onSecond = second.locator("li.tile", { hasText: child });
  const checkIn = onFirst.getByRole("button", { name: `Kryss inn ${child}` });
  const checkOut = onFirst.getByRole("button", { name: `Kryss ut ${child}` });
  await expect(checkIn.or(checkOut)).toBeVisible();
  const arriving = await checkIn.isVisible();
  await (arriving ? checkIn : checkOut).click();
  await expect(onSecond.locator(".tile-status")).toContainText(arriving ? "Til stede fra" : "Hentet", { timeout: 1_000 });

  const who = `Mormor Randi ${run()}`;
  await logInGuardian(page, testInfo, "12848510058");
  await open(page, "/barn/demo-child-emma/henting", testInfo);
  await page.getByLabel("Hvem henter").fill(who);
  await page.getByLabel("Klokken").fill("15:30");
  await page.getByRole("button", { name: "Send beskjed" }).click();
  await expect(page.getByText("Beskjeden er sendt.")).toBeVisible();
  await expect(second.locator("li.tile", { hasText: "Emma Sofie Nordmann" })).toContainText(`${who} henter 15:30`, { timeout: 2_000 });
  await first.context().close();
  await second.context().close();
});

test("the tablet locks itself after five minutes without a touch", async ({ page, browser }, testInfo) => {
  test.skip(!hydrated(testInfo), "the idle lock is the app's JavaScript (the server ends the session too)");
  test.setTimeout(90_000);
  await setPin(page, testInfo, "Bjørn Dahl");
  const tablet = await pairedTablet(browser, testInfo, `Garderoben ${run()}`);
  await tablet.clock.install();
  await switchIn(tablet, testInfo, "Bjørn Dahl");
  await tablet.clock.fastForward("04:00");
  await expect(tablet).toHaveURL(/\/ansatt\/dagen$/);
  await tablet.clock.fastForward("01:10");
  await expect(tablet).toHaveURL(/\/nettbrett$/, { timeout: 10_000 });
  await expect(tablet.getByRole("button", { name: "Bjørn Dahl", exact: true })).toBeVisible();
  await tablet.context().close();
});

test("Bjørn writes Emma's daily note on the board and Kari reads it with her check-in time", async ({ page }, testInfo) => {
  const words = `Malte en hest ${run()}`;
  await logInStaff(page, testInfo, "Bjørn Dahl");
  await open(page, "/ansatt/dagen", testInfo);
  const tile = page.locator("li.tile", { hasText: "Emma Sofie Nordmann" });
  await tile.getByRole("link", { name: /dagsnotat/i }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Dagsnotat for Emma Sofie Nordmann" })).toBeVisible();
  await expect(page.getByRole("note").filter({ hasText: "Del ikke sensitive personopplysninger" })).toBeVisible();
  await page.getByLabel("Sov fra").fill("12:00");
  await page.getByLabel("til", { exact: true }).fill("13:15");
  await page.getByLabel("Godt").check();
  await page.getByLabel("Noe fint fra dagen (valgfritt)").fill(words);
  await page.getByRole("button", { name: "Lagre dagsnotat" }).click();
  await expect(page).toHaveURL(/\/ansatt\/dagen/);
  await expect(tile.getByRole("link", { name: /Dagsnotat skrevet/ })).toBeVisible();
  await logOut(page);

  await logInGuardian(page, testInfo, "12848510058");
  await open(page, "/barn/demo-child-emma", testInfo);
  const today = page.getByRole("region", { name: "I dag" });
  await expect(today).toContainText(words);
  await expect(today).toContainText("Sov 12:00–13:15");
  await expect(today).toContainText("Spiste: Godt");
  await expect(today).toContainText("Skrevet av Bjørn Dahl");
});
