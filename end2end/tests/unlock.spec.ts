// Quick unlock: a PIN with a device key kept in IndexedDB, and the platform authenticator
// through WebAuthn (Chromium's virtual authenticator over the DevTools protocol). Both need the
// app's code in the browser, so these stories run in the hydrated project only; without
// JavaScript the app is entered through ID-porten as before.
import { expect, type Page, type TestInfo } from "@playwright/test";
import { chromium, expectAccessible, hydrated, logInGuardian, open, test } from "./support";

// Tests run in parallel and a person's device list is shared, so a story that counts devices
// has a guardian of its own.
const KARI = { number: "12848510058", name: "Kari Nordmann" };
const PER = { number: "07868030083", name: "Per Hansen" };

async function logIn(page: Page, testInfo: TestInfo, who = KARI) {
  await logInGuardian(page, testInfo, who.number);
  await expect(page.getByRole("heading", { level: 1, name: `Hei, ${who.name}` })).toBeVisible();
  await expect(page.locator("body[data-hydrated]")).toHaveCount(1, { timeout: 20_000 });
}

async function setPin(page: Page, first: string, again = first) {
  await page.getByLabel("Ny PIN-kode").fill(first);
  await page.getByLabel("Skriv PIN-koden en gang til").fill(again);
  await page.getByRole("button", { name: "Slå på PIN-kode" }).click();
}

/** The session ends (as after its idle timeout) while the device key stays in IndexedDB. */
async function endSession(page: Page) {
  await page.context().clearCookies({ name: "ranselpost_session" });
}

test.beforeEach(({}, testInfo) => {
  test.skip(!hydrated(testInfo), "quick unlock keeps its key in the browser and needs the app's code");
});

test("Kari sets PIN 2580 after logging in, and when her session is gone the PIN screen lets her back in", async ({ page }, testInfo) => {
  await logIn(page, testInfo);
  await expect(page.getByRole("heading", { name: "Lås opp raskere neste gang" })).toBeVisible();
  await page.getByRole("link", { name: "Slå på hurtigopplåsing" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Hurtigopplåsing og enheter" })).toBeVisible();

  // A PIN anybody would try first is refused, and so are two different PINs.
  await setPin(page, "1234");
  await expect(page.getByRole("alert")).toContainText("for lett å gjette");
  await setPin(page, "2580", "2581");
  await expect(page.getByRole("alert")).toContainText("ikke like");
  await setPin(page, "2580");
  await expect(page.getByRole("status").filter({ hasText: "låses opp med PIN-kode" })).toBeVisible();
  await expectAccessible(page);

  await endSession(page);
  await page.goto("/hjem");
  await expect(page.getByRole("heading", { level: 1, name: "Lås opp Ranselpost" })).toBeVisible();
  await expectAccessible(page);
  await page.getByLabel("PIN-kode (fire sifre)").fill("2580");
  await page.getByRole("button", { name: "Lås opp", exact: true }).click();
  await expect(page).toHaveURL(/\/hjem$/);
  await expect(page.getByRole("heading", { level: 1, name: "Hei, Kari Nordmann" })).toBeVisible();
  // The unlocked session is a normal one, but setting up another device needs ID-porten again.
  await expect(page.getByRole("heading", { name: "Lås opp raskere neste gang" })).toHaveCount(0);
});

test("five wrong PINs revoke the device and send Kari to ID-porten", async ({ page }, testInfo) => {
  await logIn(page, testInfo);
  await page.goto("/enheter");
  await setPin(page, "2580");
  await expect(page.getByRole("status").filter({ hasText: "låses opp med PIN-kode" })).toBeVisible();
  await endSession(page);

  await page.goto("/");
  await expect(page.getByRole("heading", { level: 1, name: "Lås opp Ranselpost" })).toBeVisible();
  for (const left of [4, 3, 2, 1]) {
    await page.getByLabel("PIN-kode (fire sifre)").fill("1397");
    await page.getByRole("button", { name: "Lås opp", exact: true }).click();
    await expect(page.getByRole("alert")).toContainText(`Du har ${left} forsøk igjen`);
  }
  await page.getByLabel("PIN-kode (fire sifre)").fill("1397");
  await page.getByRole("button", { name: "Lås opp", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: "TestID" })).toBeVisible();

  // The device has forgotten its key: the front page no longer leads to the PIN screen, and
  // the right PIN would not help either.
  await open(page, "/", testInfo);
  await expect(page.getByRole("heading", { level: 1, name: "Velg kommune" })).toBeVisible();
  await page.goto("/las-opp");
  await expect(page.getByRole("heading", { level: 1, name: "Velg kommune" })).toBeVisible();
});

test("Kari turns on Touch ID / face recognition and unlocks with the platform authenticator", async ({ page }, testInfo) => {
  test.skip(!chromium(testInfo), "the virtual platform authenticator is a Chromium DevTools tool");
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("WebAuthn.enable");
  const { authenticatorId } = await cdp.send("WebAuthn.addVirtualAuthenticator", {
    options: {
      protocol: "ctap2",
      transport: "internal",
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  });
  await logIn(page, testInfo);
  await page.getByRole("link", { name: "Slå på hurtigopplåsing" }).click();
  await page.getByRole("button", { name: "Slå på Touch ID / ansiktsgjenkjenning" }).click();
  await expect(page.getByRole("status").filter({ hasText: "låses opp med Touch ID" })).toBeVisible();
  await expect(page.locator(".device-list li").filter({ hasText: "Touch ID / ansiktsgjenkjenning" }).first()).toBeVisible();
  const { credentials } = await cdp.send("WebAuthn.getCredentials", { authenticatorId });
  expect(credentials).toHaveLength(1);

  await endSession(page);
  await page.goto("/");
  await expect(page.getByRole("heading", { level: 1, name: "Lås opp Ranselpost" })).toBeVisible();
  await page.getByRole("button", { name: "Lås opp med Touch ID / ansiktsgjenkjenning" }).click();
  await expect(page).toHaveURL(/\/hjem$/);
  await expect(page.getByRole("heading", { level: 1, name: "Hei, Kari Nordmann" })).toBeVisible();

  // A face the authenticator does not recognise does not unlock.
  await endSession(page);
  await cdp.send("WebAuthn.setUserVerified", { authenticatorId, isUserVerified: false });
  await page.goto("/las-opp");
  await page.getByRole("button", { name: "Lås opp med Touch ID / ansiktsgjenkjenning" }).click();
  await expect(page.locator("[role=alert]:not(:empty)")).toBeVisible();
  await expect(page).toHaveURL(/\/las-opp$/);
});

test("'log out and forget this device' removes quick unlock from the device and from the guardian's list", async ({ page }, testInfo) => {
  await logIn(page, testInfo, PER);
  await page.goto("/enheter");
  await setPin(page, "2580");
  await expect(page.getByRole("status").filter({ hasText: "låses opp med PIN-kode" })).toBeVisible();
  await page.getByRole("button", { name: "Logg ut og glem denne enheten" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Velg kommune" })).toBeVisible();
  // No PIN screen any more: this device starts at the front page.
  await open(page, "/", testInfo);
  await expect(page.getByRole("heading", { level: 1, name: "Velg kommune" })).toBeVisible();

  // Logged in again, the device is not in his list.
  await logIn(page, testInfo, PER);
  await page.goto("/enheter");
  await expect(page.getByText("Ingen enheter har hurtigopplåsing.")).toBeVisible();
});
