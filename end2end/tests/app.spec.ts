import { expect } from "@playwright/test";
import { chromium, hydrated, open, test } from "./support";

test("the web app manifest makes the app installable: name, standalone, start URL and icons incl. maskable", async ({ page, request }, testInfo) => {
  await open(page, "/", testInfo);
  const href = await page.locator('link[rel="manifest"]').getAttribute("href");
  expect(href).toBe("/manifest.webmanifest");
  const manifest = await (await request.get(href!)).json();
  expect(manifest.name).toBe("Ranselpost");
  expect(manifest.short_name).toBe("Ranselpost");
  expect(manifest.display).toBe("standalone");
  expect(manifest.start_url).toBe("/");
  expect(manifest.theme_color).toMatch(/^#/);
  const sizes = (purpose: string) =>
    manifest.icons.filter((i: { purpose: string }) => i.purpose === purpose).map((i: { sizes: string }) => i.sizes);
  expect(sizes("any")).toEqual(expect.arrayContaining(["192x192", "512x512"]));
  expect(sizes("maskable")).toEqual(expect.arrayContaining(["192x192", "512x512"]));
  for (const icon of manifest.icons) {
    const response = await request.get(icon.src);
    expect(response.ok(), icon.src).toBeTruthy();
    expect(response.headers()["content-type"]).toContain(icon.type);
  }
});

test("the installed app starts offline: the last inbox can be read and other pages say the device is offline", async ({ page, context }, testInfo) => {
  test.skip(!hydrated(testInfo), "the service worker is installed by the app's JavaScript");
  // Playwright's context.setOffline() over WebDriver BiDi did not make Firefox's navigation fall
  // back to the service worker's offline page here; whether Firefox or the tool is at fault is
  // not settled, so this story is checked in Chromium only for now.
  test.skip(!chromium(testInfo), "offline emulation through WebDriver BiDi is not verified");
  await open(page, "/kommune/4601", testInfo);
  await page.getByRole("link", { name: "Logg inn med ID-porten" }).click();
  await page.getByLabel("Fødselsnummer").fill("12848510058");
  await page.getByRole("button", { name: "Logg inn", exact: true }).click();
  await expect(page).toHaveURL(/\/hjem$/);

  await open(page, "/meldinger", testInfo);
  await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
  // Chrome's own installability check finds nothing missing (apart from the test's browser
  // context being incognito, which no real user's is). Firefox has no such check to ask.
  if (chromium(testInfo)) {
    const cdp = await context.newCDPSession(page);
    const { installabilityErrors } = await cdp.send("Page.getInstallabilityErrors");
    expect(installabilityErrors.map((e) => e.errorId).filter((id) => id !== "in-incognito")).toEqual([]);
  }
  // Now controlled by the service worker, a load of the inbox is kept for offline reading.
  await page.reload();
  await expect
    .poll(() => page.evaluate(async () => !!(await caches.match("/meldinger"))), { timeout: 10_000 })
    .toBe(true);

  await context.setOffline(true);
  // The emulation reaches the page a moment after the call returns: the next load must start
  // offline, or it may still come from the network as an ordinary page.
  await expect.poll(() => page.evaluate(() => navigator.onLine), { timeout: 10_000 }).toBe(false);
  await page.goto("/meldinger");
  await expect(page.getByRole("heading", { level: 1, name: "Meldinger" })).toBeVisible();
  // The app starts from the cached WASM and says it is offline.
  await expect(page.locator("body[data-hydrated]")).toHaveCount(1, { timeout: 20_000 });
  await expect(page.getByRole("status").filter({ hasText: "Du er uten nett" })).toBeVisible({ timeout: 20_000 });
  await page.goto("/barn/demo-child-emma");
  await expect(page.getByRole("heading", { level: 1, name: "Du er frakoblet" })).toBeVisible();
  await context.setOffline(false);

  // Logging out drops the saved inbox: the next person on this device cannot read it offline.
  await open(page, "/meldinger", testInfo);
  await page.getByRole("button", { name: "Logg ut", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Velg kommune" })).toBeVisible();
  await expect
    .poll(() => page.evaluate(async () => !!(await caches.match("/meldinger"))), { timeout: 10_000 })
    .toBe(false);
});
