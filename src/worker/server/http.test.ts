import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import pino from 'pino';
import { openCatalog, type Catalog } from '../catalog/db';
import { KeyVerifier, createKey } from '../catalog/keys';
import { WorkerMetrics } from '../selfmetrics';
import { TimeSeriesStore } from '../store/db';
import { buildHttpServer } from './http';

const NOW = Date.UTC(2026, 10, 22, 12);
const S = NOW / 1000;

describe('HTTP API', () => {
  let dir: string;
  let db: Catalog;
  let store: TimeSeriesStore;
  let app: ReturnType<typeof buildHttpServer>;
  let metrics: WorkerMetrics;
  let keys: { ingest: string; read: string; all: string };

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mc-http-'));
    db = openCatalog(dir);
    metrics = new WorkerMetrics({ processMetrics: false });
    store = await TimeSeriesStore.open({
      dataDir: dir,
      db,
      rules: {
        schemaFor: () => ({ name: 'default', levels: [{ resolutionMs: 10_000, retentionMs: 7 * 86_400_000 }] }),
        methodFor: () => 'avg',
      },
      metrics,
      now: () => NOW,
    });
    keys = {
      ingest: createKey(db, { scopes: ['ingest'] }).key,
      read: createKey(db, { scopes: ['read'] }).key,
      all: createKey(db, { scopes: ['admin'] }).key,
    };
    app = buildHttpServer({
      sink: store,
      reader: store,
      keys: new KeyVerifier(db),
      metrics,
      logger: pino({ level: 'silent' }),
      ready: () => ({ status: 'ready', checks: {} }),
      limits: { maxSeriesPerQuery: 5, maxPointsPerQuery: 1000 },
      now: () => NOW,
    });
  });

  afterEach(async () => {
    await app.close();
    await store.close();
    db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const write = (key: string | undefined, body: unknown) =>
    app.inject({
      method: 'POST',
      url: '/api/v1/write',
      headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
      payload: typeof body === 'string' ? body : JSON.stringify(body),
    });
  const read = (key: string, body: unknown) =>
    app.inject({
      method: 'POST',
      url: '/api/v1/read',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      payload: JSON.stringify(body),
    });

  it('writes with an ingest key and reads back with a read key', async () => {
    const w = await write(keys.ingest, [
      {
        name: 'app.signups',
        labels: { plan: 'pro' },
        points: [
          [S - 20, 1],
          [S - 10, 2],
        ],
      },
      { name: 'app.latency', value: 12.5, timestamp: S - 10 },
    ]);
    expect(w.statusCode).toBe(200);
    expect(w.json()).toEqual({ accepted: 3 });
    const r = await read(keys.read, { targets: [{ refId: 'A', glob: 'app.*' }], from: S - 30, until: S, step: 10 });
    expect(r.statusCode).toBe(200);
    const series = r.json().results[0].series as Array<{ name: string; labels: object; values: unknown[] }>;
    const byName = Object.fromEntries(series.map((s) => [s.name, s]));
    expect(byName['app.signups']).toMatchObject({ labels: { plan: 'pro' }, values: [null, 1, 2] });
    expect(byName['app.latency']!.values).toEqual([null, null, 12.5]);
  });

  it('refuses a batch with a bad item as a whole, naming every fault, and writes nothing', async () => {
    const w = await write(keys.ingest, [
      { name: 'ok.one', value: 1, timestamp: S },
      { name: 'bad name', value: 1 },
      { name: 'ok.two', points: [[S, 'x']] },
    ]);
    expect(w.statusCode).toBe(400);
    const body = w.json();
    expect(body.errors.map((e: { index: number }) => e.index)).toEqual([1, 2]);
    expect(body.field).toBe('[1].name');
    expect(store.find({ glob: 'ok.*' })).toHaveLength(0);
    expect(await metrics.linesRejected.get()).toMatchObject({
      values: expect.arrayContaining([expect.objectContaining({ labels: { protocol: 'http', reason: 'bad_name' } })]),
    });
  });

  it('answers malformed JSON with 400 and the parser position', async () => {
    const w = await write(keys.ingest, '[{"name": "a",');
    expect(w.statusCode).toBe(400);
    expect(w.json().error).toMatch(/^body is not valid JSON: .*position \d+|^body is not valid JSON/);
  });

  it('checks the key and its scope', async () => {
    expect((await write(undefined, [])).statusCode).toBe(401);
    expect((await write('mc_0000000000000000_' + 'a'.repeat(43), [])).statusCode).toBe(401);
    const noScope = await write(keys.read, [{ name: 'a', value: 1 }]);
    expect(noScope.statusCode).toBe(403);
    expect(noScope.json().error).toContain("'ingest'");
    const admin = await write(keys.all, [{ name: 'a', value: 1, timestamp: S }]);
    expect(admin.statusCode).toBe(200);
    const who = await app.inject({
      method: 'GET',
      url: '/api/v1/auth/whoami',
      headers: { authorization: `Bearer ${keys.ingest}` },
    });
    expect(who.json().scopes).toEqual(['ingest']);
  });

  it('refuses a read over the series limit with 422 naming the limit', async () => {
    await write(
      keys.ingest,
      Array.from({ length: 6 }, (_, i) => ({ name: `many.s${i}`, value: i, timestamp: S }))
    );
    const r = await read(keys.read, { targets: [{ refId: 'A', glob: 'many.*' }], from: S - 60, until: S, step: 10 });
    expect(r.statusCode).toBe(422);
    expect(r.json().error).toContain('maxSeriesPerQuery');
  });

  it('names the field of a bad read request', async () => {
    const r = await read(keys.read, { targets: [{ refId: 'A', glob: 'x' }], from: S, until: S - 10 });
    expect(r.statusCode).toBe(400);
    expect(r.json().field).toBe('until');
  });

  it('serves its own figures in Prometheus text format without a key', async () => {
    await write(keys.ingest, [{ name: 'a', value: 1, timestamp: S }]);
    const m = await app.inject({ method: 'GET', url: '/metrics' });
    expect(m.statusCode).toBe(200);
    expect(m.body).toMatch(/mc_ingest_samples_accepted_total\{protocol="http"\} 1/);
    expect(m.body).toMatch(/mc_wal_fsync_seconds_count [1-9]/);
    expect(m.body).toMatch(/mc_store_series 1/);
  });
});
