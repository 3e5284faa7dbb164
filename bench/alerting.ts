/**
 * One alert evaluation cycle over 10,000 alert instances, with the real parts: the store (samples appended through
 * its WAL), the query engine (the same evaluator as /graphite/render), the state machine, SQLite persistence and the
 * dispatcher (webhook notifier to a receiver on 127.0.0.1, behind the global throttle).
 *
 *   100 rules × (99 series + the rule's own instance) = 10,000 instances, one group evaluated every minute.
 *   Half the series are over the threshold, so the first cycle creates every instance, stores ~5,000 transitions
 *   and notifies (the throttle lets 25 through and sends one "throttled" message); later cycles are steady state.
 *
 *   npx tsx --tsconfig tsconfig.worker.json bench/alerting.ts      (ALERT_BENCH_CYCLES=5 by default)
 *
 * Prints the time of each cycle and its ratio to the evaluation interval, and writes bench/output/alerting.json.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import { join } from 'node:path';

import pino from 'pino';

import { AlertingService } from '../src/worker/alerting/service';
import { engineQuery } from '../src/worker/alerting/query-adapter';
import { openCatalog } from '../src/worker/catalog/db';
import { CONFIG_DEFAULTS, compileStorageRules } from '../src/worker/config/schema';
import { parseRetentions } from '../src/worker/config/durations';
import { TimeSeriesStore } from '../src/worker/store/db';
import type { Sample } from '../src/worker/store/types';
import { ROOT, log, tempDir } from './procs';

const RULES = 100;
const SERIES_PER_RULE = 99;
const INTERVAL_MS = 60_000;
const CYCLES = Number(process.env.ALERT_BENCH_CYCLES ?? '5');

async function main(): Promise<void> {
  const dir = tempDir('alerting');
  const received = { requests: 0 };
  const receiver = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      received.requests++;
      res.end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', () => r()));
  const hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;

  const db = openCatalog(dir);
  const storage = compileStorageRules({
    checkpointIntervalMs: 3_600_000,
    rollupAfterMs: 40 * 3_600_000,
    schemas: [{ name: 'all', pattern: '.*', levels: parseRetentions('10s:1d,1m:7d') }],
    aggregation: [{ name: 'default', pattern: '.*', method: 'avg' }],
  });
  const store = await TimeSeriesStore.open({ dataDir: dir, db, rules: storage, checkpointIntervalMs: 3_600_000 });

  // Ten minutes of 10 s points for every series, ending now.
  const now = Math.floor(Date.now() / 10_000) * 10_000;
  log(`writing ${RULES * SERIES_PER_RULE} series × 60 points`);
  for (let r = 0; r < RULES; r++) {
    const samples: Sample[] = [];
    for (let s = 0; s < SERIES_PER_RULE; s++) {
      const level = s % 2 === 0 ? 95 : 40;
      for (let t = now - 600_000; t < now; t += 10_000) {
        samples.push({ name: `bench.r${r}.h${s}.cpu`, labels: {}, t, v: level + ((t / 10_000) % 3) });
      }
    }
    await store.append({ samples });
  }

  const config = {
    provisioningDir: undefined,
    historyRetentionMs: 30 * 86_400_000,
    queryTimeoutMs: 30_000,
    maxConcurrentQueries: 4,
    throttle: { maxNotifications: 25, perMs: 5 * 60_000 },
  };
  const alerting = new AlertingService({
    db,
    query: engineQuery({ reader: store, schemas: storage, limits: CONFIG_DEFAULTS.limits }),
    config,
    logger: pino({ level: 'silent' }),
  });
  alerting.definitions.putNotifier({ name: 'hook', type: 'webhook', settings: { url: hookUrl } });
  alerting.definitions.putGroup({ name: 'bench', interval: '1min', notifiers: ['hook'] });
  for (let r = 0; r < RULES; r++) {
    alerting.definitions.putRule({
      uid: `r${r}`,
      title: `CPU high ${r}`,
      group: 'bench',
      target: `bench.r${r}.*.cpu`,
      window: '5min',
      reducer: 'avg',
      condition: { op: 'above', threshold: 90, recoveryThreshold: 80 },
      minSeries: SERIES_PER_RULE,
      annotations: { summary: '{{ $labels.name }} at {{ $value }}' },
    });
  }

  const cycles: Array<{ ms: number; ratio: number; instances: number; requests: number }> = [];
  for (let i = 0; i < CYCLES; i++) {
    const before = received.requests;
    const started = process.hrtime.bigint();
    await alerting.engine.evaluateGroup('bench', now + i * 1000);
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    const instances = alerting.engine.allInstances().length;
    cycles.push({ ms, ratio: ms / INTERVAL_MS, instances, requests: received.requests - before });
    log(
      `cycle ${i + 1}: ${ms.toFixed(0)} ms for ${instances} instances (${((ms / INTERVAL_MS) * 100).toFixed(2)}% of the 1 min interval)`
    );
  }
  const firing = alerting.engine.allInstances().filter((x) => x.state.state === 'alerting').length;

  const steady = cycles
    .slice(1)
    .map((c) => c.ms)
    .sort((a, b) => a - b);
  const result = {
    startedAt: new Date().toISOString(),
    machine: { cpus: `${os.cpus().length} × ${os.cpus()[0]?.model ?? '?'}`, node: process.version },
    rules: RULES,
    instances: cycles[0]!.instances,
    firing,
    intervalMs: INTERVAL_MS,
    firstCycle: cycles[0],
    steadyMedianMs: steady[Math.floor(steady.length / 2)] ?? NaN,
    cycles,
  };
  console.log(
    [
      '| cycle over 10,000 instances | time | share of the 1 min interval |',
      '| --- | --- | --- |',
      `| first (creates instances, ${firing} fire, notifies through the throttle) | ${cycles[0]!.ms.toFixed(0)} ms | ${(cycles[0]!.ratio * 100).toFixed(2)}% |`,
      `| steady state (median of ${steady.length}) | ${result.steadyMedianMs.toFixed(0)} ms | ${((result.steadyMedianMs / INTERVAL_MS) * 100).toFixed(2)}% |`,
    ].join('\n')
  );
  mkdirSync(join(ROOT, 'bench/output'), { recursive: true });
  writeFileSync(join(ROOT, 'bench/output/alerting.json'), `${JSON.stringify(result, null, 2)}\n`);

  await alerting.stop();
  await store.close();
  db.close();
  await new Promise<void>((r) => receiver.close(() => r()));
  if (process.env.BENCH_KEEP !== '1') rmSync(dir, { recursive: true, force: true });
}

void main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
