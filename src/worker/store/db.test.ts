import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { openCatalog } from '../catalog/db';
import { TimeSeriesStore, type StorageRules } from './db';
import type { LevelSpec } from './levels';
import { quantile, sketchOf, encodeSketch, RELATIVE_ACCURACY } from './sketch';
import type { SeriesData } from './types';
import { valuesOf } from './seriesvalues';
import { frame } from './wal';
import { BlockIndex } from './blockfile';
import { aggregateOfValue } from './aggregate';
import { WorkerMetrics } from '../selfmetrics';

const MIN = 60_000;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const T0 = Date.UTC(2026, 10, 1);

function rules(
  levels: LevelSpec[],
  method: 'avg' | 'sum' | 'min' | 'max' | 'last' = 'avg',
  rollupAfterMs?: number
): StorageRules {
  return { schemaFor: () => ({ name: 'test', levels }), methodFor: () => method, rollupAfterMs };
}

const LEVELS: LevelSpec[] = [
  { resolutionMs: 10_000, retentionMs: 2 * DAY },
  { resolutionMs: MIN, retentionMs: 30 * DAY },
  { resolutionMs: HOUR, retentionMs: 365 * DAY },
];

class Clock {
  constructor(public t: number) {}
  now = (): number => this.t;
}

async function openStore(dir: string, clock: Clock, levels = LEVELS, rollupAfterMs?: number): Promise<TimeSeriesStore> {
  return TimeSeriesStore.open({
    dataDir: dir,
    db: openCatalog(dir),
    rules: rules(levels, 'avg', rollupAfterMs),
    now: clock.now,
    removedFileGraceMs: 0,
  });
}

function values(d: SeriesData, field: 'avg' | 'sum' | 'min' | 'max' | 'last' | 'count'): Array<number | null> {
  return field === 'count' ? Array.from(d.count) : valuesOf(d, field);
}

describe('TimeSeriesStore', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mc-store-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('reads back what was written, bucketed at the requested step', async () => {
    const clock = new Clock(T0 + HOUR);
    const store = await openStore(dir, clock);
    await store.append({
      samples: [
        { name: 'a.b', labels: {}, t: T0, v: 1 },
        { name: 'a.b', labels: {}, t: T0 + 10_000, v: 2 },
        { name: 'a.b', labels: {}, t: T0 + 20_000, v: 6 },
        { name: 'a.c', labels: { host: 'x' }, t: T0, v: 9 },
      ],
    });
    const [ab] = await store.read({ selector: { glob: 'a.b' }, from: T0, until: T0 + 30_000, step: 10_000 });
    expect(values(ab!, 'avg')).toEqual([1, 2, 6]);
    const [coarse] = await store.read({ selector: { glob: 'a.b' }, from: T0, until: T0 + 30_000, step: 30_000 });
    expect(values(coarse!, 'avg')).toEqual([3]);
    expect(values(coarse!, 'max')).toEqual([6]);
    expect(values(coarse!, 'count')).toEqual([3]);
    const tagged = await store.read({
      selector: { matchers: [{ label: 'host', op: '=~', value: 'x|y' }] },
      from: T0,
      until: T0 + 10_000,
      step: 10_000,
    });
    expect(tagged.map((d) => d.ref.name)).toEqual(['a.c']);
    expect(
      store
        .find({ glob: 'a.*' })
        .map((r) => r.name)
        .sort()
    ).toEqual(['a.b', 'a.c']);
    expect(store.find({ glob: 'a.{b,x}' }).map((r) => r.name)).toEqual(['a.b']);
    await store.close();
  });

  it('reads a stored -0 back as -0, from the head and from a block file', async () => {
    const clock = new Clock(T0 + HOUR);
    const store = await openStore(dir, clock);
    const read = async (): Promise<number | null> => {
      const [z] = await store.read({ selector: { glob: 'z' }, from: T0, until: T0 + 10_000, step: 10_000 });
      return values(z!, 'avg')[0]!;
    };
    await store.append({ samples: [{ name: 'z', labels: {}, t: T0, v: -0 }] });
    expect(Object.is(await read(), -0)).toBe(true);
    await store.checkpoint();
    expect(Object.is(await read(), -0)).toBe(true);
    await store.close();
  });

  it('keeps acknowledged samples across a crash (no close) and across a checkpoint', async () => {
    const clock = new Clock(T0 + HOUR);
    const s1 = await openStore(dir, clock);
    await s1.append({ samples: [{ name: 'x', labels: {}, t: T0, v: 1 }] });
    await s1.checkpoint();
    await s1.append({ samples: [{ name: 'x', labels: {}, t: T0 + 10_000, v: 2 }] });
    // s1 is abandoned without close(), as after SIGKILL.
    const s2 = await openStore(dir, clock);
    const [x] = await s2.read({ selector: { glob: 'x' }, from: T0, until: T0 + 20_000, step: 10_000 });
    expect(values(x!, 'avg')).toEqual([1, 2]);
    await s2.close();
  });

  it('ignores a torn record at the end of the WAL and keeps everything before it', async () => {
    const clock = new Clock(T0 + HOUR);
    const s1 = await openStore(dir, clock);
    await s1.append({ samples: [{ name: 'x', labels: {}, t: T0, v: 5 }] });
    const walDir = path.join(dir, 'wal');
    const seg = fs.readdirSync(walDir).sort().at(-1)!;
    const torn = frame(2, Buffer.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])).subarray(0, 12);
    fs.appendFileSync(path.join(walDir, seg), torn);
    const s2 = await openStore(dir, clock);
    const [x] = await s2.read({ selector: { glob: 'x' }, from: T0, until: T0 + 10_000, step: 10_000 });
    expect(values(x!, 'avg')).toEqual([5]);
    await s2.close();
  });

  it('keeps what a failed checkpoint held: the next checkpoint persists it, and a restart still finds it', async () => {
    const clock = new Clock(T0 + HOUR);
    const store = await openStore(dir, clock);
    await store.append({ samples: [{ name: 'x', labels: {}, t: T0, v: 1 }] });
    // A file where the raw level's directory should be: writing the checkpoint's block fails.
    const blocker = path.join(dir, 'blocks', '0');
    fs.writeFileSync(blocker, '');
    await expect(store.checkpoint()).rejects.toThrow();
    fs.rmSync(blocker);
    await store.append({ samples: [{ name: 'x', labels: {}, t: T0 + 10_000, v: 2 }] });
    const read = async (s: TimeSeriesStore): Promise<Array<number | null>> => {
      const [x] = await s.read({ selector: { glob: 'x' }, from: T0, until: T0 + 20_000, step: 10_000 });
      return values(x!, 'avg');
    };
    expect(await read(store)).toEqual([1, 2]);
    await store.checkpoint();
    expect(await read(store)).toEqual([1, 2]);
    // Abandoned without close(): only block files and the WAL remain.
    const reopened = await openStore(dir, clock);
    expect(await read(reopened)).toEqual([1, 2]);
    await reopened.close();
  });

  it('a read that a checkpoint overtakes still sees what the checkpoint moved from memory into files', async () => {
    const clock = new Clock(T0 + HOUR);
    const store = await openStore(dir, clock);
    await store.append({ samples: [{ name: 'x', labels: {}, t: T0, v: 1 }] });
    await store.checkpoint();
    await store.append({
      samples: [{ name: 'x', labels: {}, t: T0 + 10_000, v: 2 }],
      distributions: [{ name: 'timer', labels: {}, t: T0, agg: aggregateOfValue(T0, 5) }],
    });
    // The read's file reads wait until the checkpoint has committed.
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const readChunks = BlockIndex.prototype.readChunks;
    const spy = jest.spyOn(BlockIndex.prototype, 'readChunks').mockImplementation(async function (this: BlockIndex, e) {
      await gate;
      return readChunks.call(this, e);
    });
    const reading = store.read({ selector: { glob: '{x,timer}' }, from: T0, until: T0 + 20_000, step: 10_000 });
    spy.mockRestore();
    await store.checkpoint();
    release();
    const [timer, x] = (await reading).sort((a, b) => a.ref.name.localeCompare(b.ref.name));
    expect(values(x!, 'avg')).toEqual([1, 2]);
    expect(values(timer!, 'count')).toEqual([1, 0]);
    await store.close();
  });

  it('the last write of a timestamp wins, as when a Graphite sender corrects a point', async () => {
    const clock = new Clock(T0 + HOUR);
    const store = await openStore(dir, clock);
    await store.append({ samples: [{ name: 'x', labels: {}, t: T0, v: 1 }] });
    await store.checkpoint();
    await store.append({ samples: [{ name: 'x', labels: {}, t: T0, v: 7 }] });
    const [x] = await store.read({ selector: { glob: 'x' }, from: T0, until: T0 + 10_000, step: 10_000 });
    expect(values(x!, 'avg')).toEqual([7]);
    await store.close();
  });

  it('reads files written out of time order (a backfill), and the newest write of a timestamp still wins', async () => {
    const clock = new Clock(T0 + 6 * HOUR);
    const store = await openStore(dir, clock);
    const write = async (points: Array<[number, number]>): Promise<void> => {
      await store.append({ samples: points.map(([t, v]) => ({ name: 'x', labels: {}, t, v })) });
      await store.checkpoint();
    };
    await write([[T0 + 4 * HOUR, 4]]);
    await write([
      [T0, 1],
      [T0 + 10_000, 2],
    ]);
    // At 10 s: the raw level, where a correction replaces the value it corrects.
    const read = async (): Promise<Array<number | null>> => {
      const [x] = await store.read({ selector: { glob: 'x' }, from: T0, until: T0 + 5 * HOUR, step: 10_000 });
      const v = values(x!, 'avg');
      return [v[0]!, v[1]!, v[2]!, v[(4 * HOUR) / 10_000]!];
    };
    expect(await read()).toEqual([1, 2, null, 4]);
    await write([[T0 + 10_000, 20]]);
    expect(await read()).toEqual([1, 20, null, 4]);
    await store.close();
  });

  it('1m and 1h rollups equal the aggregates of the raw samples, also after compaction', async () => {
    const clock = new Clock(T0);
    const store = await openStore(dir, clock);
    const raw: Array<[number, number]> = [];
    let seed = 7;
    const rnd = (): number => (seed = (seed * 16807) % 2147483647) / 2147483647;
    for (let t = T0; t < T0 + 3 * HOUR; t += 10_000) raw.push([t, Math.round(rnd() * 1000) / 10]);
    for (let i = 0; i < raw.length; i += 200) {
      clock.t = raw[Math.min(i + 199, raw.length - 1)]![0];
      await store.append({ samples: raw.slice(i, i + 200).map(([t, v]) => ({ name: 'm', labels: {}, t, v })) });
      await store.checkpoint();
    }
    clock.t = T0 + 3 * DAY; // raw level (2 days) no longer reaches back: reads come from rollups
    for (let i = 0; i < 10; i++) await store.maintain();
    for (const [res, from, until] of [
      [MIN, T0, T0 + 3 * HOUR],
      [HOUR, T0, T0 + 3 * HOUR],
    ] as const) {
      const [d] = await store.read({ selector: { glob: 'm' }, from, until, step: res });
      expect(d!.resolution).toBe(res);
      const expected = {
        count: [] as number[],
        sum: [] as number[],
        min: [] as number[],
        max: [] as number[],
        last: [] as number[],
      };
      for (let b = from; b < until; b += res) {
        const vs = raw.filter(([t]) => t >= b && t < b + res).map(([, v]) => v);
        expected.count.push(vs.length);
        expected.sum.push(vs.reduce((a, x) => a + x, 0));
        expected.min.push(Math.min(...vs));
        expected.max.push(Math.max(...vs));
        expected.last.push(vs.at(-1)!);
      }
      expect(values(d!, 'count')).toEqual(expected.count);
      values(d!, 'sum').forEach((s, i) => expect(s).toBeCloseTo(expected.sum[i]!, 6));
      expect(values(d!, 'min')).toEqual(expected.min);
      expect(values(d!, 'max')).toEqual(expected.max);
      expect(values(d!, 'last')).toEqual(expected.last);
    }
    await store.close();
  });

  it('timer percentiles over an hour and a day stay within the sketch error after rollup', async () => {
    const clock = new Clock(T0);
    const store = await openStore(dir, clock);
    const all: number[] = [];
    let seed = 11;
    const rnd = (): number => (seed = (seed * 16807) % 2147483647) / 2147483647;
    for (let t = T0; t < T0 + DAY; t += 10 * MIN) {
      // A flush interval's values, heavy-tailed like request timings.
      const vs = Array.from({ length: 50 }, () => Math.round(5 + 1000 * rnd() ** 4));
      all.push(...vs);
      clock.t = t;
      await store.append({
        distributions: [
          {
            name: 'stats.timers.api',
            labels: {},
            t,
            agg: {
              count: vs.length,
              sum: vs.reduce((a, x) => a + x, 0),
              min: Math.min(...vs),
              max: Math.max(...vs),
              last: vs.at(-1)!,
              lastT: t,
              sketch: encodeSketch(sketchOf(vs)),
            },
          },
        ],
      });
      if (t % (4 * HOUR) === 0) await store.checkpoint();
    }
    await store.checkpoint();
    const [d] = await store.read({ selector: { glob: 'stats.timers.api' }, from: T0, until: T0 + DAY, step: DAY });
    const sorted = [...all].sort((a, b) => a - b);
    for (const q of [0.5, 0.9, 0.99]) {
      const exact = sorted[Math.ceil(q * sorted.length) - 1]!;
      const est = quantile(d!.sketches![0]!, q);
      expect(Math.abs(est - exact) / exact).toBeLessThanOrEqual(RELATIVE_ACCURACY + 1e-9);
    }
    expect(d!.count[0]).toBe(all.length);
    await store.close();
  });

  it('retention removes data past it and nothing else', async () => {
    const clock = new Clock(T0);
    const levels: LevelSpec[] = [
      { resolutionMs: 10_000, retentionMs: DAY },
      { resolutionMs: HOUR, retentionMs: 10 * DAY },
    ];
    const store = await openStore(dir, clock, levels);
    for (let day = 0; day < 12; day++) {
      clock.t = T0 + day * DAY + 23 * HOUR;
      await store.append({
        samples: Array.from({ length: 24 }, (_, h) => ({
          name: 'r',
          labels: {},
          t: T0 + day * DAY + h * HOUR,
          v: day,
        })),
      });
      await store.checkpoint();
    }
    clock.t = T0 + 12 * DAY;
    const before = store.diskBytes().blocks;
    for (let i = 0; i < 50; i++) await store.maintain();
    expect(store.diskBytes().blocks).toBeLessThan(before);
    const [d] = await store.read({ selector: { glob: 'r' }, from: T0, until: T0 + 12 * DAY, step: DAY });
    // Hourly rollups kept for 10 days: days 2..11 remain, in full; days 0 and 1 are gone.
    expect(values(d!, 'count')).toEqual([0, 0, 24, 24, 24, 24, 24, 24, 24, 24, 24, 24]);
    expect(values(d!, 'avg')).toEqual([null, null, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    // Raw samples kept for one day: the last day is still there at 10 s resolution.
    const [raw] = await store.read({
      selector: { glob: 'r' },
      from: T0 + 11 * DAY,
      until: T0 + 12 * DAY,
      step: 10_000,
    });
    expect(raw!.resolution).toBe(0);
    expect(values(raw!, 'count').reduce((a, c) => a! + c!, 0)).toBe(24);
    const [gone] = await store.read({
      selector: { glob: 'r' },
      from: T0 + 9 * DAY,
      until: T0 + 10 * DAY,
      step: 10_000,
    });
    // Raw samples of day 9 are past their one day: that day is now served from the hourly rollups.
    expect(gone!.resolution).toBe(HOUR);
    expect(values(gone!, 'count')).toEqual(Array(24).fill(1));
    const rawPartitions = fs.readdirSync(path.join(dir, 'blocks', '0')).map((f) => Number(f.split('-')[0]));
    expect(Math.min(...rawPartitions)).toBeGreaterThanOrEqual(clock.t - DAY - 2 * HOUR);
    await store.close();
  });

  describe('rollups deferred until a raw partition is rollupAfter old', () => {
    const AFTER = 40 * HOUR;
    const levelFiles = (level: number): string[] => {
      const d = path.join(dir, 'blocks', String(level));
      return fs.existsSync(d) ? fs.readdirSync(d) : [];
    };
    // Sums aggregated at read time are plain float sums; rolled-up ones are snapped to the decimal (aggregate.ts).
    const same = (a: SeriesData, b: SeriesData): void => {
      for (const f of ['count', 'min', 'max', 'last'] as const) expect(values(a, f)).toEqual(values(b, f));
      values(a, 'sum').forEach((s, i) => expect(s).toBeCloseTo(values(b, 'sum')[i]!, 9));
    };
    const minutes = async (store: TimeSeriesStore): Promise<SeriesData> => {
      const [d] = await store.read({ selector: { glob: 'm' }, from: T0, until: T0 + 3 * HOUR, step: MIN });
      return d!;
    };
    // Three hours of a one-decimal gauge at 10 s, in two checkpoints.
    const load = async (store: TimeSeriesStore, clock: Clock): Promise<Array<[number, number]>> => {
      const raw: Array<[number, number]> = [];
      for (let t = T0; t < T0 + 3 * HOUR; t += 10_000) raw.push([t, ((t / 10_000) % 97) / 10]);
      for (const part of [raw.slice(0, 500), raw.slice(500)]) {
        clock.t = part.at(-1)![0] + 10_000;
        await store.append({ samples: part.map(([t, v]) => ({ name: 'm', labels: {}, t, v })) });
        await store.checkpoint();
      }
      return raw;
    };

    it('read the same minutes before and after the rollup, and across a restart', async () => {
      const clock = new Clock(T0);
      const store = await openStore(dir, clock, LEVELS, AFTER);
      const raw = await load(store, clock);
      expect(levelFiles(MIN)).toEqual([]);
      const before = await minutes(store);
      expect(before.resolution).toBe(MIN);
      expect(values(before, 'count')).toEqual(Array(180).fill(6));
      expect(values(before, 'max')[0]).toBe(Math.max(...raw.slice(0, 6).map(([, v]) => v)));

      clock.t = T0 + 3 * HOUR + AFTER;
      await store.maintain();
      // The first two-hour partition is due, the second ends 40 h after T0 + 4 h: still raw only.
      expect(levelFiles(MIN).length).toBeGreaterThan(0);
      const after = await minutes(store);
      same(after, before);
      await store.close();

      clock.t = T0 + 4 * HOUR + AFTER;
      const reopened = await openStore(dir, clock, LEVELS, AFTER);
      await reopened.maintain();
      const again = await minutes(reopened);
      same(again, before);
      await reopened.close();
    });

    it('roll up a late sample into a partition already rolled up at the next checkpoint', async () => {
      const clock = new Clock(T0);
      const store = await openStore(dir, clock, LEVELS, AFTER);
      await load(store, clock);
      clock.t = T0 + 4 * HOUR + AFTER;
      await store.maintain();
      await store.append({ samples: [{ name: 'm', labels: {}, t: T0 + 5_000, v: 1000 }] });
      await store.checkpoint();
      clock.t = T0 + 3 * DAY; // past the raw retention: the minutes come from the rollup level alone
      const [d] = await store.read({ selector: { glob: 'm' }, from: T0, until: T0 + MIN, step: MIN });
      expect(d!.resolution).toBe(MIN);
      expect(values(d!, 'count')).toEqual([7]);
      expect(values(d!, 'max')).toEqual([1000]);
      await store.close();
    });

    it('roll up a correction still in the head in place of the value it corrects', async () => {
      const clock = new Clock(T0);
      const store = await openStore(dir, clock, LEVELS, AFTER);
      await load(store, clock);
      // Due for roll-up at the next checkpoint, while the correction is still in the head.
      clock.t = T0 + 4 * HOUR + AFTER;
      await store.append({ samples: [{ name: 'm', labels: {}, t: T0, v: 1000 }] });
      await store.checkpoint();
      expect(levelFiles(MIN).length).toBeGreaterThan(0);
      clock.t = T0 + 3 * DAY;
      const [d] = await store.read({ selector: { glob: 'm' }, from: T0, until: T0 + MIN, step: MIN });
      expect(d!.resolution).toBe(MIN);
      expect(values(d!, 'count')).toEqual([6]);
      expect(values(d!, 'max')).toEqual([1000]);
      await store.close();
    });

    it('count once what a store written before deferred roll-ups rolled up, future samples included', async () => {
      // Such a store rolled up every sample as it persisted it, and allowed samples up to 10 min ahead of the clock.
      const end = T0 + 2 * HOUR;
      const clock = new Clock(end - 5 * MIN);
      const store = await openStore(dir, clock, LEVELS, 0);
      const points = [end - 10 * MIN, end + 2 * MIN];
      await store.append({ samples: points.map((t) => ({ name: 'u', labels: {}, t, v: 1 })) });
      await store.checkpoint();
      clock.t = end + 3 * HOUR;
      await store.maintain();
      await store.close();
      const manifest = path.join(dir, 'blocks', 'MANIFEST');
      const { rolledBefore, ...old } = JSON.parse(fs.readFileSync(manifest, 'utf8')) as { rolledBefore: number };
      expect(rolledBefore).toBeGreaterThan(end);
      fs.writeFileSync(manifest, JSON.stringify(old));

      clock.t = end - 5 * MIN;
      const reopened = await openStore(dir, clock, LEVELS, AFTER);
      const [d] = await reopened.read({ selector: { glob: 'u' }, from: T0, until: end + HOUR, step: HOUR });
      expect(values(d!, 'count')).toEqual([0, 1, 1]);
      await reopened.close();
    });

    it('catch up on a backlog in one maintenance round, and say how far behind they are on /metrics', async () => {
      const clock = new Clock(T0);
      const metrics = new WorkerMetrics({ processMetrics: false });
      const store = await TimeSeriesStore.open({
        dataDir: dir,
        db: openCatalog(dir),
        rules: rules(LEVELS, 'avg', AFTER),
        now: clock.now,
        removedFileGraceMs: 0,
        metrics,
      });
      const gauge = async (name: string): Promise<number> =>
        (await metrics.registry.getSingleMetric(name)!.get()).values[0]!.value;
      // A backfill of 40 two-hour partitions: the checkpoint rolls up the 12 oldest (ROLL_BATCH) of the 20 due.
      clock.t = T0 + 80 * HOUR;
      for (let h = 0; h < 80; h += 2) {
        await store.append({ samples: [{ name: 'b', labels: {}, t: T0 + h * HOUR, v: h }] });
      }
      await store.checkpoint();
      expect(await gauge('mc_store_rollup_backlog_partitions')).toBe(8);
      // All 28 left are due: one round takes three roll-up checkpoints.
      clock.t = T0 + 80 * HOUR + AFTER;
      await store.maintain();
      expect(await gauge('mc_store_rollup_backlog_partitions')).toBe(0);
      expect(await gauge('mc_store_maintenance_behind')).toBe(0);
      const onDisk = [0, MIN, HOUR].flatMap((l) => levelFiles(l)).length;
      expect(await gauge('mc_store_block_files')).toBe(onDisk);
      clock.t = T0 + 10 * DAY; // past the raw retention: the hours come from the rollup level alone
      const [d] = await store.read({ selector: { glob: 'b' }, from: T0, until: T0 + 80 * HOUR, step: HOUR });
      expect(d!.resolution).toBe(HOUR);
      expect(values(d!, 'count').filter((c) => c! > 0)).toHaveLength(40);
      await store.close();
    });

    it('roll up raw partitions before their retention drops them', async () => {
      const clock = new Clock(T0);
      const store = await openStore(dir, clock, LEVELS, AFTER);
      await load(store, clock);
      // Past the two days of raw retention, but no maintenance ran since: nothing may be lost on the way.
      clock.t = T0 + 3 * DAY;
      await store.maintain();
      const [d] = await store.read({ selector: { glob: 'm' }, from: T0, until: T0 + 3 * HOUR, step: HOUR });
      expect(values(d!, 'count')).toEqual([360, 360, 360]);
      expect(levelFiles(0)).toEqual([]);
      await store.close();
    });
  });
});
