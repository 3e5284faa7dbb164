import pluginJson from './plugin.json';
import datasourcePluginJson from './datasource/plugin.json';

export const APP_ID = pluginJson.id;
export const DATASOURCE_ID = datasourcePluginJson.id;

/** Plugin settings, where Grafana shows the app's Configuration tab. */
export const APP_CONFIG_URL = `/plugins/${APP_ID}`;

/** The app's pages, relative to its root /a/<app id>/ (plugin.json's includes name the same paths). */
export const ROUTES = {
  overview: 'overview',
  inventory: 'inventory',
  alerts: 'alerts',
} as const;
