/**
 * Records the worker answers the plugin's unit tests use (src/test/recorded/*.ts): starts the real worker with demo
 * traffic, sends it a few malformed lines and two events, adds three servers with a note each, waits for statsd's
 * flushes, then asks what the data source and the app ask. Run after `npm run build:worker`:
 *
 *   npx tsx tests/browser/record-fixtures.ts
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as prettier from 'prettier';

import { REPO_ROOT, callWorker, feedExtras, startDemoWorker, waitForDemoData, type DemoWorker } from './worker';

const OUT = join(REPO_ROOT, 'src', 'test', 'recorded');

interface Recording {
  request: { method: string; path: string; body?: unknown };
  status: number;
  body: unknown;
}

async function record(
  worker: DemoWorker,
  name: string,
  path: string,
  init: { method?: string; body?: unknown } = {}
): Promise<void> {
  const { status, body } = await callWorker(worker, path, init);
  const recording: Recording = { request: { method: init.method ?? 'GET', path, body: init.body }, status, body };
  // A module rather than a .json file: the plugin's build copies every JSON file under src/ into dist/.
  const file = join(OUT, `${name}.ts`);
  const source =
    `// Recorded by tests/browser/record-fixtures.ts from the worker: run it again rather than editing this file.\n` +
    `export const recording = ${JSON.stringify(recording)};\n`;
  const options = await prettier.resolveConfig(file);
  writeFileSync(file, await prettier.format(source, { ...options, filepath: file }));
  process.stdout.write(`recorded ${name}: HTTP ${status} for ${init.method ?? 'GET'} ${path}\n`);
}

async function main(): Promise<void> {
  // Admin, to add the inventory the variable editor lists.
  const worker = await startDemoWorker('read,ingest,admin');
  try {
    await feedExtras(worker);
    for (const [hostname, environment] of [
      ['web1.example.net', 'production'],
      ['web2.example.net', 'production'],
      ['db1.example.net', 'staging'],
    ]) {
      const server = { hostname, environment, status: 'active', addresses: [], contacts: [] };
      await callWorker(worker, '/api/v1/inventory/servers', { method: 'POST', body: server });
    }
    // Notes on two servers for the inventory annotations, and one on a third that those annotations leave out.
    for (const [hostname, body] of [
      ['web1.example.net', 'Replaced the disk in bay 2'],
      ['web2.example.net', 'Kernel 6.1.0-28, rebooted'],
      ['db1.example.net', 'Restored from the nightly backup'],
    ]) {
      await callWorker(worker, '/api/v1/inventory/notes', {
        method: 'POST',
        body: { entity: `server:${hostname}`, body },
      });
    }
    await waitForDemoData(worker);
    // Two flushes, so that every statsd series has points and the rates have a window to average over.
    await new Promise((resolve) => setTimeout(resolve, 11_000));

    const until = Math.floor(Date.now() / 1000);
    const from = until - 300;
    await record(worker, 'stats', '/api/v1/stats');
    await record(worker, 'functions', '/graphite/functions');
    await record(worker, 'find-root', '/graphite/metrics/find?query=*');
    await record(worker, 'find-servers', '/graphite/metrics/find?query=servers.*');
    await record(worker, 'find-web1', '/graphite/metrics/find?query=servers.web1.*');
    await record(worker, 'complete-cpu', '/graphite/metrics/find?query=*.*.*cpu*&format=completer');
    await record(worker, 'tags', '/graphite/tags');
    await record(worker, 'tag-env', '/graphite/tags/env');
    await record(worker, 'tag-name-request', '/graphite/tags/name?filter=.*request');
    await record(worker, 'tag-keys', '/graphite/tags/autoComplete/tags');
    await record(worker, 'tag-values-env', '/graphite/tags/autoComplete/values?tag=env');
    await record(worker, 'tag-values-name', '/graphite/tags/autoComplete/values?tag=name&valuePrefix=stats.timers');
    await record(worker, 'query', '/api/v1/query', {
      method: 'POST',
      body: {
        targets: [
          { refId: 'A', target: 'aliasByNode(servers.*.cpu.user, 1)' },
          { refId: 'B', target: 'sumSeries(servers.*.cpu.user' },
          { refId: 'C', target: 'movingAverage(servers.web1.cpu.user, 1, 2, 3, 4)' },
          { refId: 'D', target: 'servers.web1.load.1min', hide: true },
          {
            refId: 'E',
            target:
              "sumSeries(seriesByTag('name=~^stats\\.counters\\.app\\.response\\.[^.]*\\.200\\.count$', 'env=prod'))",
          },
        ],
        from,
        until,
        maxDataPoints: 30,
        intervalMs: 10_000,
      },
    });
    await record(worker, 'query-invalid', '/api/v1/query', { method: 'POST', body: { targets: 'servers.*' } });
    await record(
      worker,
      'inventory-values',
      '/api/v1/inventory/values?entity=servers&field=hostname&filter=environment=production'
    );
    await record(worker, 'events', `/api/v1/events?from=${from}&until=${until + 60}&tags=shop`);
    for (const collection of ['servers', 'applications', 'aliases']) {
      await record(worker, `inventory-${collection}`, `/api/v1/inventory/${collection}`);
    }
    await record(
      worker,
      'inventory-annotations',
      `/api/v1/inventory/annotations?entity=server:web1.example.net&entity=server:web2.example.net&from=${from}&until=${until + 60}&tags=note`
    );
  } finally {
    await worker.stop();
  }
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
