// The client portal's service worker (rendered by portal_app/services/web_app.py).
// Rules: it never answers or caches /_event (the Reflex socket), /_upload, /api, another
// origin or any non-GET request; those go to the network untouched. Pages always come
// from the network (no stale HTML after a deploy); only when there is no connection does a
// page load show the offline page. The cache holds the offline page and the icons, nothing else.
const CACHE = {{ cache_name|tojson }};
const OFFLINE_URL = {{ offline_url|tojson }};
const PRECACHE = {{ precache|tojson }};
const BYPASS = {{ bypass|tojson }};

function bypassed(path) {
  return BYPASS.some((prefix) => path === prefix || path.startsWith(prefix + "/"));
}

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(CACHE)
      .then((cache) => cache.addAll(PRECACHE.map((url) => new Request(url, { cache: "reload" }))))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    const names = await caches.keys();
    await Promise.all(names.filter((name) => name.startsWith("portal-") && name !== CACHE)
      .map((name) => caches.delete(name)));
    await self.clients.claim();
  })());
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || bypassed(url.pathname)) return;
  if (request.mode === "navigate") {
    event.respondWith(networkOrOffline(request));
  } else if (PRECACHE.includes(url.pathname + url.search)) {
    event.respondWith(caches.match(request).then((hit) => hit || fetch(request)));
  }
});

async function networkOrOffline(request) {
  try {
    return await fetch(request);
  } catch (error) {
    // fetch() rejects only when the network is unreachable; an HTTP error page is passed on.
    const offline = await caches.match(OFFLINE_URL, { cacheName: CACHE });
    return offline || Response.error();
  }
}
