import { expect, type Page, type TestInfo } from "@playwright/test";
import { expectAccessible, laterPort, logInGuardian, logInStaff, logOut, open, run, test } from "./support";

// Both projects share the demo servers: each run writes its own notes and titles and looks
// only at those.
const later = `http://localhost:${laterPort}`;

test("Kari reports Jonas ill; Ingrid and Siv see it on their lists; Ingrid acknowledges and Kari sees it", async ({ page }, testInfo) => {
  const note = `Feber ${run()}`;
  await logInGuardian(page, testInfo, "12848510058", later);
  await page.getByRole("link", { name: /Jonas Nordmann/ }).first().click();
  await page.getByRole("link", { name: "Meld fravær" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Fravær for Jonas Nordmann" })).toBeVisible();
  // Today, the whole day and illness are already chosen.
  await expect(page.getByLabel("I dag")).toBeChecked();
  await expect(page.getByLabel("Hele dagen")).toBeChecked();
  await expect(page.getByLabel("Sykdom")).toBeChecked();
  await expect(page.getByRole("note").filter({ hasText: "Del ikke sensitive personopplysninger" })).toBeVisible();
  await page.getByLabel("Kort beskjed (valgfritt)").fill(note);
  await expectAccessible(page);
  await page.getByRole("button", { name: "Meld fravær" }).click();
  // The projects share the demo server: a run after the first finds Jonas already reported
  // today, and is asked before a second report of the same day.
  const done = page.getByText("Fraværet er meldt. Fjordvik skole og Fjordvik SFO ser det.");
  const again = page.getByLabel("Meld likevel");
  await expect(done.or(again)).toBeVisible();
  if (await again.isVisible()) {
    await expect(page.getByRole("alert")).toContainText("allerede fravær meldt");
    await again.check();
    await page.getByRole("button", { name: "Meld fravær" }).click();
  }
  await expect(done).toBeVisible();
  await expect(page.locator("li", { hasText: note })).toContainText("Ikke sett ennå");
  await logOut(page);

  await logInStaff(page, testInfo, "Siv Lunde", later);
  await page.getByRole("link", { name: /^Fravær/ }).click();
  const sfo = page.locator("section", { hasText: "Fjordvik SFO, SFO 1.–4. trinn" });
  await expect(sfo.locator("li", { hasText: note })).toContainText("Jonas Nordmann");
  await logOut(page);

  await logInStaff(page, testInfo, "Ingrid Berg", later);
  await page.getByRole("link", { name: /^Fravær/ }).click();
  const item = page.locator("section", { hasText: "Fjordvik skole, 4B" }).locator("li", { hasText: note });
  await expect(item).toContainText("Jonas Nordmann");
  await expectAccessible(page);
  await item.getByRole("button", { name: "Sett – Jonas Nordmann" }).click();
  await expect(page.locator("li", { hasText: note })).toContainText("Sett");
  await logOut(page);

  await logInGuardian(page, testInfo, "12848510058", later);
  await open(page, `${later}/barn/demo-child-jonas/fravaer`, testInfo);
  await expect(page.locator("li", { hasText: note })).toContainText("Sett av Fjordvik skole: Ingrid Berg");
});

test("Bjørn creates an activity for Blåbær; Kari sees it for Emma and in her calendar feed", async ({ page }, testInfo) => {
  const title = `Skogstur ${run()}`;
  const day = new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10);
  await logInStaff(page, testInfo, "Bjørn Dahl");
  await page.getByRole("link", { name: "Aktiviteter" }).click();
  await page.getByLabel("For", { exact: true }).selectOption({ label: "Lia barnehage, Blåbær" });
  await page.getByLabel("Tittel").fill(title);
  await page.getByLabel("Dag").fill(day);
  await page.getByLabel("Starter").fill("09:00");
  await page.getByLabel("Slutter (valgfritt)").fill("12:00");
  await page.getByLabel("Sted").fill("Lia-skogen");
  await page.getByLabel("Ta med").fill("Sitteunderlag");
  await expectAccessible(page);
  await page.getByRole("button", { name: "Legg til aktivitet" }).click();
  await expect(page.getByText("Aktiviteten er lagt til.")).toBeVisible();
  await logOut(page);

  await logInGuardian(page, testInfo, "12848510058");
  await page.getByRole("link", { name: "Aktiviteter" }).click();
  const emma = page.locator("section", { has: page.getByRole("heading", { name: "Emma Sofie Nordmann" }) });
  await expect(emma.locator("li", { hasText: title })).toContainText("Lia-skogen");
  const jonas = page.locator("section", { has: page.getByRole("heading", { name: "Jonas Nordmann" }) });
  await expect(jonas.getByText(title)).toHaveCount(0);
  await expectAccessible(page);

  // A new calendar address replaces the old one, and the other project's run may make one at
  // the same moment: try again if the address was just replaced.
  let body = "";
  for (let attempt = 0; attempt < 3 && !body.includes(title); attempt++) {
    await page.getByRole("button", { name: /Lag (ny )?kalenderadresse/ }).click();
    const link = page.locator("a.calendar-url");
    await expect(link).toBeVisible();
    const response = await page.request.get((await link.getAttribute("href"))!);
    body = response.ok() ? await response.text() : "";
  }
  expect(body).toContain("BEGIN:VCALENDAR");
  expect(body).toContain(`SUMMARY:${title}`);
});

test("Kari's pick-up note shows on Emma's tile; Bjørn checks Emma out and the note is seen", async ({ page }, testInfo) => {
  // Waits out another run's "Angre" on the shared demo server, a few seconds at a time.
  test.setTimeout(90_000);
  const who = `Mormor Randi ${run()}`;
  await logInGuardian(page, testInfo, "12848510058");
  await open(page, "/barn/demo-child-emma/henting", testInfo);
  await expect(page.getByRole("note").filter({ hasText: "Del ikke sensitive personopplysninger" })).toBeVisible();
  await page.getByLabel("Hvem henter").fill(who);
  await page.getByLabel("Klokken").fill("15:30");
  await expectAccessible(page);
  await page.getByRole("button", { name: "Send beskjed" }).click();
  await expect(page.getByText("Beskjeden er sendt.")).toBeVisible();
  await expect(page.locator("li", { hasText: who })).toContainText("Ikke sett ennå");
  await logOut(page);

  await logInStaff(page, testInfo, "Bjørn Dahl");
  await page.getByRole("link", { name: "Dagen (kryss inn/ut)" }).click();
  const tile = page.locator("li.tile", { hasText: "Emma Sofie Nordmann" });
  await expect(tile).toContainText(`${who} henter 15:30`);
  await expectAccessible(page);
  // The projects share the demo server and Emma: whatever state another run left her in
  // (checked in, out, or just changed with "Angre" offered), check her in, then out.
  const checkIn = tile.getByRole("button", { name: "Kryss inn Emma Sofie Nordmann" });
  const checkOut = tile.getByRole("button", { name: "Kryss ut Emma Sofie Nordmann" });
  const undo = tile.getByRole("button", { name: /^Angre/ });
  for (let step = 0; step < 4 && !(await checkOut.isVisible()); step++) {
    await expect(checkIn.or(checkOut).or(undo).first()).toBeVisible();
    if (await checkIn.isVisible()) {
      await checkIn.click();
    } else if (await undo.isVisible()) {
      // Just changed: "Angre" is offered for a few seconds, then the tile is as usual again.
      await page.waitForTimeout(8_500);
      await open(page, "/ansatt/dagen", testInfo);
    }
  }
  await checkOut.click();
  // Checked out a moment ago: no "Kryss inn" where "Kryss ut" was, but "Angre" apart from it.
  await expect(tile.getByText("Emma Sofie Nordmann er krysset ut")).toBeVisible();
  await expect(undo).toBeVisible();
  await expect(checkIn).toHaveCount(0);
  await expect(tile).toContainText("Sett av Bjørn Dahl");
  await logOut(page);

  await logInGuardian(page, testInfo, "12848510058");
  await open(page, "/barn/demo-child-emma/henting", testInfo);
  await expect(page.locator("li", { hasText: who })).toContainText("Sett av Bjørn Dahl");
});

test("an absence whose end is before its start is explained at the top of the form, which has the focus", async ({ page }, testInfo) => {
  const day = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);
  await logInGuardian(page, testInfo, "12848510058");
  await open(page, "/barn/demo-child-jonas/fravaer", testInfo);
  // Fields that do not apply are not shown: no dates for today, no times for a whole day.
  await expect(page.getByLabel("Fra og med")).toBeHidden();
  await expect(page.getByLabel("Fra klokken")).toBeHidden();
  await page.getByLabel("Velg datoer").check();
  await page.getByLabel("Fra og med").fill(day(9));
  await page.getByLabel("Til og med").fill(day(8));
  await page.getByLabel("Kort beskjed (valgfritt)").fill(`Tannlege ${run()}`);
  await page.getByRole("button", { name: "Meld fravær" }).click();

  await expect(page).toHaveURL(/#feil$/);
  const summary = page.getByRole("alert").filter({ hasText: "Fraværet ble ikke meldt" });
  await expect(summary).toBeFocused();
  await expect(summary).toContainText("Til og med: Sluttdatoen er før startdatoen.");
  await expect(page.getByLabel("Til og med")).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByLabel("Fra og med")).toHaveValue(day(9));
  await expectAccessible(page);
});

test("cancelling an activity asks first; a reason that cannot be sent comes back in the box with why", async ({ page }, testInfo) => {
  const title = `Akebakken ${run()}`;
  const day = new Date(Date.now() + 5 * 86_400_000).toISOString().slice(0, 10);
  await logInStaff(page, testInfo, "Bjørn Dahl");
  await open(page, "/ansatt/aktiviteter", testInfo);
  await page.getByLabel("For", { exact: true }).selectOption({ label: "Lia barnehage, Blåbær" });
  await page.getByLabel("Tittel").fill(title);
  await page.getByLabel("Dag").fill(day);
  await page.getByLabel("Starter").fill("10:00");
  await page.getByRole("button", { name: "Legg til aktivitet" }).click();
  await expect(page.getByText("Aktiviteten er lagt til.")).toBeVisible();

  const item = page.locator("li.activity", { hasText: title });
  await item.getByRole("link", { name: "Avlys" }).click();
  // Asked first: nothing is cancelled yet, and it says who will be told.
  await expect(item.getByText(`Avlyse «${title}»? Alle familiene i Lia barnehage, Blåbær får en melding`)).toBeVisible();
  await expect(item.getByText("Avlyst", { exact: true })).toHaveCount(0);
  await item.getByLabel("Grunn (valgfritt, sendes til familiene)").fill("Emma har fått diagnosen ADHD");
  await item.getByRole("button", { name: "Avlys og gi beskjed" }).click();

  const again = page.locator("li.activity", { hasText: title });
  await expect(again.getByRole("alert")).toContainText("Aktiviteten ble ikke avlyst");
  await expect(again.getByLabel("Grunn (valgfritt, sendes til familiene)")).toHaveValue("Emma har fått diagnosen ADHD");
  await expect(again.getByText("Avlyst", { exact: true })).toHaveCount(0);
  await again.getByLabel("Grunn (valgfritt, sendes til familiene)").fill("Det er meldt storm.");
  await again.getByRole("button", { name: "Avlys og gi beskjed" }).click();
  await expect(page.locator("li.activity", { hasText: title }).getByText("Avlyst", { exact: true })).toBeVisible();
});

test("Kari applies for leave for Jonas on its own form; Anne must give a reason to refuse, and Kari reads it", async ({ page }, testInfo) => {
  test.setTimeout(60_000);
  const reason = `Bryllup i familien ${run()}`;
  // Each project its own days, so the runs sharing the demo server do not overlap.
  const offset = 30 + 2 * ["hydrated", "no-js", "firefox", "firefox-no-js"].indexOf(testInfo.project.name);
  const day = new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
  await logInGuardian(page, testInfo, "12848510058");
  await open(page, "/barn/demo-child-jonas/fravaer", testInfo);
  await page.getByRole("link", { name: "Søk om permisjon" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Søk om permisjon for Jonas Nordmann" })).toBeVisible();
  await expect(page.getByText("Søknaden går til rektor ved Fjordvik skole")).toBeVisible();
  await page.getByLabel("Fra og med").fill(day);
  await page.getByLabel("Til og med").fill(day);
  // No reason: not sent, and said at the top of the form, which has the focus.
  await page.getByRole("button", { name: "Send søknad" }).click();
  const summary = page.getByRole("alert").filter({ hasText: "Søknaden ble ikke sendt" });
  await expect(summary).toBeFocused();
  await expect(summary).toContainText("Skriv hvorfor dere søker om permisjon.");
  await page.getByLabel("Begrunnelse for søknaden").fill(reason);
  await page.getByRole("button", { name: "Send søknad" }).click();
  await expect(page.getByText("Søknaden om permisjon er sendt til rektor ved Fjordvik skole.")).toBeVisible();
  const mine = page.locator("li", { hasText: reason });
  await expect(mine).toContainText("Sendt til rektor, venter på svar");
  await expect(mine).not.toContainText("Ikke sett ennå");
  await logOut(page);

  await logInStaff(page, testInfo, "Anne Solberg");
  await page.getByRole("link", { name: /^Fravær/ }).click();
  const request = page.locator("li", { hasText: reason });
  await request.getByRole("button", { name: "Avslå" }).click();
  await expect(page.locator("li", { hasText: reason }).getByRole("alert")).toContainText("Skriv en begrunnelse for avslaget.");
  await page.locator("li", { hasText: reason }).getByLabel("Begrunnelse (må fylles ut ved avslag)").fill("Heldagsprøve den dagen");
  await page.locator("li", { hasText: reason }).getByRole("button", { name: "Avslå" }).click();
  await expect(page.getByText("Avgjørelsen er sendt til foresatte.")).toBeVisible();
  await logOut(page);

  await logInGuardian(page, testInfo, "12848510058");
  await open(page, "/barn/demo-child-jonas/permisjon", testInfo);
  const decided = page.locator("li", { hasText: reason });
  await expect(decided).toContainText("Permisjon avslått");
  await expect(decided).toContainText("Avgjort av Anne Solberg: Heldagsprøve den dagen");
  await expect(decided).not.toContainText("Ikke sett ennå");
});
