/**
 * The worker as an operator runs it: SIGHUP reloads the configuration and keeps the last good
 * one when the new file is wrong; SIGTERM flushes, checkpoints and exits 0 with nothing lost; its own figures can
 * be read back from its store like any other series.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  WorkerProcess,
  assertWorkerBuilt,
  createApiKey,
  freeWorkerPorts,
  httpJson,
  sleep,
} from './helpers/worker-process';

jest.setTimeout(90_000);

const config = (method: string): string =>
  [
    'storage:',
    '  aggregation:',
    `    - { name: lifecycle, pattern: '^lc\\.', method: ${method} }`,
    '  schemas:',
    '    - { name: all, pattern: ".*", retentions: "10s:1d,1m:7d" }',
    '',
  ].join('\n');

describe('worker lifecycle', () => {
  let dir: string;
  let worker: WorkerProcess | undefined;

  beforeAll(() => assertWorkerBuilt());
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mc-life-'));
  });
  afterEach(async () => {
    await worker?.kill('SIGKILL');
    worker = undefined;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** Two samples in one 10 s bucket: the bucket's value shows which aggregation method is in force. */
  async function bucketValue(port: number, key: string, t: number): Promise<unknown> {
    const r = await httpJson(
      port,
      'POST',
      '/api/v1/read',
      { targets: [{ refId: 'A', glob: 'lc.x' }], from: t, until: t + 10, step: 10 },
      { key }
    );
    expect(r.status).toBe(200);
    return (r.body as { results: Array<{ series: Array<{ values: unknown[] }> }> }).results[0]!.series[0]!.values[0];
  }

  it('reloads on SIGHUP, refuses a bad file with its line, and keeps the last good configuration', async () => {
    const file = path.join(dir, 'worker.yaml');
    fs.writeFileSync(file, config('max'));
    const dataDir = path.join(dir, 'data');
    const key = createApiKey(dataDir, ['ingest', 'read']);
    worker = await WorkerProcess.start({ dataDir, ports: await freeWorkerPorts(), configFile: file });
    const t = Math.floor(Date.now() / 10_000) * 10 - 60;
    const w = await httpJson(
      worker.ports.http,
      'POST',
      '/api/v1/write',
      [
        {
          name: 'lc.x',
          points: [
            [t, 1],
            [t + 5, 9],
          ],
        },
      ],
      {
        key,
      }
    );
    expect(w.status).toBe(200);
    expect(await bucketValue(worker.ports.http, key, t)).toBe(9);

    fs.writeFileSync(file, config('min'));
    process.kill(worker.pid, 'SIGHUP');
    await waitFor(() => worker!.output().includes('configuration reloaded'));
    expect(await bucketValue(worker.ports.http, key, t)).toBe(1);

    // Line 3 now names a method that does not exist.
    fs.writeFileSync(file, config('median'));
    process.kill(worker.pid, 'SIGHUP');
    await waitFor(() => worker!.output().includes('configuration reload refused'));
    expect(worker.output()).toMatch(/worker\.yaml:3:\d+/);
    expect(worker.alive).toBe(true);
    expect(await bucketValue(worker.ports.http, key, t)).toBe(1);
  });

  it('exits 0 on SIGTERM with everything checkpointed, and serves it again after a restart', async () => {
    const dataDir = path.join(dir, 'data');
    const key = createApiKey(dataDir, ['ingest', 'read']);
    const ports = await freeWorkerPorts();
    worker = await WorkerProcess.start({ dataDir, ports });
    const t = Math.floor(Date.now() / 10_000) * 10 - 600;
    const points = Array.from({ length: 50 }, (_, i) => [t + i * 10, i] as [number, number]);
    expect((await httpJson(ports.http, 'POST', '/api/v1/write', [{ name: 'lc.y', points }], { key })).status).toBe(200);
    const exit = await worker.stop();
    expect(exit).toEqual({ code: 0, signal: null });
    // The head was written to block files: no WAL segment holds data any more.
    const walBytes = fs
      .readdirSync(path.join(dataDir, 'wal'))
      .reduce((n, f) => n + fs.statSync(path.join(dataDir, 'wal', f)).size, 0);
    expect(walBytes).toBe(0);

    worker = await WorkerProcess.start({ dataDir, ports });
    const r = await httpJson(
      ports.http,
      'POST',
      '/api/v1/read',
      { targets: [{ refId: 'A', glob: 'lc.y' }], from: t, until: t + 500, step: 10 },
      { key }
    );
    const values = (r.body as { results: Array<{ series: Array<{ values: unknown[] }> }> }).results[0]!.series[0]!
      .values;
    expect(values).toEqual(points.map(([, v]) => v));
  });

  it('writes its own figures into its store, for the Graphite render API, and still stops cleanly', async () => {
    const file = path.join(dir, 'worker.yaml');
    fs.writeFileSync(file, 'selfReport: { interval: 1s }\n');
    const dataDir = path.join(dir, 'data');
    const key = createApiKey(dataDir, ['ingest', 'read']);
    worker = await WorkerProcess.start({ dataDir, ports: await freeWorkerPorts(), configFile: file });
    const t = Math.floor(Date.now() / 1000);
    const w = await httpJson(worker.ports.http, 'POST', '/api/v1/write', [{ name: 'lc.z', points: [[t, 1]] }], { key });
    expect(w.status).toBe(200);

    const target = encodeURIComponent("seriesByTag('name=mc.ingest_lines_received_total')");
    const render = `/graphite/render?target=${target}&from=-1min&format=json`;
    let received: Array<{ tags: Record<string, string>; datapoints: Array<[number | null, number]> }> = [];
    await waitFor(async () => {
      const r = await httpJson(worker!.ports.http, 'GET', render, undefined, { key });
      received = r.status === 200 ? (r.body as typeof received) : [];
      return received.some((s) => s.datapoints.some(([v]) => v === 1));
    });
    expect(received.map((s) => s.tags)).toEqual([{ name: 'mc.ingest_lines_received_total', protocol: 'http' }]);

    expect(await worker.stop()).toEqual({ code: 0, signal: null });
    expect(worker.output()).not.toMatch(/could not write the worker/);
  });
});

async function waitFor(cond: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > until) throw new Error('timed out waiting for the worker');
    await sleep(50);
  }
}
