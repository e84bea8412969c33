import { expect, type Page, type TestInfo } from "@playwright/test";
import { logInGuardian, logInStaff, open, smallTapTargets, test } from "./support";

// A phone held in one hand, or a tablet in a cloakroom: every control on the main pages takes a
// fingertip (44×44 CSS pixels at least), at a phone's width.
test.use({ viewport: { width: 390, height: 844 } });

async function expectFingerSized(page: Page, testInfo: TestInfo, paths: string[]) {
  const small: Record<string, string[]> = {};
  for (const path of paths) {
    await open(page, path, testInfo);
    const found = await smallTapTargets(page);
    if (found.length > 0) small[path] = found;
  }
  // Every page's findings at once, to fix them in one go.
  expect(small, "tap targets under 44×44 px").toEqual({});
}

test("every control on the front pages is at least 44 by 44 pixels", async ({ page }, testInfo) => {
  await expectFingerSized(page, testInfo, ["/", "/kommune/4601", "/tilgjengelighet"]);
});

test("every control on a guardian's main pages is at least 44 by 44 pixels", async ({ page }, testInfo) => {
  await logInGuardian(page, testInfo, "12848510058");
  await expectFingerSized(page, testInfo, [
    "/hjem",
    "/barn/demo-child-jonas",
    "/barn/demo-child-jonas/meldinger",
    "/barn/demo-child-jonas/ny-melding",
    "/barn/demo-child-jonas/fravaer",
    "/barn/demo-child-emma/henting",
    "/aktiviteter",
    "/meldinger",
    "/profil",
    "/enheter",
  ]);
});

test("every control on a teacher's main pages is at least 44 by 44 pixels", async ({ page }, testInfo) => {
  await logInStaff(page, testInfo, "Ingrid Berg");
  await expectFingerSized(page, testInfo, [
    "/ansatt",
    "/ansatt/fravaer",
    "/ansatt/aktiviteter",
    "/ansatt/gruppemelding",
    "/meldinger",
  ]);
});

test("every control on the kindergarten board is at least 44 by 44 pixels", async ({ page }, testInfo) => {
  await logInStaff(page, testInfo, "Bjørn Dahl");
  await expectFingerSized(page, testInfo, ["/ansatt", "/ansatt/dagen"]);
});

test("the main button of the absence form is on the screen without scrolling", async ({ page }, testInfo) => {
  await logInGuardian(page, testInfo, "12848510058");
  await open(page, "/barn/demo-child-jonas/fravaer", testInfo);
  await expect(page.getByRole("button", { name: "Meld fravær" })).toBeInViewport();
  await open(page, "/barn/demo-child-jonas/ny-melding", testInfo);
  await expect(page.getByRole("button", { name: "Send", exact: true })).toBeInViewport();
});
