/**
 * A real worker for the browser tests and the fixture recorder: `mission-control serve --demo` on loopback ports
 * with a fresh data directory and a key, stopped by its PID.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import * as dgram from 'node:dgram';
import { mkdtempSync, rmSync } from 'node:fs';
import * as net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const REPO_ROOT = join(__dirname, '..', '..');
const BIN = join(REPO_ROOT, 'bin', 'mission-control.js');

export interface DemoWorker {
  url: string;
  key: string;
  pid: number;
  ports: { http: number; statsd: number; graphite: number };
  /** The last of what the worker logged, for failure messages. */
  output(): string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** The worker's answer to a request with the key, as status and parsed JSON. */
export async function callWorker(
  worker: Pick<DemoWorker, 'url' | 'key'>,
  path: string,
  init: { method?: string; body?: unknown } = {}
): Promise<{ status: number; body: unknown }> {
  const response = await fetch(worker.url + path, {
    method: init.method ?? 'GET',
    headers: {
      authorization: `Bearer ${worker.key}`,
      ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    body: init.body !== undefined ? JSON.stringify(init.body) : undefined,
  });
  const text = await response.text();
  return { status: response.status, body: text === '' ? undefined : JSON.parse(text) };
}

/**
 * Starts the worker with demo traffic and resolves once /readyz answers 200. Its key may read, send and administer:
 * the proxy adds it as Grafana's data source proxy adds the key the Grafana admin configured, and the app's pages
 * change alert rules, silences and notifiers, which needs `admin`; the tests also send data of their own.
 */
export async function startDemoWorker(scopes = 'read,ingest,admin'): Promise<DemoWorker> {
  const dataDir = mkdtempSync(join(tmpdir(), 'mc-browser-'));
  const key = execFileSync(
    process.execPath,
    [BIN, 'keys', 'create', '--data-dir', dataDir, '--scopes', scopes, '--name', 'browser-tests'],
    { stdio: ['ignore', 'pipe', 'pipe'] }
  )
    .toString()
    .trim();
  const [http, statsd, graphite] = [await freePort(), await freePort(), await freePort()];
  const child: ChildProcess = spawn(
    process.execPath,
    [
      BIN,
      'serve',
      '--demo',
      '--data-dir',
      dataDir,
      '--http',
      `127.0.0.1:${http}`,
      '--statsd',
      `127.0.0.1:${statsd}`,
      '--graphite',
      `127.0.0.1:${graphite}`,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] }
  );
  let log = '';
  const keep = (chunk: Buffer) => {
    log = (log + chunk.toString()).slice(-16_384);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${http}`;
  const worker: DemoWorker = {
    url,
    key,
    pid: child.pid!,
    ports: { http, statsd, graphite },
    output: () => log,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        process.kill(child.pid!, 'SIGTERM');
        await exited;
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(`the worker exited during start-up:\n${log}`);
    }
    try {
      if ((await fetch(`${url}/readyz`)).ok) {
        return worker;
      }
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await worker.stop();
  throw new Error(`the worker was not ready within 30 s:\n${log}`);
}

/**
 * Waits until the demo traffic has been flushed into the store (statsd's first flush comes after 10 s) and the
 * worker has reported its own figures twice (every 10 s), so that rates of its mc.* series have a point.
 */
export async function waitForDemoData(worker: DemoWorker, minSeries = 100, timeoutMs = 40_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const reports = async (): Promise<number> => {
    const { body } = await callWorker(worker, '/graphite/render?target=mc.store_series&from=-5min&format=json');
    const [series] = (body as Array<{ datapoints: Array<[number | null, number]> }> | undefined) ?? [];
    return series?.datapoints.filter(([v]) => v !== null).length ?? 0;
  };
  while (Date.now() < deadline) {
    const { body } = await callWorker(worker, '/api/v1/stats');
    const series = (body as { store?: { series?: number } }).store?.series ?? 0;
    if (series >= minSeries && (await reports()) >= 2) {
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(
    `the demo traffic did not reach ${minSeries} series and two self-reports within ${timeoutMs} ms:\n${worker.output()}`
  );
}

/**
 * What the demo traffic lacks: a malformed line per protocol (a statsd line without a type, a Graphite value that is
 * no number, a JSON item with a space in its name), so that rejected lines show, and two events for annotations.
 */
export async function feedExtras(worker: DemoWorker): Promise<void> {
  const udp = dgram.createSocket('udp4');
  await new Promise<void>((resolve) => udp.send('app.broken:1', worker.ports.statsd, '127.0.0.1', () => resolve()));
  udp.close();
  await new Promise<void>((resolve, reject) => {
    const socket = net.connect(worker.ports.graphite, '127.0.0.1', () =>
      socket.end('servers.web1.cpu.user not-a-number 1\n')
    );
    // The worker acknowledges on the socket and closes it once the line is on disk; reading lets the close arrive.
    socket.resume();
    socket.on('close', () => resolve());
    socket.on('error', reject);
  });
  await callWorker(worker, '/api/v1/write', { method: 'POST', body: [{ name: 'bad name', value: 1 }] });
  for (const event of [
    { what: 'deploy shop 1.4.2', tags: ['deploy', 'shop'], data: 'by ana: checkout retries' },
    { what: 'DNS: shop.example.com now CNAME lb2.example.com', tags: ['dns', 'shop'], data: 'hostmaster ticket 812' },
  ]) {
    await callWorker(worker, '/api/v1/events', { method: 'POST', body: event });
  }
}

const HOSTS = ['web1', 'web2', 'web3', 'db1'];

/**
 * The last `minutes` of the demo's host metrics, written over HTTP with past timestamps, so that charts have a line
 * to draw at once rather than the few points of a worker that started seconds ago. Same names and shapes as the demo
 * feeder's (src/worker/demo/feeder.ts).
 */
export async function backfillHosts(worker: DemoWorker, minutes = 15): Promise<void> {
  const now = Math.floor(Date.now() / 10_000) * 10;
  const items = HOSTS.flatMap((host, h) => {
    const points = (f: (i: number) => number): Array<[number, number]> =>
      Array.from({ length: minutes * 6 }, (_, i) => [now - (minutes * 6 - i) * 10, Number(f(i).toFixed(2))]);
    const user = (i: number) => 20 + 10 * h + 8 * Math.sin(i / 9 + h) + 3 * Math.sin(i / 2.3);
    return [
      { name: `servers.${host}.cpu.user`, points: points(user) },
      { name: `servers.${host}.cpu.system`, points: points((i) => user(i) * 0.3) },
      { name: `servers.${host}.cpu.idle`, points: points((i) => 100 - user(i) * 1.3) },
      { name: `servers.${host}.memory.used`, points: points((i) => 3e9 + h * 5e8 + 2e8 * Math.sin(i / 15)) },
      { name: `servers.${host}.load.1min`, points: points((i) => user(i) / 25) },
      { name: `servers.${host}.disk.root.used_percent`, points: points((i) => 40 + 5 * h + i * 0.01) },
      { name: `servers.${host}.network.eth0.rx_bytes`, points: points((i) => i * 3e7 + h * 1e6) },
    ];
  });
  const { status, body } = await callWorker(worker, '/api/v1/write', { method: 'POST', body: items });
  if (status !== 200) {
    throw new Error(`the backfill was refused: HTTP ${status} ${JSON.stringify(body)}`);
  }
}
