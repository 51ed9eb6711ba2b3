// Service worker: the app shell is served from the cache, so the workbench starts
// with no network after its first load. Only GETs of the shell are answered here;
// API requests go to the network as the page sends them (the queue handles offline).
const CACHE = 'yima-workbench-2';
const SHELL = ['./', 'index.html', 'app.css', 'icon.svg', 'manifest.webmanifest',
  'js/app.js', 'js/bytes.js', 'js/canonical.js', 'js/codes.js', 'js/commitment.js', 'js/db.js', 'js/der.js', 'js/envelope.js',
  'js/fields.js', 'js/i18n.js', 'js/keys.js', 'js/qr.js', 'js/queue.js', 'js/rules.js', 'js/ui.js', 'js/uscc.js'];

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(caches.keys()
    .then((names) => Promise.all(names.filter((n) => n !== CACHE).map((n) => caches.delete(n))))
    .then(() => self.clients.claim()));
});

self.addEventListener('fetch', (event) => {
  const url = new URL(event.request.url);
  const scope = new URL(self.registration.scope);
  if (event.request.method !== 'GET' || url.origin !== scope.origin || !url.pathname.startsWith(scope.pathname)) return;
  // Cache first, then refresh the cached copy in the background (files are revalidated
  // with their ETag, so an unchanged file costs a 304).
  event.respondWith(caches.open(CACHE).then(async (cache) => {
    const cached = await cache.match(event.request, { ignoreSearch: true });
    const network = fetch(event.request).then((response) => {
      if (response.ok) cache.put(event.request, response.clone());
      return response;
    });
    if (cached) { event.waitUntil(network.catch(() => {})); return cached; }
    return network;
  }));
});
