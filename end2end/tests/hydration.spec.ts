import { expect } from "@playwright/test";
import { expectAccessible, hydrated, open, test } from "./support";

// The municipality search box narrows the list as one types: only the WASM app can do that.
// Without JavaScript the box is not offered and the whole list is there instead.
test("the municipality search works once the app is hydrated, and the full list works without it", async ({ page }, testInfo) => {
  await open(page, "/", testInfo);
  const search = page.getByLabel("Søk etter kommune");
  const bergen = page.getByRole("link", { name: /Bergen kommune/ });
  const askoy = page.getByRole("link", { name: /Askøy kommune/ });

  if (hydrated(testInfo)) {
    await search.fill("ask");
    await expect(askoy).toBeVisible();
    await expect(bergen).toBeHidden();
    await expect(page.getByRole("status")).toHaveText("1 kommuner passer søket");
    await expectAccessible(page);
    await search.fill("");
    await expect(bergen).toBeVisible();
  } else {
    await expect(search).toHaveCount(0);
    await expect(bergen).toBeVisible();
    await expect(askoy).toBeVisible();
  }
});
