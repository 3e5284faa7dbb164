import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import pino from 'pino';
import { openCatalog, type Catalog } from '../catalog/db';
import { EventStore } from '../catalog/events';
import { KeyVerifier, createKey } from '../catalog/keys';
import { WorkerMetrics } from '../selfmetrics';
import { TimeSeriesStore } from '../store/db';
import type { LevelSpec } from '../store/levels';
import type { Sample } from '../store/types';
import { buildHttpServer } from './http';

// 10 s past a minute, so alignment shows.
const NOW = 1795621630;
const LEVELS: LevelSpec[] = [{ resolutionMs: 10_000, retentionMs: 86_400_000 }];

describe('Graphite API', () => {
  let dir: string;
  let db: Catalog;
  let store: TimeSeriesStore;
  let app: ReturnType<typeof buildHttpServer>;
  let keys: { read: string; ingest: string };

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mc-graphite-'));
    db = openCatalog(dir);
    const rules = { schemaFor: () => ({ name: 'default', levels: LEVELS }), methodFor: () => 'avg' as const };
    store = await TimeSeriesStore.open({ dataDir: dir, db, rules, now: () => NOW * 1000 });
    const samples: Sample[] = [];
    for (let t = NOW - 600; t <= NOW; t += 10) {
      samples.push({ name: 'servers.web1.cpu', labels: {}, t: t * 1000, v: 1 });
      samples.push({ name: 'servers.web2.cpu', labels: {}, t: t * 1000, v: 2 });
      if (t % 20 === 0) samples.push({ name: 'servers.web3.cpu', labels: {}, t: t * 1000, v: 4 });
      samples.push({ name: 'disk.used', labels: { host: 'web1', dc: 'eu' }, t: t * 1000, v: 10 });
      samples.push({ name: 'disk.used', labels: { host: 'web2', dc: 'us' }, t: t * 1000, v: 20 });
    }
    for (let i = 0; i < 6; i++) samples.push({ name: `many.s${i}`, labels: {}, t: NOW * 1000, v: i });
    await store.append({ samples });
    keys = { read: createKey(db, { scopes: ['read'] }).key, ingest: createKey(db, { scopes: ['ingest'] }).key };
    app = buildHttpServer({
      sink: store,
      reader: store,
      keys: new KeyVerifier(db),
      metrics: new WorkerMetrics({ processMetrics: false }),
      logger: pino({ level: 'silent' }),
      ready: () => ({ status: 'ready', checks: {} }),
      limits: { maxSeriesPerQuery: 5, maxPointsPerQuery: 100_000 },
      now: () => NOW * 1000,
      query: { schemas: rules, events: new EventStore(db, () => NOW * 1000) },
    });
  });

  afterAll(async () => {
    await app.close();
    await store.close();
    db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const get = (url: string, key: string | null = keys.read) =>
    app.inject({ method: 'GET', url: '/graphite' + url, headers: key ? { authorization: `Bearer ${key}` } : {} });
  const postForm = (url: string, form: Array<[string, string]>) =>
    app.inject({
      method: 'POST',
      url: '/graphite' + url,
      headers: { authorization: `Bearer ${keys.read}`, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams(form).toString(),
    });
  const q = (params: Record<string, string | string[]>) => {
    const u = new URLSearchParams();
    for (const [k, v] of Object.entries(params)) for (const x of Array.isArray(v) ? v : [v]) u.append(k, x);
    return u.toString();
  };

  it('needs a key with the read scope', async () => {
    expect((await get('/version', null)).statusCode).toBe(401);
    const r = await get('/version', keys.ingest);
    expect(r.statusCode).toBe(403);
    expect(r.json().error).toContain("'read'");
    const v = await get('/version');
    expect(v.statusCode).toBe(200);
    expect(v.body).toBe('1.1.8');
  });

  it("renders JSON as graphite-web does: whisper's alignment, targets named by path", async () => {
    const r = await get('/render?' + q({ target: 'servers.web{1,2}.cpu', from: '-60s', until: 'now', format: 'json' }));
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toContain('application/json');
    const body = r.json();
    expect(body.map((s: { target: string }) => s.target)).toEqual(['servers.web1.cpu', 'servers.web2.cpu']);
    expect(body[0]).toEqual({
      target: 'servers.web1.cpu',
      tags: { name: 'servers.web1.cpu' },
      datapoints: [
        [1, NOW - 50],
        [1, NOW - 40],
        [1, NOW - 30],
        [1, NOW - 20],
        [1, NOW - 10],
        [1, NOW],
      ],
    });
  });

  it('renders POSTed forms as Grafana sends them, with several targets and functions', async () => {
    const r = await postForm('/render', [
      ['target', 'sumSeries(servers.*.cpu)'],
      ['target', "alias(seriesByTag('name=disk.used', 'dc=eu'), 'eu')"],
      ['from', String(NOW - 60)],
      ['until', String(NOW)],
      ['format', 'json'],
    ]);
    expect(r.statusCode).toBe(200);
    const [sum, eu] = r.json();
    expect(sum.target).toBe('sumSeries(servers.*.cpu)');
    expect(sum.datapoints.map((p: number[]) => p[0])).toEqual([7, 3, 7, 3, 7, 3]);
    expect(eu).toMatchObject({ target: 'eu', datapoints: expect.arrayContaining([[10, NOW]]) });
  });

  it('consolidates to maxDataPoints and leaves nulls out with noNullPoints', async () => {
    const r = await get(
      '/render?' + q({ target: 'servers.web3.cpu', from: '-120s', until: 'now', maxDataPoints: '4', noNullPoints: '' })
    );
    const [s] = r.json();
    // 12 points from NOW-110 in runs of 3; graphite-web's nudge moves the first run's time by one step.
    expect(s.datapoints).toEqual([
      [4, NOW - 100],
      [4, NOW - 70],
      [4, NOW - 40],
      [4, NOW - 10],
    ]);
    const raw = (await get('/render?' + q({ target: 'servers.web3.cpu', from: '-30s', noNullPoints: '1' }))).json();
    expect(raw[0].datapoints).toEqual([[4, NOW - 10]]);
  });

  it('renders csv and raw', async () => {
    const csv = await get('/render?' + q({ target: 'servers.web1.cpu', from: '-20s', format: 'csv' }));
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.body).toBe('servers.web1.cpu,2026-11-25 15:47:00,1.0\r\nservers.web1.cpu,2026-11-25 15:47:10,1.0\r\n');
    const raw = await get('/render?' + q({ target: 'servers.web1.cpu', from: '-20s', format: 'raw' }));
    expect(raw.body).toBe(`servers.web1.cpu,${NOW - 10},${NOW + 10},10|1.0,1.0\n`);
    expect((await get('/render?' + q({ target: 'a', format: 'png' }))).statusCode).toBe(400);
  });

  it('answers a malformed target with 400, its position and the target', async () => {
    const r = await get('/render?' + q({ target: ['servers.*.cpu', 'sumSeries(servers.*.cpu'] }));
    expect(r.statusCode).toBe(400);
    expect(r.json()).toEqual({
      error: "expected ',' or ')' at position 23, found the end of the target",
      position: 23,
      target: 'sumSeries(servers.*.cpu',
    });
  });

  it('answers an unknown function with 400 naming it', async () => {
    const r = await get('/render?' + q({ target: 'fooBar(servers.*.cpu)' }));
    expect(r.statusCode).toBe(400);
    expect(r.json()).toMatchObject({
      error: "unknown function 'fooBar'",
      position: 0,
      target: 'fooBar(servers.*.cpu)',
    });
  });

  it('answers a query over the limits with 422 naming the limit', async () => {
    const r = await get('/render?' + q({ target: 'many.*' }));
    expect(r.statusCode).toBe(422);
    expect(r.json()).toMatchObject({ limit: 'maxSeriesPerQuery', error: expect.stringContaining('maxSeriesPerQuery') });
  });

  it('answers bad times with 400 naming the parameter', async () => {
    const r = await get('/render?' + q({ target: 'servers.*.cpu', from: 'last tuesday-ish' }));
    expect(r.statusCode).toBe(400);
    expect(r.json()).toMatchObject({ field: 'from' });
  });

  it('browses the metric tree', async () => {
    const tree = await get('/metrics/find?' + q({ query: 'servers.*' }));
    expect(tree.json()).toEqual([
      { text: 'web1', id: 'servers.web1', allowChildren: 1, expandable: 1, leaf: 0 },
      { text: 'web2', id: 'servers.web2', allowChildren: 1, expandable: 1, leaf: 0 },
      { text: 'web3', id: 'servers.web3', allowChildren: 1, expandable: 1, leaf: 0 },
    ]);
    const comp = await postForm('/metrics/find', [
      ['query', 'servers.web1.'],
      ['format', 'completer'],
    ]);
    expect(comp.json()).toEqual({ metrics: [{ path: 'servers.web1.cpu', name: 'cpu', is_leaf: '1' }] });
    expect((await get('/metrics/find/?query=servers.*')).json()).toHaveLength(3);
    expect((await get('/metrics/find')).statusCode).toBe(400);
    expect((await get('/metrics/find?query=a&format=pickle')).statusCode).toBe(400);
    const exp = await get('/metrics/expand?' + q({ query: ['servers.web1.*', 'servers.web2.*'], groupByExpr: '1' }));
    expect(exp.json()).toEqual({
      results: { 'servers.web1.*': ['servers.web1.cpu'], 'servers.web2.*': ['servers.web2.cpu'] },
    });
  });

  it('lists tags and values and autocompletes them', async () => {
    expect((await get('/tags')).json()).toEqual([{ tag: 'dc' }, { tag: 'host' }, { tag: 'name' }]);
    expect((await get('/tags?filter=d')).json()).toEqual([{ tag: 'dc' }]);
    expect((await get('/tags/dc')).json()).toEqual({
      tag: 'dc',
      values: [
        { value: 'eu', count: 1 },
        { value: 'us', count: 1 },
      ],
    });
    expect((await get('/tags/nope')).body).toBe('null');
    expect((await get('/tags/autoComplete/tags?' + q({ expr: 'name=disk.used', tagPrefix: 'h' }))).json()).toEqual([
      'host',
    ]);
    expect(
      (await get('/tags/autoComplete/values?' + q({ 'expr[]': ['name=disk.used', 'dc=us'], tag: 'host' }))).json()
    ).toEqual(['web2']);
    expect((await get('/tags/autoComplete/values')).statusCode).toBe(400);
    expect((await get('/tags/findSeries?' + q({ expr: 'host=~web' }))).json()).toEqual([
      'disk.used;dc=eu;host=web1',
      'disk.used;dc=us;host=web2',
    ]);
    const bad = await get('/tags/findSeries?' + q({ expr: 'host!=x' }));
    expect(bad.statusCode).toBe(400);
    expect((await get('/tags/autoComplete/tags?limit=x')).statusCode).toBe(400);
  });

  it("describes the function library in graphite-web's /functions shape", async () => {
    const all = (await get('/functions')).json();
    expect(all.sumSeries).toMatchObject({
      name: 'sumSeries',
      group: 'Combine',
      module: 'graphite.render.functions',
      params: [expect.objectContaining({ name: 'seriesLists', type: 'seriesList', multiple: true })],
    });
    expect(all.seriesByTag.function).toBe('seriesByTag(*tagExpressions)');
    expect(Object.keys((await get('/functions?grouped=true')).json())).toEqual(
      expect.arrayContaining(['Combine', 'Special'])
    );
    expect((await get('/functions/alias')).json().name).toBe('alias');
    expect((await get('/functions/nope')).statusCode).toBe(404);
  });

  it("records events (ingest scope) and serves them in graphite-web's shape", async () => {
    const post = (key: string, body: unknown) =>
      app.inject({
        method: 'POST',
        url: '/graphite/events',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        payload: JSON.stringify(body),
      });
    expect((await post(keys.read, { what: 'x' })).statusCode).toBe(403);
    expect(
      (await post(keys.ingest, { what: 'deploy', tags: 'app web', data: 'v2', when: NOW - 100.5 })).statusCode
    ).toBe(200);
    // graphite-web's documented `curl -X POST .../events/ -d '{...}'` sends the JSON form-encoded.
    const curl = await app.inject({
      method: 'POST',
      url: '/graphite/events/',
      headers: { authorization: `Bearer ${keys.ingest}`, 'content-type': 'application/x-www-form-urlencoded' },
      payload: JSON.stringify({ what: 'dns', tags: ['dns'] }),
    });
    expect(curl.statusCode).toBe(200);
    expect((await post(keys.ingest, { tags: ['dns'] })).json()).toMatchObject({ field: 'what' });
    const all = (await get('/events/get_data?' + q({ from: '-1h', until: 'now' }))).json();
    expect(all).toEqual([
      { when: NOW - 101, what: 'deploy', data: 'v2', tags: ['app', 'web'], id: 1 },
      { when: NOW, what: 'dns', data: '', tags: ['dns'], id: 2 },
    ]);
    expect((await get('/events/get_data?' + q({ tags: 'app web' }))).json()).toHaveLength(1);
    expect((await get('/events/get_data?' + q({ tags: 'app dns', set: 'union' }))).json()).toHaveLength(2);
    expect((await get('/events/get_data?' + q({ tags: 'app dns' }))).json()).toHaveLength(0);
  });
});
