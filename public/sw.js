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
