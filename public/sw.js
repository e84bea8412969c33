// Ranselpost's service worker: the app shell and the WASM are cached so the installed app starts
// offline; the last loaded inbox is kept to be read offline. Nothing else personal is cached, and
// logging out clears the cache (Clear-Site-Data).
const VERSION = "ranselpost-v1";
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

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  // Live data, logins and the calendar always go to the network.
  if (/^\/(api|auth|testid|kalender)\//.test(url.pathname)) return;

  if (request.mode === "navigate") {
    event.respondWith(
      fetch(request)
        .then((response) => {
          if (response.ok && KEEP.includes(url.pathname) && !url.search) {
            const copy = response.clone();
            caches.open(VERSION).then((cache) => cache.put(url.pathname, copy));
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
