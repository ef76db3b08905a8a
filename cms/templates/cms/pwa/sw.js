/* 社区干部网络学院 service worker (rendered by cms.pwa.service_worker). Keeps the app shell, and the
   last {{ kept }} content pages the trainee opened, for reading with no network. Pages come from the
   network first — a trainee online always sees the current lesson — and the kept copy only when the
   network fails. Nothing under /api/, /me/ or the admin is kept: heartbeats and quiz answers are held by
   the page scripts while offline and sent on reconnect, and the server still decides what counts. */
const VERSION = "{{ version }}";
const SHELL = "shell-" + VERSION;
const PAGES = "pages";
const SHELL_URLS = [{% for url in shell %}"{{ url|escapejs }}"{% if not forloop.last %}, {% endif %}{% endfor %}];
const OFFLINE_URL = "{{ offline_url|escapejs }}";
const PREFIXES = [{% for prefix in prefixes %}"{{ prefix }}"{% if not forloop.last %}, {% endif %}{% endfor %}];
const KEPT = {{ kept }};

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(SHELL).then((cache) => cache.addAll(SHELL_URLS)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(caches.keys()
    .then((keys) => Promise.all(keys.filter((k) => k.startsWith("shell-") && k !== SHELL).map((k) => caches.delete(k))))
    .then(() => self.clients.claim()));
});

function keptPage(path) {
  return path === "/" || PREFIXES.some((prefix) => path.startsWith(prefix));
}

async function remember(request, response) {
  // A redirected answer (/daily/today/ → the lesson) cannot be replayed for a navigation as it is.
  const copy = response.redirected
    ? new Response(await response.clone().blob(), {status: response.status, headers: response.headers})
    : response.clone();
  const cache = await caches.open(PAGES);
  await cache.put(request.url, copy);
  const keys = await cache.keys();
  await Promise.all(keys.slice(0, Math.max(0, keys.length - KEPT)).map((key) => cache.delete(key)));
}

async function page(request) {
  try {
    const response = await fetch(request);
    if (response.ok && keptPage(new URL(request.url).pathname)) await remember(request, response);
    return response;
  } catch (offline) {
    return (await caches.match(request.url, {cacheName: PAGES})) || (await caches.match(OFFLINE_URL))
      || new Response("offline", {status: 503});
  }
}

async function asset(request) {
  return (await caches.match(request)) || fetch(request);
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === "navigate") event.respondWith(page(request));
  else if (url.pathname.startsWith("{{ static_prefix|escapejs }}")) event.respondWith(asset(request));
});
