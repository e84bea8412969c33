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

test("push is turned on by the person's own press, and without JavaScript the page says what it needs", async ({ page, context }, testInfo) => {
  const turnOn = page.getByRole("button", { name: "Slå på varsler på denne enheten" });
  if (!hydrated(testInfo)) {
    await logInGuardian(page, testInfo, "12848510058");
    await open(page, "/varsler", testInfo);
    // The demo servers of these specs have no SMTP server: the page says so.
    await expect(page.getByText("Kommunen sender ikke e-post fra Ranselpost.")).toBeVisible();
    await expect(page.getByText("har JavaScript slått på")).toBeVisible();
    await expect(turnOn).toHaveCount(0);
    return;
  }
  if (!chromium(testInfo)) {
    // Firefox offers it too; its prompt is the browser's own, which a test cannot answer.
    await logInGuardian(page, testInfo, "03898320188");
    await open(page, "/varsler", testInfo);
    await expect(turnOn).toBeVisible({ timeout: 20_000 });
    return;
  }
  // Chromium subscribes through Google's push service, which these machines cannot reach: the
  // browser's subscribe() gives a subscription made here instead, with real P-256 keys at a
  // Google endpoint. The permission, the script on the page and the server are the real ones.
  await page.addInitScript(() => {
    const b64 = (bytes: ArrayBuffer | Uint8Array) =>
      btoa(String.fromCharCode(...new Uint8Array(bytes))).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
    const saved = () => sessionStorage.getItem("e2e-push");
    const asSubscription = (json: string) => ({ endpoint: JSON.parse(json).endpoint, toJSON: () => JSON.parse(json) });
    PushManager.prototype.getSubscription = async () => (saved() ? asSubscription(saved()!) : null) as unknown as PushSubscription;
    PushManager.prototype.subscribe = async () => {
      const pair = await crypto.subtle.generateKey({ name: "ECDH", namedCurve: "P-256" }, true, ["deriveBits"]);
      const json = JSON.stringify({
        endpoint: `https://fcm.googleapis.com/fcm/send/e2e-${crypto.randomUUID()}`,
        keys: { p256dh: b64(await crypto.subtle.exportKey("raw", pair.publicKey)), auth: b64(crypto.getRandomValues(new Uint8Array(16))) },
      });
      sessionStorage.setItem("e2e-push", json);
      return asSubscription(json) as unknown as PushSubscription;
    };
  });
  await context.grantPermissions(["notifications"]);
  // Tor has no child to be told about, so no notice goes to the made-up endpoint.
  await logInGuardian(page, testInfo, "19888812035");
  await open(page, "/varsler", testInfo);
  await expect(page.getByText("Ingen enheter får varsler ennå.")).toBeVisible();
  await turnOn.click();
  await expect(page.getByRole("status").filter({ hasText: "Varsler er slått på for denne enheten." })).toBeVisible({ timeout: 20_000 });
  const listed = page.getByRole("button", { name: "Slå av varsler på Linux" });
  await expect(listed).toBeVisible();
  await expect(turnOn).toHaveCount(0);
  await expectAccessible(page);
  // Off again from the list.
  await listed.click();
  await expect(page.getByText("Ingen enheter får varsler ennå.")).toBeVisible();
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
