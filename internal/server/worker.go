package server

// workerJS is the widget's service worker, in place of go-app's default.
// It caches the app shell at install (so the form opens offline) and
// answers only same-origin GET requests, cache first; a new version whose
// WASM does not compile is refused at install, so a broken deploy never
// replaces a working installed copy. It answers only same-origin GETs: requests to the
// homeserver, the reCAPTCHA script or any other origin go straight to the
// network under the page's own Content-Security-Policy, never through the
// worker. A first install waits for the page to be interactive (see
// firstInstallWait). It reads and deletes only its own caches: an origin
// may be shared (GitHub Pages serves every repository of an account from
// one), and another site's page there can fill caches of its own, which
// caches.match without a cacheName would search and serve from. go-app
// fills {{.Version}} and {{.ResourcesToCache}}.
const workerJS = `// signup service worker
const cacheName = "app-" + "{{.Version}}";
const resourcesToCache = {{.ResourcesToCache}};

// A first install waits until the page that registered the worker is
// interactive (loader.js posts "signup:ready"), or firstInstallWait ms:
// caching the app fetches app.wasm again, and that must not compete with
// the page's own start. The page's copy is then in the HTTP cache, so the
// worker's fetch is a revalidation. An update (an active worker exists)
// installs at once: the page already runs from the cache.
const firstInstallWait = 20000;
let pageReady;
const pageReadyOnce = new Promise((resolve) => { pageReady = resolve; });
self.addEventListener("message", (event) => {
  if (event.data === "signup:ready") pageReady(true);
});

self.addEventListener("install", (event) => {
  event.waitUntil((async () => {
    if (!self.registration.active) {
      await Promise.race([pageReadyOnce, new Promise((r) => setTimeout(r, firstInstallWait))]);
    }
    const cache = await caches.open(cacheName);
    try {
      await cache.addAll(resourcesToCache);
      // A broken deploy must not brick installed copies: the new version
      // is only installed if its WASM compiles. Otherwise the install
      // fails and the previous version keeps serving.
      const wasm = resourcesToCache.find((u) => u.endsWith("/web/app.wasm"));
      if (wasm) {
        const resp = await cache.match(wasm);
        await WebAssembly.compile(await resp.arrayBuffer());
      }
    } catch (err) {
      await caches.delete(cacheName);
      throw err;
    }
    await self.skipWaiting();
  })());
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    // Only the widget's earlier versions: caches of other sites on a
    // shared origin are theirs.
    const old = (await caches.keys()).filter((k) => k.startsWith("app-") && k !== cacheName);
    await Promise.all(old.map((k) => caches.delete(k)));
    // Take over open pages only when replacing a previous version: the
    // page then offers "Reload". On a first visit there is nothing to
    // update, and claiming would make go-app announce an update.
    if (old.length > 0) {
      await self.clients.claim();
    }
  })());
});

self.addEventListener("fetch", (event) => {
  const req = event.request;
  if (req.method !== "GET" || new URL(req.url).origin !== self.location.origin) {
    return;
  }
  event.respondWith((async () => {
    const page = new URL(req.url).pathname === new URL(self.registration.scope).pathname;
    // This version's cache only (a cache of another name may hold
    // anything). With cacheName, match neither searches other caches nor
    // creates this one, as caches.open would once activate deleted it.
    // The page varies by Accept-Language: the installed copy is in the
    // language the browser asked for then (Firefox's worker fetches may
    // ask otherwise), so the page's Vary is ignored.
    const cached = await caches.match(req, { cacheName, ignoreSearch: page, ignoreVary: page });
    return cached || fetch(req);
  })());
});
`
