// Keyboard alone: one whole journey per role, with Tab to move and Enter to act (and typing into
// fields), never the mouse. What the accessibility statement (/tilgjengelighet) says was tested.
import { expect, type Locator, type Page } from "@playwright/test";
import { expectAccessible, open, run, test } from "./support";

/** Presses Tab until `target` has the focus, as a keyboard user reaches it; fails if it never does. */
async function tabTo(page: Page, target: Locator, max = 80) {
  for (let presses = 0; presses < max; presses++) {
    await page.keyboard.press("Tab");
    if (await target.evaluate((el) => el === document.activeElement).catch(() => false)) return;
  }
  throw new Error(`${target} was not reached with ${max} presses of Tab`);
}

/** Tabs to `target` and presses Enter on it. */
async function activate(page: Page, target: Locator) {
  await tabTo(page, target);
  await page.keyboard.press("Enter");
}

/** Tabs to a field and types into it. */
async function typeInto(page: Page, field: Locator, text: string) {
  await tabTo(page, field);
  await page.keyboard.type(text);
}

test("the first Tab on a page reaches the skip link, and it moves the focus to the content", async ({ page }, testInfo) => {
  await open(page, "/kommune/4601", testInfo);
  await page.keyboard.press("Tab");
  const skip = page.getByRole("link", { name: "Hopp til innholdet" });
  await expect(skip).toBeFocused();
  await expect(skip).toBeVisible();
  await page.keyboard.press("Enter");
  await expect(page.locator("main")).toBeFocused();
});

test("the accessibility statement is linked from every page's footer and says what was tested", async ({ page }, testInfo) => {
  await open(page, "/", testInfo);
  await activate(page, page.getByRole("contentinfo").getByRole("link", { name: "Tilgjengelighet" }));
  await expect(page).toHaveURL(/\/tilgjengelighet$/);
  await expect(page.getByRole("heading", { level: 1, name: "Tilgjengelighetserklæring" })).toBeVisible();
  await expect(page.getByRole("heading", { level: 2, name: "Slik er løsningen testet" })).toBeVisible();
  await expect(page.getByRole("heading", { level: 2, name: "Meld fra om et problem" })).toBeVisible();
  await expectAccessible(page);
});

test("a guardian logs in, opens her child and sends a message with the keyboard alone", async ({ page }, testInfo) => {
  const subject = `Tastatur ${run()}`;
  await open(page, "/", testInfo);
  await activate(page, page.getByRole("link", { name: /Bergen kommune/ }));
  await expect(page).toHaveURL(/\/kommune\/4601$/);
  await activate(page, page.getByRole("link", { name: "Logg inn med ID-porten" }));
  await typeInto(page, page.getByLabel("Fødselsnummer"), "12848510058");
  await activate(page, page.getByRole("button", { name: "Logg inn", exact: true }));
  await expect(page).toHaveURL(/\/hjem$/);

  await activate(page, page.getByRole("link", { name: /Jonas Nordmann/ }).first());
  await activate(page, page.getByRole("link", { name: "Ny melding" }));
  await expect(page.getByRole("heading", { level: 1, name: "Ny melding om Jonas Nordmann" })).toBeVisible();
  await typeInto(page, page.getByLabel("Emne"), subject);
  await typeInto(page, page.getByLabel("Melding", { exact: true }), "Bestemor henter Jonas i dag.");
  await activate(page, page.getByRole("button", { name: "Send" }));
  await expect(page).toHaveURL(/\/samtale\//);
  await expect(page.getByRole("heading", { level: 1, name: subject })).toBeVisible();
});

test("a staff member logs in, reads today's absence and writes to a child's guardians with the keyboard alone", async ({ page }, testInfo) => {
  const subject = `Tastatur ${run()}`;
  await open(page, "/kommune/4601", testInfo);
  await activate(page, page.getByRole("link", { name: "Logg inn som ansatt" }));
  await activate(page, page.getByRole("button", { name: "Ingrid Berg" }));
  await expect(page).toHaveURL(/\/ansatt$/);

  await activate(page, page.getByRole("link", { name: /^Fravær/ }));
  await expect(page).toHaveURL(/\/ansatt\/fravaer$/);
  await activate(page, page.getByRole("link", { name: "Til oversikten" }));
  await expect(page).toHaveURL(/\/ansatt$/);

  await activate(page, page.getByRole("link", { name: /Jonas Nordmann/ }).first());
  await activate(page, page.getByRole("link", { name: "Ny melding" }));
  await typeInto(page, page.getByLabel("Emne"), subject);
  await typeInto(page, page.getByLabel("Melding", { exact: true }), "Husk gymtøy i morgen.");
  await activate(page, page.getByRole("button", { name: "Send" }));
  await expect(page).toHaveURL(/\/samtale\//);
  await expect(page.getByRole("heading", { level: 1, name: subject })).toBeVisible();
});
