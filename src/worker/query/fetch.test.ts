import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { openCatalog, type Catalog } from '../catalog/db';
import { TimeSeriesStore } from '../store/db';
import type { LevelSpec } from '../store/levels';
import type { ReadRequest, SeriesReader } from '../store/types';
import { createFetcher, fetchWindow, type FetchLimits, type SchemaSource } from './fetch';
import { formatTaggedPath } from '../ingest/labels';
import { parseTarget } from './parser';
import { type EvalContext, QueryError, QueryLimitError } from './types';

// Not aligned to any step, as a real clock is not.
const NOW = 1795621633;
const LEVELS: LevelSpec[] = [
  { resolutionMs: 10_000, retentionMs: 3600_000 },
  { resolutionMs: 60_000, retentionMs: 86_400_000 },
];
const LONG: LevelSpec[] = [{ resolutionMs: 300_000, retentionMs: 30 * 86_400_000 }];

describe('fetchWindow', () => {
  // Expectations are whisper 1.1's timeInfo for a file with archives 10s:1h,1m:1d, fetched with the same now.
  it.each([
    [-600, 0, { start: -593, step: 10, points: 60 }],
    [-605, 0, { start: -603, step: 10, points: 61 }],
    [-3600, 0, { start: -3593, step: 10, points: 360 }],
    [-3601, 0, { start: -3553, step: 60, points: 60 }],
    [-7200, -3600, { start: -7153, step: 60, points: 60 }],
    [-200000, 0, { start: -86353, step: 60, points: 1440 }],
    [-100, 500, { start: -93, step: 10, points: 10 }],
    [-95, -95, { start: -93, step: 10, points: 1 }],
    [-95, -94, { start: -93, step: 10, points: 1 }],
  ])('from now%i until now%i', (from, until, w) => {
    expect(fetchWindow(LEVELS, NOW + from, NOW + until, NOW)).toEqual({ ...w, start: NOW + w.start });
  });

  it('answers nothing for a range in the future or past every retention', () => {
    expect(fetchWindow(LEVELS, NOW + 10, NOW + 20, NOW)).toBeUndefined();
    expect(fetchWindow(LEVELS, NOW - 90000, NOW - 89990, NOW)).toBeUndefined();
  });
});

describe('createFetcher', () => {
  let dir: string;
  let db: Catalog;
  let store: TimeSeriesStore;
  let reads: ReadRequest[];
  let reader: SeriesReader;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mc-fetch-'));
    db = openCatalog(dir);
    store = await TimeSeriesStore.open({
      dataDir: dir,
      db,
      rules: {
        schemaFor: (name) => ({ name: 'x', levels: name.startsWith('long.') ? LONG : LEVELS }),
        methodFor: (name) => (name.endsWith('.max') ? 'max' : 'avg'),
      },
      now: () => NOW * 1000,
    });
    const samples = [];
    for (let t = NOW - 7200; t <= NOW; t += 10) {
      const v = t % 1000;
      samples.push({ name: 'web.a.cpu', labels: {}, t: t * 1000, v });
      samples.push({ name: 'web.b.cpu', labels: {}, t: t * 1000, v: v * 2 });
      samples.push({ name: 'web.a.cpu', labels: { dc: 'eu' }, t: t * 1000, v: v * 3 });
      samples.push({ name: 'long.a.cpu', labels: {}, t: t * 1000, v: 1 });
      // Two samples a bucket: the method chooses between them.
      samples.push(
        { name: 'web.c.max', labels: {}, t: t * 1000, v: 1 },
        { name: 'web.c.max', labels: {}, t: t * 1000 + 1, v: 5 }
      );
    }
    await store.append({ samples });
    await store.append({
      distributions: [
        {
          name: 'app.latency',
          labels: {},
          t: (NOW - 55) * 1000,
          agg: { count: 2, sum: 30, min: 10, max: 20, last: 20, lastT: 0 },
        },
      ],
    });
  });

  afterAll(async () => {
    await store.close();
    db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  beforeEach(() => {
    reads = [];
    reader = {
      find: (sel, limit) => store.find(sel, limit),
      read: (req, limit) => {
        reads.push(req);
        return store.read(req, limit);
      },
    };
  });

  const limits: FetchLimits = { maxSeriesPerQuery: 100, maxPointsPerQuery: 1_000_000 };
  const ctxFor = (from: number, until: number, extra: Partial<EvalContext> = {}): EvalContext => ({
    startTime: NOW + from,
    endTime: NOW + until,
    now: NOW,
    fetch: () => Promise.reject(new Error('unused')),
    evaluate: () => Promise.reject(new Error('unused')),
    ...extra,
  });
  const schemas: SchemaSource = {
    schemaFor: (name: string) => ({ levels: name.startsWith('long.') ? LONG : LEVELS }),
    methodFor: (name: string) => (name.endsWith('.max') ? 'max' : 'avg'),
  };

  it('aligns points as whisper does and names untagged series by path', async () => {
    const fetch = createFetcher({ reader, schemas, limits });
    const list = await fetch(ctxFor(-600, 0), parseTarget('web.{a,b}.cpu'));
    expect(list.map((s) => s.name)).toEqual(['web.a.cpu', 'web.b.cpu']);
    const a = list[0]!;
    expect(a).toMatchObject({
      tags: { name: 'web.a.cpu' },
      pathExpression: 'web.{a,b}.cpu',
      start: NOW - 593,
      step: 10,
      end: NOW + 7,
      consolidationFunc: 'average',
      xFilesFactor: 0,
    });
    expect(a.values).toHaveLength(60);
    // Bucket NOW-593 holds the sample taken at NOW-590 (whisper's first value: 43).
    expect(a.values[0]).toBe(43);
    expect(a.values[59]).toBe(633);
    expect(list[1]!.values[0]).toBe(86);
  });

  it('reads the finest level reaching back to from, at its resolution', async () => {
    const fetch = createFetcher({ reader, schemas, limits });
    const [a] = await fetch(ctxFor(-3601, 0), parseTarget('web.a.cpu'));
    expect(a).toMatchObject({ start: NOW - 3553, step: 60 });
    expect(a!.values).toHaveLength(60);
    // The mean of the minute's six samples, as whisper's 1m archive has it.
    expect(a!.values[0]).toBe(108);
    expect(a!.values[59]).toBe(628);
  });

  it('answers nothing for a range starting after now, and clamps until to now', async () => {
    const fetch = createFetcher({ reader, schemas, limits });
    expect(await fetch(ctxFor(10, 20), parseTarget('web.a.cpu'))).toEqual([]);
    const [a] = await fetch(ctxFor(-100, 500), parseTarget('web.a.cpu'));
    expect(a).toMatchObject({ start: NOW - 93, end: NOW + 7 });
  });

  it('uses the series storage method, reading only the column it needs', async () => {
    const fetch = createFetcher({ reader, schemas, limits });
    const [m] = await fetch(ctxFor(-60, 0), parseTarget('web.c.max'));
    expect(m!.values.every((v) => v === 5)).toBe(true);
    expect(reads.at(-1)!.fields).toEqual(['max']);
  });

  it('reaches tagged series by their exact path or seriesByTag, never by a glob', async () => {
    const fetch = createFetcher({ reader, schemas, limits });
    const glob = await fetch(ctxFor(-60, 0), parseTarget('web.*.cpu'));
    expect(glob.map((s) => s.name)).toEqual(['web.a.cpu', 'web.b.cpu']);
    // The tagged series is not read at all: the read names the series it wants.
    expect(reads[0]!.refs!.map((r) => formatTaggedPath(r.name, r.labels))).toEqual(['web.a.cpu', 'web.b.cpu']);

    const [tagged] = await fetch(ctxFor(-60, 0), parseTarget('web.a.cpu;dc=eu'));
    expect(tagged).toMatchObject({ name: 'web.a.cpu;dc=eu', tags: { dc: 'eu', name: 'web.a.cpu' } });
    expect(Object.keys(tagged!.tags)).toEqual(['dc', 'name']);

    const target = "seriesByTag('name=~web\\.a', 'dc!=us')";
    const call = parseTarget(target);
    const byTag = await fetch(ctxFor(-60, 0), call);
    expect(byTag.map((s) => s.name)).toEqual(['web.a.cpu', 'web.a.cpu;dc=eu']);
    expect(byTag[0]!.pathExpression).toBe(target);
  });

  it('refuses tag expressions graphite-web refuses', async () => {
    const fetch = createFetcher({ reader, schemas, limits });
    await expect(fetch(ctxFor(-60, 0), parseTarget("seriesByTag('dc!=eu')"))).rejects.toThrow(
      /at least one tag expression must require a non-empty value/
    );
    await expect(fetch(ctxFor(-60, 0), parseTarget("seriesByTag('nonsense')"))).rejects.toBeInstanceOf(QueryError);
    await expect(fetch(ctxFor(-60, 0), parseTarget("seriesByTag('a=~(')"))).rejects.toThrow(
      /invalid regular expression/
    );
  });

  it('reads series of different schemas each at its own step, one read per schema', async () => {
    const fetch = createFetcher({ reader, schemas, limits });
    const list = await fetch(ctxFor(-600, 0), parseTarget("seriesByTag('name=~(long|web)\\.a\\.cpu$')"));
    expect(list.map((s) => [s.name, s.step])).toEqual([
      ['long.a.cpu', 300],
      ['web.a.cpu', 10],
      ['web.a.cpu;dc=eu', 10],
    ]);
    expect(reads.map((r) => r.step).sort()).toEqual([10_000, 300_000]);
  });

  it('keeps what it read for the rest of the request, handing out series of their own', async () => {
    const fetch = createFetcher({ reader, schemas, limits });
    const [first] = await fetch(ctxFor(-60, 0), parseTarget('web.a.cpu'));
    first!.values[0] = -1;
    const [again] = await fetch(ctxFor(-60, 0), parseTarget('web.a.cpu'));
    expect(again!.values[0]).not.toBe(-1);
    expect(reads).toHaveLength(1);
  });

  it('carries sketches of timing series', async () => {
    const fetch = createFetcher({ reader, schemas, limits });
    const [lat] = await fetch(ctxFor(-120, 0), parseTarget('app.latency'));
    expect(lat!.values.filter((v) => v !== null)).toEqual([15]);
    expect(lat!.sketches).toBeDefined();
  });

  it('refuses before reading when the request would pass its series or points limit', async () => {
    const fetch = createFetcher({ reader, schemas, limits: { maxSeriesPerQuery: 2, maxPointsPerQuery: 1000 } });
    await fetch(ctxFor(-600, 0), parseTarget('web.a.cpu'));
    const e = await fetch(ctxFor(-600, 0), parseTarget('web.{b,c}.*')).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(QueryLimitError);
    expect(e).toMatchObject({ limit: 'maxSeriesPerQuery', value: 2 });
    const points = createFetcher({ reader, schemas, limits: { maxSeriesPerQuery: 10, maxPointsPerQuery: 100 } });
    await expect(points(ctxFor(-600, 0), parseTarget('web.{a,b}.cpu'))).rejects.toMatchObject({
      limit: 'maxPointsPerQuery',
      message: expect.stringContaining('would read 120 points'),
    });
    expect(reads).toHaveLength(1);
  });
});
