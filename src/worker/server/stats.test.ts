import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import pino from 'pino';
import type { StatsResponse } from '../../shared/api';
import { openCatalog, type Catalog } from '../catalog/db';
import { KeyVerifier, createKey } from '../catalog/keys';
import { WorkerMetrics } from '../selfmetrics';
import { TimeSeriesStore } from '../store/db';
import { buildHttpServer } from './http';
import { sourceOf } from './stats';

const START = Date.UTC(2026, 10, 22, 12);
const S = START / 1000;

describe('GET /api/v1/stats', () => {
  let dir: string;
  let db: Catalog;
  let store: TimeSeriesStore;
  let app: ReturnType<typeof buildHttpServer>;
  let clock: number;
  let keys: { ingest: string; read: string };

  beforeEach(async () => {
    clock = START;
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mc-stats-'));
    db = openCatalog(dir);
    const metrics = new WorkerMetrics({ processMetrics: false });
    store = await TimeSeriesStore.open({
      dataDir: dir,
      db,
      rules: {
        schemaFor: () => ({ name: 'default', levels: [{ resolutionMs: 10_000, retentionMs: 7 * 86_400_000 }] }),
        methodFor: () => 'avg',
      },
      metrics,
      now: () => clock,
    });
    keys = { ingest: createKey(db, { scopes: ['ingest'] }).key, read: createKey(db, { scopes: ['read'] }).key };
    app = buildHttpServer({
      sink: store,
      reader: store,
      keys: new KeyVerifier(db),
      metrics,
      logger: pino({ level: 'silent' }),
      ready: () => ({ status: 'ready', checks: { store: { ok: true, message: `${store.catalog.size} series` } } }),
      limits: { maxSeriesPerQuery: 100, maxPointsPerQuery: 10_000 },
      now: () => clock,
    });
    await app.ready();
  });

  afterEach(async () => {
    await app.close();
    await store.close();
    db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const write = (body: unknown) =>
    app.inject({
      method: 'POST',
      url: '/api/v1/write',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${keys.ingest}` },
      payload: JSON.stringify(body),
    });
  const stats = (key: string) =>
    app.inject({ method: 'GET', url: '/api/v1/stats', headers: { authorization: `Bearer ${key}` } });

  it('needs a key with the read scope', async () => {
    expect((await app.inject({ method: 'GET', url: '/api/v1/stats' })).statusCode).toBe(401);
    const refused = await stats(keys.ingest);
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error).toContain("'read'");
  });

  it('reports totals and rates per protocol, rejected lines, the store and each source’s newest sample', async () => {
    expect(
      (
        await write([
          {
            name: 'servers.web1.cpu.user',
            points: [
              [S - 30, 20],
              [S - 20, 21],
            ],
          },
          { name: 'servers.web2.cpu.user', value: 5, timestamp: S - 120 },
          { name: 'app.signups', labels: { source: 'shop' }, value: 1, timestamp: S - 10 },
          { name: 'stats.gauges.queue', value: 7, timestamp: S - 600 },
        ])
      ).statusCode
    ).toBe(200);
    expect((await write([{ name: 'bad name', value: 1 }])).statusCode).toBe(400);
    clock = START + 10_000;

    const r = await stats(keys.read);

    expect(r.statusCode).toBe(200);
    const body: StatsResponse = r.json();
    expect(body.time).toBe(S + 10);
    expect(body.uptime).toBe(10);
    expect(body.rateWindow).toBe(10);
    expect(body.store).toEqual({
      status: 'ready',
      checks: { store: { ok: true, message: '4 series' } },
      series: 4,
      headSeries: 4,
      walBytes: expect.any(Number),
    });
    expect(body.ingest.map((p) => p.protocol)).toEqual([
      'statsd_udp',
      'statsd_tcp',
      'graphite_tcp',
      'graphite_udp',
      'http',
    ]);
    expect(body.ingest.find((p) => p.protocol === 'http')).toEqual({
      protocol: 'http',
      linesReceived: 5,
      samplesAccepted: 5,
      linesRejected: 1,
      shed: 0,
      linesPerSecond: 0.5,
      samplesPerSecond: 0.5,
    });
    expect(body.ingest.find((p) => p.protocol === 'statsd_udp')).toMatchObject({ linesReceived: 0, linesPerSecond: 0 });
    expect(body.rejected).toEqual([{ protocol: 'http', reason: 'bad_name', lines: 1 }]);
    expect(body.sources.total).toBe(4);
    expect(body.sources.freshest.map((s) => [s.source, s.lastSeen])).toEqual([
      ['shop', S - 10],
      ['servers.web1', S - 20],
      ['servers.web2', S - 120],
      ['stats', S - 600],
    ]);
    expect(body.sources.stalest[0]).toEqual({ source: 'stats', series: 1, lastSeen: S - 600 });
  });
});

describe('sourceOf', () => {
  it('prefers the source label, then the host label, then servers.<host>, then the first node', () => {
    expect(sourceOf({ name: 'app.signups', labels: { source: 'shop', host: 'web1' } })).toBe('shop');
    expect(sourceOf({ name: 'app.signups', labels: { host: 'web1' } })).toBe('web1');
    expect(sourceOf({ name: 'servers.db1.load.1min', labels: {} })).toBe('servers.db1');
    expect(sourceOf({ name: 'stats.timers.app.request.home.mean', labels: { env: 'prod' } })).toBe('stats');
    expect(sourceOf({ name: 'servers', labels: {} })).toBe('servers');
  });
});
