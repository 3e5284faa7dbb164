import pluginJson from './plugin.json';
import datasourcePluginJson from './datasource/plugin.json';

export const APP_ID = pluginJson.id;
export const DATASOURCE_ID = datasourcePluginJson.id;

/** Plugin settings, where Grafana shows the app's Configuration tab. */
export const APP_CONFIG_URL = `/plugins/${APP_ID}`;
