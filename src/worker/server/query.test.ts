import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import pino from 'pino';
import type { QueryResponse } from '../../shared/api';
import { openCatalog, type Catalog } from '../catalog/db';
import { EventStore } from '../catalog/events';
import { KeyVerifier, createKey } from '../catalog/keys';
import { WorkerMetrics } from '../selfmetrics';
import { TimeSeriesStore } from '../store/db';
import type { Sample } from '../store/types';
import { buildHttpServer } from './http';
import { expandReferences } from './query';

const NOW = 1795621630;

describe('POST /api/v1/query', () => {
  let dir: string;
  let db: Catalog;
  let store: TimeSeriesStore;
  let app: ReturnType<typeof buildHttpServer>;
  let key: string;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mc-query-'));
    db = openCatalog(dir);
    const rules = {
      schemaFor: () => ({ name: 'default', levels: [{ resolutionMs: 10_000, retentionMs: 86_400_000 }] }),
      methodFor: () => 'avg' as const,
    };
    store = await TimeSeriesStore.open({ dataDir: dir, db, rules, now: () => NOW * 1000 });
    const samples: Sample[] = [];
    for (let t = NOW - 600; t <= NOW; t += 10) {
      samples.push({ name: 'app.web1.requests', labels: {}, t: t * 1000, v: 1 });
      samples.push({ name: 'app.web2.requests', labels: {}, t: t * 1000, v: 3 });
      samples.push({ name: 'app.latency', labels: { env: 'prod' }, t: t * 1000, v: 5 });
    }
    for (let i = 0; i < 4; i++) samples.push({ name: `wide.s${i}`, labels: {}, t: NOW * 1000, v: i });
    await store.append({ samples });
    key = createKey(db, { scopes: ['read'] }).key;
    app = buildHttpServer({
      sink: store,
      reader: store,
      keys: new KeyVerifier(db),
      metrics: new WorkerMetrics({ processMetrics: false }),
      logger: pino({ level: 'silent' }),
      ready: () => ({ status: 'ready', checks: {} }),
      limits: { maxSeriesPerQuery: 3, maxPointsPerQuery: 100_000 },
      now: () => NOW * 1000,
      query: { schemas: rules, events: new EventStore(db) },
    });
  });

  afterAll(async () => {
    await app.close();
    await store.close();
    db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const query = (body: unknown, auth = `Bearer ${key}`) =>
    app.inject({
      method: 'POST',
      url: '/api/v1/query',
      headers: { 'content-type': 'application/json', authorization: auth },
      payload: JSON.stringify(body),
    });

  it('answers each target with data-frame-shaped series', async () => {
    const r = await query({
      targets: [
        { refId: 'A', target: 'app.*.requests' },
        { refId: 'B', target: "seriesByTag('name=app.latency')" },
      ],
      from: NOW - 30,
      until: 'now',
    });
    expect(r.statusCode).toBe(200);
    const body = r.json() as QueryResponse;
    expect(body.results.A!.series).toEqual([
      { name: 'app.web1.requests', tags: { name: 'app.web1.requests' }, start: NOW - 20, step: 10, values: [1, 1, 1] },
      { name: 'app.web2.requests', tags: { name: 'app.web2.requests' }, start: NOW - 20, step: 10, values: [3, 3, 3] },
    ]);
    expect(body.results.B!.series[0]).toMatchObject({
      name: 'app.latency;env=prod',
      tags: { env: 'prod', name: 'app.latency' },
    });
  });

  it('keeps one target’s error to itself, with the position', async () => {
    const r = await query({
      targets: [
        { refId: 'A', target: 'sumSeries(app.*.requests' },
        { refId: 'B', target: 'nope(app.*.requests)' },
        { refId: 'C', target: 'wide.*' },
        { refId: 'D', target: 'sumSeries(app.*.requests)' },
        { refId: 'E', target: '' },
      ],
      from: '-1min',
    });
    expect(r.statusCode).toBe(200);
    const { results } = r.json() as QueryResponse;
    expect(results.A).toEqual({
      series: [],
      error: { message: "expected ',' or ')' at position 24, found the end of the target", position: 24 },
    });
    expect(results.B!.error).toEqual({ message: "unknown function 'nope'", position: 0 });
    expect(results.C!.error).toMatchObject({ limit: 'maxSeriesPerQuery' });
    expect(results.D!.series[0]!.values.slice(-2)).toEqual([4, 4]);
    expect(results.E).toEqual({ series: [] });
  });

  it('expands #refs from hidden targets, which are not answered', async () => {
    const r = await query({
      targets: [
        { refId: 'A', target: 'app.*.requests', hide: true },
        { refId: 'B', target: 'sumSeries(#A)' },
      ],
      from: '-20s',
      maxDataPoints: 1,
    });
    const { results } = r.json() as QueryResponse;
    expect(Object.keys(results)).toEqual(['B']);
    expect(results.B!.series).toEqual([
      { name: 'sumSeries(app.*.requests)', tags: expect.any(Object), start: NOW - 10, step: 20, values: [4] },
    ]);
  });

  it('refuses a malformed request naming the field', async () => {
    expect((await query({ targets: [{ refId: 'A', target: 'a' }] }, 'Bearer nope')).statusCode).toBe(401);
    const cases: Array<[unknown, string]> = [
      [{ targets: 'a' }, 'targets'],
      [{ targets: [{ refId: '', target: 'a' }] }, 'targets[0].refId'],
      [
        {
          targets: [
            { refId: 'A', target: 'a' },
            { refId: 'A', target: 'b' },
          ],
        },
        'targets[1].refId',
      ],
      [{ targets: [{ refId: 'A', target: 1 }] }, 'targets[0].target'],
      [{ targets: [], from: 'whenever' }, 'from'],
      [{ targets: [], until: {} }, 'until'],
      [{ targets: [], maxDataPoints: 0 }, 'maxDataPoints'],
      [{ targets: [], tz: 'Mars/Olympus' }, 'tz'],
    ];
    for (const [body, field] of cases) {
      const r = await query(body);
      expect([r.statusCode, r.json().field]).toEqual([400, field]);
    }
  });
});

describe('expandReferences', () => {
  it('replaces known refs recursively and reports cycles', () => {
    const out = expandReferences([
      { refId: 'A', target: 'a.*' },
      { refId: 'B', target: 'sumSeries(#A, #Z)' },
      { refId: 'C', target: 'scale(#B, 2)' },
      { refId: 'D', target: '#E' },
      { refId: 'E', target: 'alias(#D, "x")' },
    ]);
    expect(out.get('C')).toBe('scale(sumSeries(a.*, #Z), 2)');
    expect((out.get('D') as Error).message).toBe('circular reference: #D -> #E -> #D');
  });
});
