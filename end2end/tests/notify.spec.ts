import { expect } from "@playwright/test";
import { chromium, expectAccessible, hydrated, logInGuardian, open, run, test, writeAboutJonas } from "./support";

// Each project changes its own guardian's settings: the projects share the demo server.
const GUARDIAN: Record<string, string> = {
  hydrated: "07868030083", // Per
  "no-js": "19888812035", // Tor
  firefox: "03898320188", // Ola
  "firefox-no-js": "14908615183", // Nina
};

test("a guardian chooses what to be told of and when, and the choice is kept", async ({ page }, testInfo) => {
  await logInGuardian(page, testInfo, GUARDIAN[testInfo.project.name]);
  // Offered after the login as a link, never as the browser's permission prompt.
  await page.getByRole("link", { name: "Velg varsler" }).click();
  await expect(page).toHaveURL(/\/varsler$/);
  await expect(page.getByRole("heading", { level: 1, name: "Varsler" })).toBeVisible();
  if (hydrated(testInfo)) {
    await expect(page.locator("body[data-hydrated]")).toHaveCount(1, { timeout: 20_000 });
  }
  const groupByEmail = page.getByRole("checkbox", { name: "Meldinger til klassen eller gruppen: E-post" });
  await groupByEmail.uncheck();
  const urgentBySms = page.getByRole("checkbox", { name: "Hastemeldinger: SMS" });
  await expect(urgentBySms).toBeChecked();
  await page.getByLabel("Fra", { exact: true }).fill("18:00");
  await page.getByLabel("Få ett samlet varsel om dagen i stedet for ett per hendelse").check();
  await page.getByRole("button", { name: "Lagre varsler" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Innstillingene er lagret" })).toBeVisible();
  await expect(groupByEmail).not.toBeChecked();
  await expect(page.getByLabel("Fra", { exact: true })).toHaveValue("18:00");
  await expect(page.getByLabel("Få ett samlet varsel om dagen i stedet for ett per hendelse")).toBeChecked();
  // The home page no longer asks.
  await open(page, "/hjem", testInfo);
  await expect(page.getByRole("link", { name: "Velg varsler" })).toHaveCount(0);
  await open(page, "/varsler", testInfo);
  await expectAccessible(page);
});

test("the settings page says how notices come until push can be turned on here", async ({ page }, testInfo) => {
  await logInGuardian(page, testInfo, "12848510058");
  await open(page, "/varsler", testInfo);
  // The demo servers of these specs have no SMTP server: the page says so.
  await expect(page.getByText("Kommunen sender ikke e-post fra Ranselpost.")).toBeVisible();
  await expect(page.getByText("kan ikke slås på fra denne siden ennå")).toBeVisible();
});

test("a push to the installed app shows a notice without the message, and tapping it opens the conversation", async ({ page, context }, testInfo) => {
  test.skip(!hydrated(testInfo) || !chromium(testInfo), "push is delivered through Chromium's DevTools protocol");
  await context.grantPermissions(["notifications"]);
  await logInGuardian(page, testInfo, "12848510058");
  const thread = await writeAboutJonas(page, testInfo, `Varsel ${run()}`, "Jonas blir hentet av bestemor i dag.");
  await open(page, "/hjem", testInfo);
  await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
  // Controlled by the service worker from this load on.
  await page.reload();
  const origin = new URL(page.url()).origin;
  const cdp = await context.newCDPSession(page);
  const registration = new Promise<string>((resolve) => {
    cdp.on("ServiceWorker.workerRegistrationUpdated", ({ registrations }) => {
      const ours = registrations.find((r: { scopeURL: string; isDeleted: boolean }) => r.scopeURL === `${origin}/` && !r.isDeleted);
      if (ours) resolve(ours.registrationId);
    });
  });
  await cdp.send("ServiceWorker.enable");
  const registrationId = await registration;
  const notice = { title: "Ny melding fra Fjordvik skole", body: "", url: thread, tag: `thread:${thread}`, badge: 1 };
  await cdp.send("ServiceWorker.deliverPushMessage", { origin, registrationId, data: JSON.stringify(notice) });
  await expect
    .poll(() => page.evaluate(async () => (await (await navigator.serviceWorker.ready).getNotifications()).map((n) => n.title)), { timeout: 10_000 })
    .toContain("Ny melding fra Fjordvik skole");
  // Tapping the notice: the service worker's click handler takes the open window to the page.
  const worker = context.serviceWorkers().find((w) => w.url().startsWith(origin));
  expect(worker, "the app's service worker runs").toBeTruthy();
  await worker!.evaluate(async () => {
    const sw = self as unknown as ServiceWorkerGlobalScope;
    const [shown] = await sw.registration.getNotifications();
    sw.dispatchEvent(new NotificationEvent("notificationclick", { notification: shown }));
  });
  await expect(page).toHaveURL(new RegExp(`${thread}$`));
  await expect(page.getByText("Jonas blir hentet av bestemor i dag.")).toBeVisible();
});
