// 议事's service worker. client/pwa/plugin.ts writes it out at build time as /sw.js, with this
// build's id and the files of its app shell in place of the two placeholders below.
const BUILD = '__YISHI_BUILD__';
const SHELL_FILES = __YISHI_SHELL__;

/** index.html and the build's hashed files: one cache per build, the old ones deleted on activate. */
const SHELL = `yishi-shell-${BUILD}`;
/**
 * The API answers the last meeting room needs, to show it offline. Not tied to a build (they are
 * data); the page deletes it on sign-out (client/src/lib/offline-store.ts names it too).
 */
const ROOM = 'yishi-room-v1';
/** Enough for a few proposals' answers; the oldest go first. */
const ROOM_ENTRIES = 40;
/** A navigation that hangs this long (a phone on a weak signal) is answered from the cache. */
const NAVIGATION_TIMEOUT_MS = 10000;

/** The room's GET answers worth keeping; every other API call goes to the network untouched. */
const ROOM_API = [
  /^\/api\/compounds\/[^/]+\/proposals$/,
  /^\/api\/compounds\/[^/]+\/proposals\/[^/]+\/(comments|edit-rights|sign-offs)$/,
  /^\/api\/compounds\/[^/]+\/household-areas$/,
];

self.addEventListener('install', (event) => {
  // `reload`: the server lets browsers keep index.html for a while; the shell must be this build's.
  event.waitUntil(
    caches
      .open(SHELL)
      .then((cache) => cache.addAll(SHELL_FILES.map((url) => new Request(url, { cache: 'reload' }))))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) => Promise.all(names.filter((n) => n.startsWith('yishi-') && n !== SHELL && n !== ROOM).map((n) => caches.delete(n))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  // Writes, the socket and other sites are never touched.
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || url.pathname.startsWith('/socket.io')) return;
  if (url.pathname.startsWith('/api/')) {
    if (!url.search && ROOM_API.some((re) => re.test(url.pathname))) event.respondWith(roomData(request));
    return;
  }
  if (request.mode === 'navigate') event.respondWith(navigation(request));
  else if (url.pathname.startsWith('/assets/') || SHELL_FILES.includes(url.pathname)) event.respondWith(shellFile(request));
});

/** Network first, so a new build is picked up at once; this build's index.html when offline. */
async function navigation(request) {
  try {
    return await withTimeout(fetch(request), NAVIGATION_TIMEOUT_MS);
  } catch (err) {
    const cached = await caches.match('/index.html', { cacheName: SHELL, ignoreVary: true });
    if (cached) return cached;
    throw err;
  }
}

/**
 * Hashed files never change: cache first. `ignoreVary`: the server varies on Origin (CORS), which
 * the page's module scripts send and the worker's own requests do not.
 */
async function shellFile(request) {
  const cached = await caches.match(request, { cacheName: SHELL, ignoreVary: true });
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok && new URL(request.url).pathname.startsWith('/assets/')) {
    const cache = await caches.open(SHELL);
    await cache.put(request, response.clone());
  }
  return response;
}

/**
 * Network first; the kept copy only when the network fails (never for an error answer), marked
 * with when it was kept. Keyed by address alone: the page deletes the cache when the user signs out.
 */
async function roomData(request) {
  const cache = await caches.open(ROOM);
  try {
    const response = await fetch(request);
    if (response.ok) {
      const headers = new Headers(response.headers);
      headers.set('X-Yishi-Saved-At', new Date().toISOString());
      const copy = new Response(await response.clone().arrayBuffer(), { status: response.status, headers });
      await cache.delete(request.url);
      await cache.put(request.url, copy);
      const keys = await cache.keys();
      for (const old of keys.slice(0, Math.max(0, keys.length - ROOM_ENTRIES))) await cache.delete(old);
    }
    return response;
  } catch (err) {
    const cached = await cache.match(request.url, { ignoreVary: true });
    if (!cached) throw err;
    const headers = new Headers(cached.headers);
    headers.set('X-Yishi-Offline-Copy', '1');
    return new Response(cached.body, { status: cached.status, headers });
  }
}

function withTimeout(promise, ms) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('timed out')), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (err) => {
        clearTimeout(timer);
        reject(err);
      },
    );
  });
}
