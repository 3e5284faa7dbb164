/**
 * Browser tests: the plugin's real editors and app pages in Chromium, against a real worker fed with demo traffic,
 * reached through a local stand-in for Grafana's data source proxy. Each test asserts what a user sees and leaves a
 * screenshot in tests/output/ for review. Prints "N passed, N failed" and exits non-zero on a failure.
 *
 * `BROWSER_ONLY=<text>` runs only the tests whose name contains the text.
 *
 * Needs `npm run build:worker` and Chromium at /usr/bin/chromium (tests/browser/run.sh sees to both).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';

import datasourcePluginJson from '../../src/datasource/plugin.json';
import { PAGE_DIR, buildPage } from './build';
import { alertingTests } from './alerting';
import { datasourceTests } from './datasource';
import { OUTPUT, UID, check, type Context, type Test } from './harness';
import { inventoryTests } from './inventory';
import { startProxy, type RunningProxy } from './proxy';
import { backfillHosts, feedExtras, startDemoWorker, waitForDemoData } from './worker';

const tests: Record<string, Test> = { ...datasourceTests, ...alertingTests, ...inventoryTests };

/** `BROWSER_ONLY=<text>` runs the tests whose name contains it (case-insensitive). */
function selected(): Array<[string, Test]> {
  const only = process.env.BROWSER_ONLY?.toLowerCase();
  return Object.entries(tests).filter(([name]) => !only || name.toLowerCase().includes(only));
}

async function main(): Promise<number> {
  mkdirSync(OUTPUT, { recursive: true });
  await buildPage();
  const worker = await startDemoWorker();
  let proxy: RunningProxy | undefined;
  let browser: Browser | undefined;
  let passed = 0;
  let failed = 0;
  try {
    await feedExtras(worker);
    await backfillHosts(worker);
    await waitForDemoData(worker);
    proxy = await startProxy({
      workerUrl: worker.url,
      key: worker.key,
      uid: UID,
      route: datasourcePluginJson.routes[0].path,
      pageDir: PAGE_DIR,
    });
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
      headless: true,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--no-first-run',
        '--disable-sync',
      ],
    });
    const context: Context = { browser, proxy, worker };
    for (const [name, test] of selected()) {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      const errors: string[] = [];
      page.on('pageerror', (err) => errors.push(err.message));
      page.on('request', (request) => {
        if (request.url().startsWith(worker.url)) {
          errors.push(`the browser called the worker directly: ${request.url()}`);
        }
      });
      try {
        await test(page, context);
        check(errors.length === 0, `errors on the page: ${errors.join('; ')}`);
        passed++;
        process.stdout.write(`ok      ${name}\n`);
      } catch (err) {
        failed++;
        const reason = err instanceof Error ? err.message : String(err);
        process.stdout.write(`FAILED  ${name}\n        ${reason.split('\n').join('\n        ')}\n`);
        await page.screenshot({ path: join(OUTPUT, `failed-${name.replace(/\W+/g, '-')}.png`), fullPage: true });
      } finally {
        await page.close();
      }
    }
  } finally {
    await browser?.close();
    await proxy?.close();
    await worker.stop();
  }
  process.stdout.write(`${passed} passed, ${failed} failed\n`);
  return failed === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  }
);
