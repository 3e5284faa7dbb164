/**
 * Builds the browser tests' page (page/main.tsx) with the repository's webpack and SWC, bundling React and the
 * @grafana packages that Grafana would otherwise provide, into tests/output/page/.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import webpack from 'webpack';

import { REPO_ROOT } from './worker';

export const PAGE_DIR = join(REPO_ROOT, 'tests', 'output', 'page');

const HTML = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>Mission Control browser tests</title>
  </head>
  <body>
    <div id="root"></div>
    <script src="page.js"></script>
  </body>
</html>
`;

export async function buildPage(): Promise<void> {
  const compiler = webpack({
    mode: 'development',
    devtool: false,
    context: REPO_ROOT,
    entry: join(__dirname, 'page', 'main.tsx'),
    output: { path: PAGE_DIR, filename: 'page.js', clean: true },
    resolve: { extensions: ['.tsx', '.ts', '.mjs', '.js', '.json'] },
    module: {
      rules: [
        {
          test: /\.tsx?$/,
          exclude: /node_modules/,
          use: {
            loader: 'swc-loader',
            options: { jsc: { parser: { syntax: 'typescript', tsx: true }, target: 'es2022' } },
          },
        },
        // Grafana's packages ship ES modules whose imports omit file extensions.
        { test: /\.m?js$/, resolve: { fullySpecified: false } },
        { test: /\.css$/, use: ['style-loader', 'css-loader'] },
        { test: /\.(svg|png|woff2?|ttf|eot)$/, type: 'asset/resource' },
      ],
    },
    plugins: [new webpack.DefinePlugin({ 'process.env.NODE_ENV': JSON.stringify('development') })],
    performance: { hints: false },
    infrastructureLogging: { level: 'error' },
  });
  const stats = await new Promise<webpack.Stats>((resolve, reject) =>
    compiler.run((err, result) =>
      err || !result ? reject(err ?? new Error('webpack gave no result')) : resolve(result)
    )
  );
  await new Promise<void>((resolve) => compiler.close(() => resolve()));
  if (stats.hasErrors()) {
    throw new Error(`the test page does not build:\n${stats.toString({ all: false, errors: true })}`);
  }
  writeFileSync(join(PAGE_DIR, 'index.html'), HTML);
}
