import { expect, test as base, type BrowserContext, type Page, type TestInfo } from "@playwright/test";
import AxeBuilder from "@axe-core/playwright";

/** The second demo server, which believes it is 4 January 2027 (see playwright.config.ts). */
export const laterPort = Number(process.env.E2E_PORT ?? 3100) + 1;

/** Whether this run of the spec has the WASM app (the hydrated projects, in either browser). */
export function hydrated(testInfo: TestInfo): boolean {
  return testInfo.project.use.javaScriptEnabled !== false;
}

/** Whether this run is in Chromium (DevTools-only tools: virtual authenticators, installability). */
export function chromium(testInfo: TestInfo): boolean {
  return (testInfo.project.use.browserName ?? "chromium") === "chromium";
}

/** The app's own scripts and WASM (and /push.js, /varsler's own script, and /tablet.js, the
 * tablet screens'), which a browser without JavaScript never runs. */
const APP_CODE = /\/(pkg\/[^?#]*\.(js|wasm)|push\.js|tablet\.js)([?#].*)?$/;

/**
 * Every spec's `test`. In a project without JavaScript where the browser cannot switch it off
 * (Firefox through WebDriver BiDi ignores `javaScriptEnabled: false`), the app's scripts and
 * WASM are refused, so the page stays the server-rendered HTML, as without JavaScript.
 */
export const test = base.extend({
  context: async ({ context }, use, testInfo) => {
    if (!hydrated(testInfo) && !chromium(testInfo)) {
      await context.route(APP_CODE, (route) => route.abort());
    }
    await use(context);
  },
});

/**
 * `page.goto`, except that Firefox (through WebDriver BiDi) now and then reports the load as
 * "interrupted by another navigation" to the very same address, seen right after a login while
 * the service worker is taking over its pages: the page then loads all the same, so that load
 * is awaited instead. Any other failure is one.
 */
async function gotoOnce(page: Page, path: string) {
  try {
    return await page.goto(path);
  } catch (error) {
    const here = page.url();
    if (!here.startsWith("http")) throw error;
    const same = new URL(path, here).href;
    if (!String(error).includes(`is interrupted by another navigation to "${same}"`)) throw error;
    await page.waitForURL(same, { waitUntil: "load" });
    return null;
  }
}

/**
 * Opens a page. In the hydrated project it waits until the WASM app has taken over the
 * server-rendered page, so the spec exercises the hydrated app and not the HTML alone.
 */
export async function open(page: Page, path: string, testInfo: TestInfo) {
  // Browser errors are collected so that a page that does not hydrate says why.
  const problems: string[] = [];
  page.on("pageerror", (e) => problems.push(`pageerror: ${e.message}`));
  page.on("console", (m) => {
    if (m.type() === "error") problems.push(`console: ${m.text()}`);
  });
  page.on("requestfailed", (r) => problems.push(`request failed: ${r.url()} ${r.failure()?.errorText}`));
  const response = await gotoOnce(page, path);
  if (hydrated(testInfo)) {
    // A cold WASM compile on a busy 2-core machine can take several seconds. Now and then on CI
    // a page has not hydrated even after 20 s; the collected errors are attached to find out why.
    try {
      await expect(page.locator("body[data-hydrated]")).toHaveCount(1, { timeout: 20_000 });
    } catch (error) {
      // What the page was served with: the CSP header (does it carry the nonce?) and whether
      // the inline hydration scripts have one. A page whose header lacks the nonce has been seen
      // on CI; this tells the next occurrence where it came from.
      const csp = response?.headers()["content-security-policy"] ?? "(no response)";
      const via = response ? `${response.status()} ${response.url()} from service worker: ${response.fromServiceWorker()}` : "";
      const scripts = await page
        .evaluate(() => Array.from(document.scripts).map((s) => (s.src ? "src" : s.nonce ? "inline+nonce" : "inline")))
        .catch(() => []);
      throw new Error(
        `the page did not hydrate; browser errors:\n${problems.join("\n") || "(none)"}\n` +
          `served: ${via}\nCSP: ${csp}\nscripts: ${scripts.join(", ")}\n${error}`,
      );
    }
  }
  return response;
}

/**
 * Zero WCAG 2.1 A/AA violations on the page as it is now. axe-core is a script, so for the
 * JavaScript-disabled project the same URL is opened in a script-enabled context with the app's
 * own JS and WASM blocked: the page axe sees is the server-rendered HTML with its CSS, exactly what
 * a browser without JavaScript shows.
 */
export async function expectAccessible(page: Page) {
  const browser = page.context().browser();
  const scriptless = test.info().project.use.javaScriptEnabled === false;
  let target = page;
  let scratch: BrowserContext | undefined;
  if (scriptless && browser) {
    scratch = await browser.newContext({ javaScriptEnabled: true, locale: "nb-NO" });
    await scratch.addCookies(await page.context().cookies());
    target = await scratch.newPage();
    await target.route(APP_CODE, (route) => route.abort());
    await target.goto(page.url());
  }
  try {
    const results = await new AxeBuilder({ page: target })
      .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"])
      .analyze();
    const summary = results.violations.map(
      (v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`,
    );
    expect(summary, "axe-core WCAG 2.1 A/AA violations").toEqual([]);
  } finally {
    await scratch?.close();
  }
}

/** A short random tag: the projects share the demo servers, so each run writes its own texts. */
export const run = () => Math.random().toString(36).slice(2, 8);

/** Logs a guardian in with the demo's ID-porten (TestID) by national identity number. */
export async function logInGuardian(page: Page, testInfo: TestInfo, pid: string, base = "", lands: RegExp = /\/hjem$/) {
  await open(page, `${base}/kommune/4601`, testInfo);
  await page.getByRole("link", { name: "Logg inn med ID-porten" }).click();
  await page.getByLabel("Fødselsnummer").fill(pid);
  await page.getByRole("button", { name: "Logg inn", exact: true }).click();
  await expect(page).toHaveURL(lands);
}

/**
 * A logged-in guardian of Jonas writes a new message about him (to the preselected contact
 * teacher) and taps Send (`taps` 2: a double tap); the conversation's path.
 */
export async function writeAboutJonas(page: Page, testInfo: TestInfo, subject: string, body: string, taps = 1) {
  await open(page, "/barn/demo-child-jonas/ny-melding", testInfo);
  await page.getByLabel("Emne").fill(subject);
  await page.getByLabel("Melding", { exact: true }).fill(body);
  await page.getByRole("button", { name: "Send" }).click({ clickCount: taps });
  await expect(page).toHaveURL(/\/samtale\//);
  await expect(page.getByRole("heading", { level: 1, name: subject })).toBeVisible();
  return new URL(page.url()).pathname;
}

/**
 * Ends this browser's session on the server, as running out of time does, while the browser
 * keeps its (now dead) session cookie: logged out behind the page's back, the cookie put back.
 */
export async function loseSession(context: BrowserContext) {
  const session = (await context.cookies()).filter((c) => c.name === "ranselpost_session");
  await context.request.post("/auth/logout", { maxRedirects: 0 });
  await context.addCookies(session);
}

/** Logs a staff member in by picking their name on the demo's staff login. */
export async function logInStaff(page: Page, testInfo: TestInfo, name: string, base = "") {
  await open(page, `${base}/kommune/4601`, testInfo);
  await page.getByRole("link", { name: "Logg inn som ansatt" }).click();
  await page.getByRole("button", { name }).click();
  await expect(page).toHaveURL(/\/ansatt$/);
}

export async function logOut(page: Page) {
  await page.getByRole("button", { name: "Logg ut" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Velg kommune" })).toBeVisible();
}

/**
 * Every interactive element on the page as it is now that is smaller than 44×44 CSS pixels
 * (WCAG 2.5.5), described. A radio button or checkbox counts with its label, which takes the tap
 * as well; a link in the middle of a sentence is WCAG's inline exception. Elements that are not
 * shown (zero-sized, or clipped to a pixel like the skip link until it has focus) are not targets.
 */
export async function smallTapTargets(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const MIN = 44 - 0.5;
    const small: string[] = [];
    const shown = (r: DOMRect) => r.width > 1 && r.height > 1;
    const targets = document.querySelectorAll("a[href], button, input:not([type=hidden]), select, textarea, summary");
    for (const el of Array.from(targets)) {
      const style = getComputedStyle(el);
      if (style.visibility === "hidden") continue;
      let r = el.getBoundingClientRect();
      if (!shown(r)) continue;
      if (el instanceof HTMLAnchorElement && style.display === "inline") {
        const around = (el.parentElement?.textContent ?? "").trim().length;
        if (around > (el.textContent ?? "").trim().length + 2) continue;
      }
      if (el instanceof HTMLInputElement && (el.type === "radio" || el.type === "checkbox")) {
        const label = el.labels?.[0]?.getBoundingClientRect();
        if (label && shown(label)) {
          const left = Math.min(r.left, label.left), top = Math.min(r.top, label.top);
          const right = Math.max(r.right, label.right), bottom = Math.max(r.bottom, label.bottom);
          r = new DOMRect(left, top, right - left, bottom - top);
        }
      }
      if (r.width < MIN || r.height < MIN) {
        const name = (el.getAttribute("aria-label") ?? el.textContent ?? el.getAttribute("name") ?? "").trim().slice(0, 40);
        small.push(`${el.tagName.toLowerCase()} "${name}" ${Math.round(r.width)}×${Math.round(r.height)}`);
      }
    }
    return small;
  });
}
