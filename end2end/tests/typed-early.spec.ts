import { expect } from "@playwright/test";
import { hydrated, logInGuardian, test } from "./support";

// The WASM is held back at the network; the service worker, which would serve it from its cache
// past any route, is kept out of this file's pages.
test.use({ serviceWorkers: "block" });

// On a slow phone a parent starts typing before the WASM has arrived: once it runs, the
// character counter and the guard take what was already typed, not an empty box.
test("text typed before the app has loaded is counted and checked once it runs", async ({ page }, testInfo) => {
  test.skip(!hydrated(testInfo), "about the moment the WASM arrives");
  await logInGuardian(page, testInfo, "12848510058");
  let release = () => {};
  const arrived = new Promise<void>((resolve) => (release = resolve));
  await page.context().route(/\.wasm([?#].*)?$/, async (route) => {
    await arrived;
    await route.continue();
  });
  await page.goto("/barn/demo-child-jonas/ny-melding", { waitUntil: "commit" });
  const body = page.getByLabel("Melding", { exact: true });
  await body.fill("Jonas har fått diagnosen ADHD");
  await expect(page.locator("body[data-hydrated]")).toHaveCount(0);
  release();
  await expect(page.locator("body[data-hydrated]")).toHaveCount(1, { timeout: 20_000 });
  await expect(page.locator("#char-count")).toHaveText(/^29 av 10\s000 tegn$/);
  await expect(page.getByLabel("Jeg har lest advarselen og vil sende likevel")).toBeVisible();
  await expect(body).toHaveValue("Jonas har fått diagnosen ADHD");
});
