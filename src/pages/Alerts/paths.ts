import { APP_ID, ROUTES } from '../../constants';

/** Where App.tsx mounts the Alerts pages, under the app's root. */
export const ALERTS_ROUTE = ROUTES.alerts;

/**
 * Absolute in-app URLs of the Alerts pages. Absolute rather than relative because relative links under a splat route
 * (`alerts/*`) resolve differently with react-router's v7_relativeSplatPath, which Grafana's router may set.
 */
export const alertsUrl = {
  list: () => `/a/${APP_ID}/${ALERTS_ROUTE}`,
  rule: (uid: string) => `/a/${APP_ID}/${ALERTS_ROUTE}/rules/${encodeURIComponent(uid)}`,
  editRule: (uid: string) => `/a/${APP_ID}/${ALERTS_ROUTE}/rules/${encodeURIComponent(uid)}/edit`,
  newRule: () => `/a/${APP_ID}/${ALERTS_ROUTE}/rules/new`,
  silences: () => `/a/${APP_ID}/${ALERTS_ROUTE}/silences`,
  notifiers: () => `/a/${APP_ID}/${ALERTS_ROUTE}/notifiers`,
};
