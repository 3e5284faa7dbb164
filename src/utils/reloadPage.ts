/**
 * Grafana caches an app's settings for the whole browser session, so after saving them a full reload is the way for
 * the app to see the new values. Its own module so that tests can replace it (jsdom cannot navigate).
 */
export function reloadPage(): void {
  window.location.reload();
}
