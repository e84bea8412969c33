// Turning on push for this browser, on the settings page (/varsler) only. A small script of
// its own rather than a WASM island: it shares nothing with the app's WASM, so no other page
// loads more for it. Every text comes from the page (data-* attributes, through the i18n
// layer); the browser's permission prompt appears only on the person's own press.
(function () {
  const box = document.getElementById("push-switch");
  if (!box) return;
  const d = box.dataset;
  const button = box.querySelector("button");
  const state = box.querySelector("[data-state]");
  const say = (text, role) => {
    state.textContent = text;
    state.setAttribute("role", role || "status");
    state.className = role === "alert" ? "error" : "hint";
  };
  const standalone = window.matchMedia("(display-mode: standalone)").matches || navigator.standalone === true;
  if (!("serviceWorker" in navigator) || !("PushManager" in window) || !("Notification" in window)) {
    // Safari on iPhone and iPad has push only in an app added to the home screen.
    const apple = /iPhone|iPad|iPod/.test(navigator.userAgent) || (navigator.maxTouchPoints > 1 && /Macintosh/.test(navigator.userAgent));
    say(apple && !standalone ? d.needsApp : d.unsupported);
    return;
  }
  const ready = navigator.serviceWorker.register("/sw.js").then(() => navigator.serviceWorker.ready);
  const offer = () => {
    say(d.offer);
    button.hidden = false;
  };
  if (Notification.permission === "denied") {
    say(d.denied);
    return;
  }
  ready
    .then((reg) => reg.pushManager.getSubscription())
    .then((sub) => (sub && Notification.permission === "granted" && d.listed === "true" ? say(d.onHere) : offer()))
    .catch(offer);

  // The server's VAPID public key (base64url) as the bytes subscribe() takes.
  const keyBytes = (text) => {
    const b64 = text.replace(/-/g, "+").replace(/_/g, "/") + "=".repeat((4 - (text.length % 4)) % 4);
    return Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
  };
  // This browser's quick-unlock device, if it has one (kept by the app in IndexedDB): the
  // subscription is bound to it, so that revoking the device stops its notices too.
  const device = () =>
    new Promise((resolve) => {
      try {
        const open = indexedDB.open("ranselpost");
        open.onerror = () => resolve("");
        open.onsuccess = () => {
          const db = open.result;
          if (!db.objectStoreNames.contains("device")) return db.close(), resolve("");
          const get = db.transaction("device").objectStore("device").get("this");
          get.onsuccess = () => (db.close(), resolve((get.result && get.result.credentialId) || ""));
          get.onerror = () => (db.close(), resolve(""));
        };
        // Nothing is created here: the app makes the store when quick unlock is set up.
        open.onupgradeneeded = () => open.transaction.abort();
      } catch (_) {
        resolve("");
      }
    });
  // A subscription made with another server key (the key was changed) is replaced.
  const subscribe = async (reg) => {
    const options = { userVisibleOnly: true, applicationServerKey: keyBytes(d.key) };
    try {
      return await reg.pushManager.subscribe(options);
    } catch (e) {
      const old = await reg.pushManager.getSubscription();
      if (!old) throw e;
      await old.unsubscribe();
      return reg.pushManager.subscribe(options);
    }
  };
  // The name it has in the person's list of devices.
  const deviceName = () =>
    ["iPhone", "iPad", "Android", "Windows", "Mac", "Linux"].find((p) => navigator.userAgent.includes(p)) || d.unnamed;

  button.addEventListener("click", async () => {
    button.disabled = true;
    say(d.busy);
    try {
      const permission = await Notification.requestPermission();
      if (permission !== "granted") {
        say(d.denied, "alert");
        button.hidden = true;
        return;
      }
      const reg = await ready;
      const sub = await subscribe(reg);
      const json = sub.toJSON();
      const body = new URLSearchParams({
        endpoint: json.endpoint || "",
        p256dh: (json.keys && json.keys.p256dh) || "",
        auth: (json.keys && json.keys.auth) || "",
        name: deviceName(),
      });
      const id = await device();
      if (id) body.set("device", id);
      const res = await fetch("/api/notify/subscribe", {
        method: "POST",
        headers: { Accept: "application/json" },
        body,
        credentials: "same-origin",
      });
      if (!res.ok) {
        const why = await res.text();
        const text =
          res.status === 401
            ? d.loggedOut
            : why.includes("too_many")
              ? d.tooMany
              : why.includes("notify.error.subscription")
                ? d.unsupported
                : d.failed;
        say(text, "alert");
        button.disabled = false;
        return;
      }
      // The list of devices shows this one now.
      location.reload();
    } catch (_) {
      say(d.failed, "alert");
      button.disabled = false;
    }
  });
})();
