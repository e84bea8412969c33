import { expect, type Page, type TestInfo } from "@playwright/test";
import AxeBuilder from "@axe-core/playwright";

/** Whether this run of the spec has the WASM app (the "hydrated" project). */
export function hydrated(testInfo: TestInfo): boolean {
  return testInfo.project.name === "hydrated";
}

/**
 * Opens a page. In the hydrated project it waits until the WASM app has taken over the
 * server-rendered page, so the spec exercises the hydrated app and not the HTML alone.
 */
export async function open(page: Page, path: string, testInfo: TestInfo) {
  const response = await page.goto(path);
  if (hydrated(testInfo)) {
    await expect(page.locator("body[data-hydrated]")).toHaveCount(1);
  }
  return response;
}

/** Zero WCAG 2.1 A/AA violations on the page as it is now. */
export async function expectAccessible(page: Page) {
  const results = await new AxeBuilder({ page })
    .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"])
    .analyze();
  const summary = results.violations.map(
    (v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`,
  );
  expect(summary, "axe-core WCAG 2.1 A/AA violations").toEqual([]);
}
