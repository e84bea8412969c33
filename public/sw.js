// Ranselpost's service worker: the app shell and the WASM are cached so the installed app starts
// offline; the last loaded inbox is kept to be read offline. Nothing else personal is cached, and
// the saved inbox goes at any login or logout, or when loading it no longer succeeds.
// A new version when saved pages and the WASM stop fitting together (v2: WASM islands), so the
// old cache goes when the new worker takes over.
const VERSION = "ranselpost-v2";
const SHELL = [
  "/frakoblet",
  "/pkg/ranselpost.js",
  "/pkg/ranselpost.wasm",
  "/pkg/ranselpost.css",
  "/manifest.webmanifest",
  "/icons/icon.svg",
  "/icons/icon-192.png",
];
// Pages kept for reading offline: the inbox, as last loaded.
const KEEP = ["/meldinger"];

// A saved page says it is one (`<body data-offline>`), so the app shows its offline banner.
async function markOffline(response) {
  const html = await response.text();
  return new Response(html.replace("<body", "<body data-offline"), {
    status: 200,
    headers: response.headers,
  });
}

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(VERSION).then((cache) => cache.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k !== VERSION).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

// Drops the saved personal pages (a login or logout is under way, or the session has ended).
function forgetSaved() {
  return caches.open(VERSION).then((cache) => Promise.all(KEEP.map((path) => cache.delete(path))));
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  // Whoever logs in or out next, the pages saved for the last person are not theirs to read.
  if (url.pathname.startsWith("/auth/")) {
    event.waitUntil(forgetSaved());
    // A logout ends this browser's push (the server forgets it at the next refusal).
    if (url.pathname === "/auth/logout" && request.method === "POST") {
      event.waitUntil(self.registration.pushManager.getSubscription().then((s) => s && s.unsubscribe()).catch(() => {}));
    }
    return;
  }
  if (request.method !== "GET") return;
  // Live data, logins and the calendar always go to the network.
  if (/^\/(api|auth|testid|kalender)\//.test(url.pathname)) return;

  if (request.mode === "navigate") {
    event.respondWith(
      fetch(request)
        .then((response) => {
          if (KEEP.includes(url.pathname) && !url.search) {
            if (response.ok) {
              const copy = response.clone();
              caches.open(VERSION).then((cache) => cache.put(url.pathname, copy));
            } else {
              // Sent elsewhere (to log in): the saved copy belongs to an ended session.
              forgetSaved();
            }
          }
          return response;
        })
        .catch(async () => {
          const cache = await caches.open(VERSION);
          const saved =
            (KEEP.includes(url.pathname) && (await cache.match(url.pathname))) ||
            (await cache.match("/frakoblet"));
          return saved ? markOffline(saved) : Response.error();
        }),
    );
    return;
  }

  if (/^\/(pkg|icons)\//.test(url.pathname) || url.pathname === "/manifest.webmanifest") {
    // The shell: the network when it answers (a new release), the cache when it does not.
    event.respondWith(
      fetch(request)
        .then((response) => {
          if (response.ok) {
            const copy = response.clone();
            caches.open(VERSION).then((cache) => cache.put(request, copy));
          }
          return response;
        })
        .catch(() => caches.match(request).then((hit) => hit || Response.error())),
    );
  }
});

// Web push: the server sends only a title naming the unit and the kind of event, and a path.
self.addEventListener("push", (event) => {
  let n = {};
  try {
    n = event.data ? event.data.json() : {};
  } catch (_) {}
  const shown = self.registration.showNotification(typeof n.title === "string" && n.title ? n.title : "Ranselpost", {
    body: typeof n.body === "string" ? n.body : "",
    tag: typeof n.tag === "string" ? n.tag : undefined,
    icon: "/icons/icon-192.png",
    data: { url: local(n.url) },
  });
  const nav = self.navigator;
  const badge = typeof n.badge === "number" && nav.setAppBadge ? (n.badge > 0 ? nav.setAppBadge(n.badge) : nav.clearAppBadge()).catch(() => {}) : null;
  event.waitUntil(Promise.all([shown, badge]));
});

// Only a page of this app opens from a notice.
function local(url) {
  try {
    const t = new URL(url, self.location.origin);
    return t.origin === self.location.origin ? t.pathname + t.search : "/hjem";
  } catch (_) {
    return "/hjem";
  }
}

// A tap opens the page in an open window of the app (one it controls), else a new one.
self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const path = local(event.notification.data && event.notification.data.url);
  event.waitUntil(
    self.clients.matchAll({ type: "window", includeUncontrolled: true }).then((ws) => {
      const w = ws.find((c) => new URL(c.url).origin === self.location.origin);
      const go = () => self.clients.openWindow(path);
      return w && w.navigate ? w.navigate(path).then((x) => (x || w).focus()).catch(go) : go();
    }),
  );
});
