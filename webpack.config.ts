// Extends the scaffolded build (.config/webpack) the way .config/README.md describes, without editing .config/.
import fs from 'fs';
import path from 'path';
import CopyWebpackPlugin from 'copy-webpack-plugin';
import type { Configuration } from 'webpack';

import grafanaConfig, { type Env } from './.config/webpack/webpack.config';

const SOURCE_DIR = 'src';

/**
 * The scaffold copies the logos named in src/plugin.json only; a nested plugin's plugin.json names its own, relative
 * to its folder (src/datasource/img/logo.svg), and Grafana fails to show the plugin without them.
 */
function nestedLogoPatterns(): Array<{ from: string; to: string }> {
  const nested = fs
    .readdirSync(SOURCE_DIR, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && fs.existsSync(path.join(SOURCE_DIR, entry.name, 'plugin.json')))
    .map((entry) => entry.name);
  return nested.flatMap((dir) => {
    const pluginJson = JSON.parse(fs.readFileSync(path.join(SOURCE_DIR, dir, 'plugin.json'), 'utf8'));
    // Array.from rather than spread: ts-node compiles this file for ES5, where spreading a Set yields nothing.
    const logos = Array.from(
      new Set<string>([pluginJson.info?.logos?.small, pluginJson.info?.logos?.large].filter(Boolean))
    );
    return logos.map((logo) => ({ from: path.join(dir, logo), to: path.join(dir, logo) }));
  });
}

const config = async (env: Env): Promise<Configuration> => {
  const baseConfig = await grafanaConfig(env);
  return {
    ...baseConfig,
    plugins: [...(baseConfig.plugins ?? []), new CopyWebpackPlugin({ patterns: nestedLogoPatterns() })],
  };
};

export default config;
