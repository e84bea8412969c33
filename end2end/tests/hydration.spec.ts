import { expect } from "@playwright/test";
import { expectAccessible, hydrated, open, test } from "./support";

// The municipality search narrows the list as one types once the WASM app runs; without
// JavaScript the same box is a plain form that the server answers with the narrowed list.
test("the municipality search narrows the list as one types once hydrated, and as a plain form without JavaScript", async ({ page }, testInfo) => {
  await open(page, "/", testInfo);
  const search = page.getByLabel("Søk etter kommune");
  const bergen = page.getByRole("link", { name: /Bergen kommune/ });
  const askoy = page.getByRole("link", { name: /Askøy kommune/ });

  if (hydrated(testInfo)) {
    await search.fill("ask");
    await expect(askoy).toBeVisible();
    await expect(bergen).toBeHidden();
    await expect(page.getByRole("status")).toHaveText("1 kommune passer søket");
    await expectAccessible(page);
    await search.fill("");
    await expect(bergen).toBeVisible();
  } else {
    await expect(bergen).toBeVisible();
    await expect(askoy).toBeVisible();
    await search.fill("ask");
    await search.press("Enter");
    await expect(page).toHaveURL(/\/\?sok=ask$/);
    await expect(askoy).toBeVisible();
    await expect(bergen).toBeHidden();
    await expect(page.getByRole("status")).toHaveText("1 kommune passer søket");
  }
});

