/**
 * The data source in the browser: the query, variable and annotation editors, the app's Overview and Configuration
 * pages, and the provisioned dashboards, against the demo worker.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { REPO_ROOT, callWorker } from './worker';
import { TIMEOUT_MS, check, open, screenshot, until, visible, type Test } from './harness';

export const datasourceTests: Record<string, Test> = {
  async 'the metric browser lists the series, by path and by tag'(page, context) {
    await open(page, context, 'view=query');
    await page.getByRole('button', { name: 'Metric browser' }).click();
    await page.getByRole('button', { name: 'Open servers', exact: true }).click();
    const hosts = page.getByRole('list', { name: 'paths' }).getByRole('button');
    const names = await until(
      'the hosts under servers',
      () => hosts.allTextContents(),
      (t) => t.length === 4
    );
    check(names.join(' ') === 'db1 web1 web2 web3', `hosts listed: ${names.join(', ')}`);

    await page.getByRole('tab', { name: 'Tags' }).click();
    await page.getByRole('button', { name: 'Open tag name' }).click();
    await page.getByLabel('Search the metric browser').fill('request.home');
    const values = page.getByRole('list', { name: 'values' }).getByRole('button');
    // The previous list stays until the search answers: wait for a list of matches only.
    const series = await until(
      'the request timers of the home endpoint',
      () => values.allTextContents(),
      (t) => t.length > 0 && t.every((text) => text.includes('request.home'))
    );
    check(
      series.some((text) => text.startsWith('stats.timers.app.request.home.upper_90')),
      `series found: ${series.join(', ')}`
    );
    await screenshot(page, 'metric-browser');
  },

  async 'a query built in the builder returns points, and round-trips to code'(page, context) {
    await open(page, context, 'view=query');
    await page.getByRole('button', { name: 'Metric browser' }).click();
    for (const path of ['servers', 'servers.web1', 'servers.web1.cpu']) {
      await page.getByRole('button', { name: `Open ${path}`, exact: true }).click();
    }
    await page.getByRole('button', { name: 'user', exact: true }).click();
    check((await page.getByLabel('Series path').inputValue()) === 'servers.web1.cpu.user', 'the path was not used');

    await page.getByRole('button', { name: 'Add function' }).click();
    await page.getByLabel('Search functions').fill('movingAverage');
    await page.getByRole('option', { name: 'movingAverage', exact: true }).click();
    await visible(page.getByRole('group', { name: 'Function movingAverage' }));

    const summary = page.getByRole('region', { name: 'Query results' }).locator('p').first();
    const text = await until(
      'the panel’s results',
      () => summary.textContent(),
      (t) => /^1 series, [1-9]\d* points$/.test(t ?? '')
    );
    check(text !== null, 'no results');
    await visible(page.getByRole('img', { name: 'Chart' }));
    await screenshot(page, 'query-builder');

    await page.getByRole('radio', { name: 'Code' }).check({ force: true });
    const code = await page.getByLabel('Target').inputValue();
    check(code === 'movingAverage(servers.web1.cpu.user, 5)', `the code shows ${code}`);
  },

  async 'a tag query with a percentile from the sketches returns a series per endpoint'(page, context) {
    const target =
      "aliasByNode(summarize(seriesByTag('name=~^stats\\.timers\\.app\\.request\\.[^.]+$'), '1min', 'p99'), 4)";
    await open(page, context, `view=query&target=${encodeURIComponent(target)}`);
    await page.getByRole('button', { name: 'Add function' }).waitFor({ timeout: TIMEOUT_MS });
    await visible(page.getByRole('group', { name: 'Function summarize' }));
    // Changing the function runs the query, as Grafana runs it after an edit.
    const func = page.getByLabel('summarize func');
    await func.fill('p90');
    await func.press('Enter');
    const rows = page.getByRole('region', { name: 'Query results' }).locator('tbody tr td:first-child');
    const endpoints = await until(
      'the endpoints',
      () => rows.allTextContents(),
      (t) => t.length === 4
    );
    check(endpoints.sort().join(' ') === 'checkout home login search', `series: ${endpoints.join(', ')}`);
    await screenshot(page, 'query-tags');
  },

  async 'a bad query shows the worker’s message, with the position marked'(page, context) {
    await open(page, context, 'view=query');
    await page.getByRole('radio', { name: 'Code' }).check({ force: true });
    const code = page.getByLabel('Target');
    await code.fill('movingAverage(servers.web1.cpu.user, 1, 2, 3, 4)');
    await code.press('Shift+Enter');
    await visible(page.getByText("too many arguments for function 'movingAverage': it takes 3"));
    const mark = page.getByLabel('Where the error is').locator('mark');
    check((await mark.textContent()) === '3', `marked: ${await mark.textContent()}`);
    await screenshot(page, 'query-error');

    await code.fill('sumSeries(servers.*.cpu.user');
    await code.press('Shift+Enter');
    await visible(page.getByText("expected ',' or ')' at position 28, found the end of the target"));
  },

  async 'the Overview page shows live ingest figures'(page, context) {
    await open(page, context, 'view=overview');
    await visible(page.getByText('Ready', { exact: true }));
    const row = page.getByRole('region', { name: 'Ingest by protocol' }).getByRole('row', { name: /^statsd \(UDP\)/ });
    const cells = () => row.getByRole('cell').allTextContents();
    const first = await until('statsd’s rate', cells, (c) => c.length === 5 && c[0] !== '0/s');
    const [, , received] = first;
    await until('statsd’s total, growing', cells, (c) => c[2] !== received);
    const rejected = page.getByRole('region', { name: 'Rejected lines' });
    await visible(rejected.getByText('missing type'));
    await visible(page.getByRole('region', { name: 'Sources' }).getByText('servers.web1'));
    await screenshot(page, 'overview');
  },

  async 'the Configuration page tests the connection through the proxy'(page, context) {
    await open(page, context, 'view=config');
    await page.getByRole('button', { name: 'Test connection' }).click();
    const checks = page.getByRole('list', { name: 'Connection checks' }).getByRole('listitem');
    const results = await until(
      'the three checks',
      () => checks.allTextContents(),
      (t) => t.length === 3
    );
    check(
      results.every((text) => text.includes(': OK.')),
      `checks: ${results.join(' | ')}`
    );
    await screenshot(page, 'configuration');
  },

  async 'a query variable lists the hosts'(page, context) {
    await open(page, context, 'view=variable');
    await visible(page.getByText('Values: db1, web1, web2, web3.'));
    await screenshot(page, 'variable');
  },

  async 'annotations show the worker’s events with the chosen tags'(page, context) {
    await open(page, context, 'view=annotation');
    await page.getByRole('switch', { name: 'Match any tag' }).check({ force: true });
    const items = page.getByRole('list', { name: 'Annotations' }).getByRole('listitem');
    const titles = await until(
      'the events tagged shop',
      () => items.allTextContents(),
      (t) => t.length === 2
    );
    check(titles.includes('deploy shop 1.4.2: by ana: checkout retries'), `events: ${titles.join(', ')}`);
    await screenshot(page, 'annotations');
  },

  async 'inventory annotations show the notes of the picked server'(page, context) {
    const notes: Record<string, string> = {
      'notes1.example.net': 'Swapped the power supply',
      'notes2.example.net': 'Moved to rack B4',
    };
    for (const [hostname, body] of Object.entries(notes)) {
      const server = { hostname, status: 'active', addresses: [], contacts: [] };
      const created = await callWorker(context.worker, '/api/v1/inventory/servers', { method: 'POST', body: server });
      check(created.status === 201, `creating ${hostname}: HTTP ${created.status} ${JSON.stringify(created.body)}`);
      const note = { entity: `server:${hostname}`, body };
      const added = await callWorker(context.worker, '/api/v1/inventory/notes', { method: 'POST', body: note });
      check(added.status === 201, `adding a note on ${hostname}: HTTP ${added.status} ${JSON.stringify(added.body)}`);
    }

    await open(page, context, 'view=annotation');
    await page.getByRole('radio', { name: 'Inventory' }).check({ force: true });
    const entities = page.getByLabel('Entities');
    await entities.click();
    await entities.fill('notes1');
    await page.getByRole('option', { name: 'server:notes1.example.net' }).click();
    await page.keyboard.press('Escape');

    const items = page.getByRole('list', { name: 'Annotations' }).getByRole('listitem');
    const shown = await until(
      'the note on notes1 alone',
      () => items.allTextContents(),
      (t) => t.some((text) => text.endsWith(notes['notes1.example.net'])) && !t.some((text) => text.includes('rack B4'))
    );
    check(
      shown.includes(`Note on server:notes1.example.net by browser-tests: ${notes['notes1.example.net']}`),
      `annotations: ${shown.join(' | ')}`
    );
    await screenshot(page, 'annotations-inventory');
  },

  async 'every query of the provisioned dashboards runs on the demo worker'(_page, context) {
    const dir = join(REPO_ROOT, 'provisioning', 'dashboards', 'mission-control');
    const targets: Array<{ refId: string; target: string }> = [];
    for (const file of readdirSync(dir)) {
      const dashboard = JSON.parse(readFileSync(join(dir, file), 'utf8'));
      for (const panel of dashboard.panels) {
        for (const t of panel.targets ?? []) {
          if (t.queryType === 'metrics') {
            // The dashboards' $host variable, with its "All" value.
            targets.push({ refId: `T${targets.length}`, target: t.target.replace('$host', '*') });
          }
        }
      }
    }
    const { status, body } = await callWorker(context.worker, '/api/v1/query', {
      method: 'POST',
      body: { targets, from: '-15min', maxDataPoints: 300 },
    });
    check(status === 200, `HTTP ${status}`);
    const results = (body as { results: Record<string, { series: unknown[]; error?: { message: string } }> }).results;
    const failing = targets.filter(({ refId }) => results[refId].error || results[refId].series.length === 0);
    check(
      failing.length === 0,
      failing.map(({ refId, target }) => `${target}: ${results[refId].error?.message ?? 'no series'}`).join('\n')
    );
  },

  async 'the browser reaches the worker only through the proxy, without the key'(_page, context) {
    check(context.proxy.forwarded.length > 0, 'nothing went through the proxy');
    check(context.proxy.leakedKeys === 0, `${context.proxy.leakedKeys} requests carried a key from the browser`);
  },
};
