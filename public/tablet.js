// A shared tablet's own screens, loaded only by them: pairing (the tablet makes its key and
// shows the code a leader confirms), the PIN pad behind the staff tiles, and the idle lock on
// the board. A small script of its own rather than WASM islands: it shares nothing with the
// app's WASM, so no other page loads more for it. Every text comes from the page (data-*
// attributes, through the i18n layer).
(function () {
  "use strict";

  // The tablet's key pair lives in the app's IndexedDB store ("ranselpost"/"device", where quick
  // unlock keeps its own under "this"), under "tablet": non-extractable, only ever used to sign.
  const store = (mode, work) =>
    new Promise((resolve, reject) => {
      const open = indexedDB.open("ranselpost", 1);
      open.onupgradeneeded = () => {
        if (!open.result.objectStoreNames.contains("device")) open.result.createObjectStore("device");
      };
      open.onerror = () => reject(open.error);
      open.onsuccess = () => {
        const db = open.result;
        const tx = db.transaction("device", mode);
        const request = work(tx.objectStore("device"));
        tx.oncomplete = () => (db.close(), resolve(request.result));
        tx.onerror = tx.onabort = () => (db.close(), reject(tx.error));
      };
    });
  const b64url = (bytes) =>
    btoa(String.fromCharCode(...new Uint8Array(bytes))).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");

  // A server function, as the app's own client calls it: a form post answered with JSON.
  const call = async (path, fields) => {
    const response = await fetch(path, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
      body: new URLSearchParams(fields || {}),
      credentials: "same-origin",
    });
    const body = await response.json().catch(() => null);
    if (!response.ok) throw Object.assign(new Error("refused"), { status: response.status, body });
    return body;
  };
  const wait = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

  // Pairing: a new key, its public half to the server, the code on screen, then wait.
  const pair = document.getElementById("tablet-pair");
  if (pair) {
    const d = pair.dataset;
    const button = pair.querySelector("button");
    const code = pair.querySelector(".pairing-code");
    const state = pair.querySelector("[data-state]");
    const say = (text, role) => {
      state.textContent = text;
      state.setAttribute("role", role || "status");
    };
    button.disabled = false;
    say("");
    button.addEventListener("click", async () => {
      button.disabled = true;
      try {
        const keys = await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, false, ["sign"]);
        await store("readwrite", (s) => s.put(keys, "tablet"));
        const raw = await crypto.subtle.exportKey("raw", keys.publicKey);
        code.textContent = await call("/api/tablet/pair_start", { public_key: b64url(raw) });
        code.hidden = false;
        button.hidden = true;
        say(d.waiting);
      } catch (error) {
        button.disabled = false;
        say(error.status === 429 ? d.busy : d.failed, "alert");
        return;
      }
      // Every three seconds until a leader has confirmed (the code lasts ten minutes).
      for (;;) {
        await wait(3000);
        try {
          if (await call("/api/tablet/pair_poll")) return location.assign("/nettbrett");
        } catch (_) {
          // A busy server or a lost connection: the next round asks again.
        }
      }
    });
  }

  // The PIN pad: the tablet signs a fresh challenge with its key and sends it with the PIN.
  const tiles = document.getElementById("tablet-tiles");
  if (tiles) {
    const d = tiles.dataset;
    const pad = document.getElementById("pin-pad");
    const input = pad.querySelector("input");
    const who = pad.querySelector("[data-who]");
    const state = pad.querySelector("[data-state]");
    let person = "";
    const show = (name) => {
      tiles.hidden = !!name;
      pad.hidden = !name;
      who.textContent = name || "";
      input.value = "";
      state.textContent = "";
      if (name) input.focus();
    };
    for (const tile of tiles.querySelectorAll("button[data-person]")) {
      tile.disabled = false;
      tile.addEventListener("click", () => {
        person = tile.dataset.person;
        show(tile.dataset.name);
      });
    }
    pad.querySelector("[data-back]").addEventListener("click", () => show(""));
    for (const key of pad.querySelectorAll("button[data-digit]")) {
      key.addEventListener("click", () => {
        if (input.value.length < 6) input.value += key.dataset.digit;
      });
    }
    pad.querySelector("[data-erase]").addEventListener("click", () => {
      input.value = input.value.slice(0, -1);
    });
    const ok = pad.querySelector("button[type=submit]");
    pad.addEventListener("submit", async (event) => {
      event.preventDefault();
      const pin = input.value;
      if (!/^[0-9]{4,6}$/.test(pin)) {
        state.textContent = d.format;
        return;
      }
      ok.disabled = true;
      state.textContent = "";
      try {
        const keys = await store("readonly", (s) => s.get("tablet"));
        if (!keys) throw new Error("no key");
        const [challengeId, challenge] = await call("/api/tablet/challenge");
        const signature = await crypto.subtle.sign(
          { name: "ECDSA", hash: "SHA-256" },
          keys.privateKey,
          new TextEncoder().encode(challenge),
        );
        const answer = await call("/api/tablet/switch", {
          person_id: person,
          challenge_id: challengeId,
          signature: b64url(signature),
          pin,
        });
        if (answer === "Opened") return location.assign("/ansatt/dagen");
        input.value = "";
        if (answer && answer.WrongPin) state.textContent = d.wrongPin.replace("{left}", answer.WrongPin.left);
        else state.textContent = { Locked: d.locked, NoPin: d.noPin }[answer] || d.refused;
      } catch (error) {
        input.value = "";
        state.textContent = error.status === 429 ? d.busy : d.refused;
      } finally {
        ok.disabled = false;
      }
    });
  }

  // The idle lock: after the unit's minutes without a touch or a key, the lock form is sent as
  // a tap on "Lås" would (the server ends the session after the same time regardless). Checked
  // against the clock every few seconds, so a tablet that slept locks at once when it wakes.
  const lock = document.querySelector("form.tablet-lock[data-idle-minutes]");
  if (lock) {
    const limit = Number(lock.dataset.idleMinutes) * 60000;
    let last = Date.now();
    for (const event of ["pointerdown", "keydown", "touchstart"]) {
      addEventListener(event, () => (last = Date.now()), { passive: true, capture: true });
    }
    // Sent once: a second post would find the session already ended.
    const timer = setInterval(() => {
      if (Date.now() - last >= limit) {
        clearInterval(timer);
        lock.submit();
      }
    }, 5000);
  }
})();
