import { expect } from "@playwright/test";
import { hydrated, logInGuardian, loseSession, open, run, test, writeAboutJonas } from "./support";

// A session that ends while a parent is busy: nothing typed is lost, and links land where they
// point. Both projects: without JavaScript (or before the WASM arrives) the form is a plain post.

test("Kari's session ends while she writes to Ingrid; she logs in again, finds her text and sends it", async ({ page, context }, testInfo) => {
  const subject = `Henting ${run()}`;
  const body = `Bestemor henter Jonas hele neste uke ${run()}`;
  await logInGuardian(page, testInfo, "12848510058");
  await open(page, "/barn/demo-child-jonas/ny-melding", testInfo);
  await page.getByLabel("Emne").fill(subject);
  await page.getByLabel("Melding", { exact: true }).fill(body);
  await loseSession(context);
  await page.getByRole("button", { name: "Send" }).click();

  await expect(page.getByText("Det du skrev er tatt vare på")).toBeVisible();
  await expect(page.getByText("Unauthenticated")).toHaveCount(0);
  await logInGuardian(page, testInfo, "12848510058", "", /\/barn\/demo-child-jonas\/ny-melding\?utkast=/);
  await expect(page.getByLabel("Emne")).toHaveValue(subject);
  await expect(page.getByLabel("Melding", { exact: true })).toHaveValue(body);
  // Said at the top of the form, where the eye (and the focus) is.
  await expect(page.getByRole("alert")).toContainText("Du ble logget ut før dette ble sendt");
  if (hydrated(testInfo)) await expect(page.locator("body[data-hydrated]")).toHaveCount(1);
  await page.getByRole("button", { name: "Send" }).click();
  await expect(page).toHaveURL(/\/samtale\//);
  await expect(page.getByRole("heading", { level: 1, name: subject })).toBeVisible();
  await expect(page.getByText(body)).toBeVisible();
});

test("a conversation link opened without a session explains why and lands on the conversation after login", async ({ page, context }, testInfo) => {
  const subject = `Lenke ${run()}`;
  await logInGuardian(page, testInfo, "12848510058");
  const thread = await writeAboutJonas(page, testInfo, subject, "Jonas trenger nye sko.");
  await loseSession(context);

  await open(page, thread, testInfo);
  await expect(page.getByText("Logg inn for å fortsette")).toBeVisible();
  await logInGuardian(page, testInfo, "12848510058", "", new RegExp(`${thread}$`));
  await expect(page.getByRole("heading", { level: 1, name: subject })).toBeVisible();

  await page.getByRole("button", { name: "Logg ut" }).click();
  await expect(page.getByText("Du er logget ut")).toBeVisible();
  await expect(page.getByRole("link", { name: /Bergen kommune/ })).toContainText("Sist valgt");
});
