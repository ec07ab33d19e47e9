/**
 * Registers the service worker that opens the app without a network (client/pwa/). Only in a
 * build: in development Vite serves unhashed modules the worker would keep stale. Browsers allow
 * one only in a secure context (https, or http on localhost / 127.0.0.1).
 */
export function registerServiceWorker(): void {
  if (!import.meta.env.PROD || !('serviceWorker' in navigator)) return;
  window.addEventListener('load', () => {
    navigator.serviceWorker.register('/sw.js').catch(() => {
      // Without it the app still works online; only reloading offline is lost.
    });
  });
}
