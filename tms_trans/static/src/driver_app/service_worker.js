/* The driver app's service worker (served at /tms/driver/sw.js, scope /odoo/tms-driver):
 * it keeps the app's page and the files it loads, so that the app added to the home
 * screen opens without network on the last data received. Data and actions never
 * come from this cache: the app keeps them itself. */
/* eslint-env serviceworker */
const CACHE = "tms-driver-v1";
// GET requests the app shell is made of
const SHELL = [
    /^\/odoo\/tms-driver/,
    /^\/web\/assets\//,
    /^\/web\/webclient\//,
    /^\/web\/static\//,
    /^\/[a-z_]+\/static\//,
    /^\/web\/image/,
];

self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));

self.addEventListener("fetch", (event) => {
    const request = event.request;
    const url = new URL(request.url);
    if (
        request.method !== "GET" ||
        url.origin !== self.location.origin ||
        !SHELL.some((pattern) => pattern.test(url.pathname))
    ) {
        return;
    }
    // Network first (the app is always fresh online), the cache when offline
    event.respondWith(
        fetch(request)
            .then((response) => {
                if (response.ok) {
                    const copy = response.clone();
                    caches.open(CACHE).then((cache) => cache.put(request, copy));
                }
                return response;
            })
            .catch(() =>
                caches
                    .match(request, {ignoreSearch: request.mode === "navigate"})
                    .then((cached) => cached || Response.error())
            )
    );
});
