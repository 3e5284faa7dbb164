import fc from 'fast-check';

import { WorkerMetrics } from '../../selfmetrics';
import { quantile } from '../../store/sketch';
import type { AppendBatch, Sample } from '../../store/types';
import { formatTaggedPath } from '../labels';
import { StatsdAggregator, type StatsdAggregatorOptions, type StatsdProtocol } from './aggregator';
import { parseLine } from './parser';

const T0 = 1_700_000_000_000;
const INTERVAL = 10_000;

function setup(options: Partial<StatsdAggregatorOptions> = {}): { agg: StatsdAggregator; metrics: WorkerMetrics } {
  const metrics = new WorkerMetrics({ processMetrics: false });
  return { agg: new StatsdAggregator({ flushIntervalMs: INTERVAL, ...options }, metrics), metrics };
}

/** Flushed values by Graphite path (`name;tag=value`). */
function values(batch: AppendBatch): Record<string, number> {
  const out: Record<string, number> = {};
  for (const s of batch.samples ?? []) {
    out[formatTaggedPath(s.name, s.labels)] = s.v;
  }
  return out;
}

function sample(batch: AppendBatch, name: string): Sample | undefined {
  return batch.samples?.find((s) => s.name === name);
}

async function metric(
  m: { get(): Promise<{ values: Array<{ labels: Record<string, string | number>; value: number }> }> },
  labels: Record<string, string>
): Promise<number> {
  const { values: all } = await m.get();
  let sum = 0;
  for (const v of all) {
    if (Object.entries(labels).every(([k, x]) => v.labels[k] === x)) {
      sum += v.value;
    }
  }
  return sum;
}

describe('StatsdAggregator', () => {
  describe('counters', () => {
    it('scales sampled counts by the sample rate and reports rate per second', () => {
      const { agg } = setup();
      agg.addPacket('hits:1|c|@0.1\nhits:2|c\nhits:1|c|@0.5', 'statsd_udp');
      const v = values(agg.flush(T0));
      expect(v['stats.counters.hits.count']).toBe(14);
      expect(v['stats.counters.hits.rate']).toBeCloseTo(1.4, 12);
      expect(sample(agg.flush(T0 + INTERVAL), 'stats.counters.hits.count')?.kind).toBe('counter');
    });

    it('marks rate series as gauges and count series as counters', () => {
      const { agg } = setup();
      agg.addPacket('hits:1|c', 'statsd_udp');
      const batch = agg.flush(T0);
      expect(sample(batch, 'stats.counters.hits.rate')?.kind).toBe('gauge');
      expect(sample(batch, 'stats.counters.hits.count')?.kind).toBe('counter');
    });

    it('leaves out .count without flushCounts and follows the prefix options', () => {
      const { agg } = setup({
        flushCounts: false,
        globalPrefix: '',
        prefixCounter: 'c',
        prefixGauge: 'g',
        globalSuffix: 'host1',
      });
      agg.addPacket('hits:3|c\nload:1|g|#dc:ams', 'statsd_udp');
      expect(values(agg.flush(T0))).toEqual({ 'c.hits.rate.host1': 0.3, 'g.load.host1;dc=ams': 1 });
    });
  });

  describe('gauges', () => {
    it('sets, adjusts with signed values, and keeps the value across flushes', () => {
      const { agg } = setup();
      agg.addPacket('g:10|g\ng:+5|g\ng:-3|g\nfresh:-4|g\nup:+2|g', 'statsd_udp');
      expect(values(agg.flush(T0))).toEqual({ 'stats.gauges.g': 12, 'stats.gauges.fresh': -4, 'stats.gauges.up': 2 });
      expect(values(agg.flush(T0 + INTERVAL))).toEqual({
        'stats.gauges.g': 12,
        'stats.gauges.fresh': -4,
        'stats.gauges.up': 2,
      });
      agg.addPacket('g:+0.5|g\nfresh:7|g', 'statsd_udp');
      expect(values(agg.flush(T0 + 2 * INTERVAL))).toMatchObject({ 'stats.gauges.g': 12.5, 'stats.gauges.fresh': 7 });
    });
  });

  describe('timers', () => {
    it('computes etsy statistics and percentiles', () => {
      const { agg } = setup({ percentiles: [90, -10, 50, 99.5] });
      const packet = [7, 3, 10, 1, 5, 2, 9, 4, 8, 6].map((x) => `t:${x}|ms`).join('\n');
      agg.addPacket(packet, 'statsd_tcp');
      const v = values(agg.flush(T0));
      expect(v).toMatchObject({
        'stats.timers.t.count': 10,
        'stats.timers.t.count_ps': 1,
        'stats.timers.t.sum': 55,
        'stats.timers.t.sum_squares': 385,
        'stats.timers.t.mean': 5.5,
        'stats.timers.t.lower': 1,
        'stats.timers.t.upper': 10,
        'stats.timers.t.median': 5.5,
        'stats.timers.t.std': Math.sqrt(8.25),
        'stats.timers.t.count_90': 9,
        'stats.timers.t.upper_90': 9,
        'stats.timers.t.sum_90': 45,
        'stats.timers.t.mean_90': 5,
        'stats.timers.t.sum_squares_90': 285,
        'stats.timers.t.count_top10': 1,
        'stats.timers.t.lower_top10': 10,
        'stats.timers.t.sum_top10': 10,
        'stats.timers.t.mean_top10': 10,
        'stats.timers.t.sum_squares_top10': 100,
        'stats.timers.t.upper_50': 5,
        'stats.timers.t.mean_50': 3,
        'stats.timers.t.upper_99_5': 10,
        'stats.timers.t.count_99_5': 10,
      });
    });

    it('uses the odd median, scales counts by the sample rate, and treats h as ms', () => {
      const { agg } = setup();
      agg.addPacket('t:4|ms|@0.5\nt:1|h\nt:100|ms|@0.25', 'statsd_udp');
      const v = values(agg.flush(T0));
      expect(v['stats.timers.t.median']).toBe(4);
      expect(v['stats.timers.t.count']).toBe(7);
      expect(v['stats.timers.t.count_ps']).toBeCloseTo(0.7, 12);
      expect(v['stats.timers.t.upper_90']).toBe(100);
    });

    it('reports a single value for every percentile and skips percentiles that round to no value', () => {
      const { agg } = setup({ percentiles: [90, -10] });
      agg.addPacket('one:42|ms\ntwo:1|ms\ntwo:3|ms', 'statsd_udp');
      const v = values(agg.flush(T0));
      expect(v).toMatchObject({ 'stats.timers.one.upper_90': 42, 'stats.timers.one.lower_top10': 42 });
      expect(v['stats.timers.two.upper_90']).toBe(3);
      // round(0.1 * 2) = 0: etsy writes nothing for it.
      expect(Object.keys(v).filter((k) => k.startsWith('stats.timers.two.') && k.includes('top10'))).toEqual([]);
    });

    it('sums every value for a top percentile that covers them all (where etsy writes NaN)', () => {
      const { agg } = setup({ percentiles: [-100] });
      agg.addPacket('t:1|ms\nt:2|ms\nt:3|ms', 'statsd_udp');
      expect(values(agg.flush(T0))).toMatchObject({
        'stats.timers.t.sum_top100': 6,
        'stats.timers.t.mean_top100': 2,
        'stats.timers.t.lower_top100': 1,
      });
    });

    it('counts histogram bins of matching timers, first matching option first', () => {
      const { agg } = setup({
        histogram: [
          { metric: 'skip', bins: [] },
          { metric: 'render', bins: [1, 10.5, 'inf'] },
        ],
      });
      agg.addPacket('render:0.5|ms\nrender:1|ms\nrender:10|ms\nrender:99|ms\nrender.skip:1|ms', 'statsd_udp');
      const v = values(agg.flush(T0));
      expect(v).toMatchObject({
        'stats.timers.render.histogram.bin_1': 1,
        'stats.timers.render.histogram.bin_10_5': 2,
        'stats.timers.render.histogram.bin_inf': 1,
      });
      expect(Object.keys(v).some((k) => k.startsWith('stats.timers.render.skip.histogram'))).toBe(false);
    });

    it('adds a Distribution with count, sum, min, max, last and a sketch', () => {
      const { agg } = setup();
      const xs = Array.from({ length: 1000 }, (_, i) => ((i * 7919) % 1000) + 1);
      agg.addPacket(xs.map((x) => `lat:${x}|ms|@0.5|#env:prod`).join('\n'), 'statsd_udp');
      const batch = agg.flush(T0 + 1234);
      expect(batch.distributions).toHaveLength(1);
      const d = batch.distributions![0]!;
      expect(d).toMatchObject({ name: 'stats.timers.lat', labels: { env: 'prod' }, t: T0 });
      expect(d.agg).toMatchObject({ count: 1000, sum: 500500, min: 1, max: 1000, last: xs[999], lastT: T0 });
      expect(Math.abs(quantile(d.agg.sketch!, 0.9) - 900) / 900).toBeLessThanOrEqual(0.011);
      expect(values(batch)['stats.timers.lat.count;env=prod']).toBe(2000);
    });

    it('marks counts as counters and other stats as gauges', () => {
      const { agg } = setup();
      agg.addPacket('t:1|ms', 'statsd_udp');
      const batch = agg.flush(T0);
      expect(sample(batch, 'stats.timers.t.count')?.kind).toBe('counter');
      expect(sample(batch, 'stats.timers.t.count_90')?.kind).toBe('counter');
      expect(sample(batch, 'stats.timers.t.mean')?.kind).toBe('gauge');
      expect(sample(batch, 'stats.timers.t.count_ps')?.kind).toBe('gauge');
    });
  });

  describe('sets', () => {
    it('counts distinct members', () => {
      const { agg } = setup();
      agg.addPacket('u:alice|s\nu:bob|s\nu:alice|s\nu:|s\nu:0|s', 'statsd_udp');
      const batch = agg.flush(T0);
      expect(values(batch)).toEqual({ 'stats.sets.u.count': 3 });
      expect(sample(batch, 'stats.sets.u.count')?.kind).toBe('gauge');
    });
  });

  it('puts tags on every derived series as labels, one series per tag set', () => {
    const { agg } = setup();
    agg.addPacket('req:1|c|#env:prod,dc:ams\nreq:2|c|#dc:ams,env:prod\nreq:5|c|#env:dev\nreq:1|c', 'statsd_udp');
    agg.addPacket('t:5|ms|#env:prod', 'statsd_udp');
    const batch = agg.flush(T0);
    expect(values(batch)).toMatchObject({
      'stats.counters.req.count;dc=ams;env=prod': 3,
      'stats.counters.req.count;env=dev': 5,
      'stats.counters.req.count': 1,
    });
    const timerSeries = batch.samples!.filter((s) => s.name.startsWith('stats.timers.t.'));
    expect(timerSeries.length).toBeGreaterThan(10);
    expect(timerSeries.every((s) => s.labels.env === 'prod')).toBe(true);
  });

  it('reads multi-line packets, CRLF line ends and multi-value lines', () => {
    const { agg } = setup();
    agg.addPacket('a:1|c\r\na:2|c\n\nb:3|g\r\nm:1|c:4|ms\n', 'statsd_udp');
    expect(values(agg.flush(T0))).toMatchObject({
      'stats.counters.a.count': 3,
      'stats.gauges.b': 3,
      'stats.counters.m.count': 1,
      'stats.timers.m.upper': 4,
    });
  });

  it('reports idle keys as etsy does: counters and sets 0, timers count 0, gauges their value', () => {
    const { agg } = setup();
    agg.addPacket('c:5|c\ng:7|g\nt:3|ms\ns:x|s', 'statsd_udp');
    agg.flush(T0);
    const idle = agg.flush(T0 + INTERVAL);
    expect(values(idle)).toEqual({
      'stats.counters.c.rate': 0,
      'stats.counters.c.count': 0,
      'stats.timers.t.count': 0,
      'stats.timers.t.count_ps': 0,
      'stats.gauges.g': 7,
      'stats.sets.s.count': 0,
    });
    expect(idle.distributions).toEqual([]);
  });

  it('drops idle keys with deleteIdleStats, gauges after gaugesMaxTTL flushes', () => {
    const { agg } = setup({ deleteIdleStats: true, gaugesMaxTTL: 2 });
    agg.addPacket('c:5|c\ng:7|g\nt:3|ms\ns:x|s', 'statsd_udp');
    expect(agg.keys).toBe(4);
    agg.flush(T0);
    expect(values(agg.flush(T0 + INTERVAL))).toEqual({ 'stats.gauges.g': 7 });
    expect(values(agg.flush(T0 + 2 * INTERVAL))).toEqual({});
    expect(agg.keys).toBe(0);
    // The deleted gauge is gone: a delta sets it, as in etsy.
    agg.addPacket('g:+1|g', 'statsd_udp');
    expect(values(agg.flush(T0 + 3 * INTERVAL))).toEqual({ 'stats.gauges.g': 1 });
  });

  it('lets each delete option override deleteIdleStats', () => {
    const { agg } = setup({ deleteIdleStats: true, deleteCounters: false, deleteGauges: false });
    agg.addPacket('c:5|c\ng:7|g\nt:3|ms', 'statsd_udp');
    agg.flush(T0);
    expect(values(agg.flush(T0 + INTERVAL))).toEqual({
      'stats.counters.c.rate': 0,
      'stats.counters.c.count': 0,
      'stats.gauges.g': 7,
    });
  });

  it('stamps samples with the interval boundary, never twice the same', () => {
    const { agg } = setup();
    agg.addPacket('c:1|c', 'statsd_udp');
    expect(agg.flush(T0 + 30).samples![0]!.t).toBe(T0);
    // A flush on stop, within the same interval: the next boundary.
    expect(agg.flush(T0 + 5000).samples![0]!.t).toBe(T0 + INTERVAL);
    // A timer firing a little early: still its own boundary.
    expect(agg.flush(T0 + 2 * INTERVAL - 2).samples![0]!.t).toBe(T0 + 2 * INTERVAL);
    expect(agg.flush(T0 + 5 * INTERVAL + 1).samples![0]!.t).toBe(T0 + 5 * INTERVAL);
  });

  it('leaves out values that overflowed', () => {
    const { agg } = setup();
    agg.addPacket('big:1e308|c\nbig:1e308|c\nok:1|c', 'statsd_udp');
    expect(values(agg.flush(T0))).toEqual({ 'stats.counters.ok.rate': 0.1, 'stats.counters.ok.count': 1 });
  });

  it('sheds lines for new keys beyond maxKeys, and counts them', async () => {
    const { agg, metrics } = setup({ maxKeys: 2, deleteCounters: true });
    agg.addPacket('a:1|c\nb:1|g\nc:1|c\nd:1|ms\na:2|c\nb:+1|g', 'statsd_udp');
    expect(agg.keys).toBe(2);
    expect(await metric(metrics.shed, { protocol: 'statsd_udp', reason: 'max_keys' })).toBe(2);
    expect(await metric(metrics.samplesAccepted, { protocol: 'statsd_udp' })).toBe(4);
    expect(values(agg.flush(T0))).toEqual({
      'stats.counters.a.rate': 0.3,
      'stats.counters.a.count': 3,
      'stats.gauges.b': 2,
    });
    // The idle counter was deleted, which frees its key.
    expect(agg.keys).toBe(1);
    agg.addPacket('c:1|c', 'statsd_udp');
    expect(agg.keys).toBe(2);
  });

  it('counts received, rejected and accepted lines per protocol and reason', async () => {
    const { agg, metrics } = setup();
    expect(agg.addPacket('a:1|c\nbad\na:x|c\n\nb:1|q', 'statsd_tcp')).toBe(1);
    agg.addPacket('a:1|c', 'statsd_udp');
    agg.addPacket('x'.repeat(70_000) + ':1|c', 'statsd_udp');
    expect(await metric(metrics.linesReceived, { protocol: 'statsd_tcp' })).toBe(4);
    expect(await metric(metrics.linesReceived, { protocol: 'statsd_udp' })).toBe(2);
    expect(await metric(metrics.samplesAccepted, { protocol: 'statsd_tcp' })).toBe(1);
    expect(await metric(metrics.linesRejected, { protocol: 'statsd_tcp', reason: 'missing_value' })).toBe(1);
    expect(await metric(metrics.linesRejected, { protocol: 'statsd_tcp', reason: 'bad_value' })).toBe(1);
    expect(await metric(metrics.linesRejected, { protocol: 'statsd_tcp', reason: 'bad_type' })).toBe(1);
    expect(await metric(metrics.linesRejected, { protocol: 'statsd_udp', reason: 'line_too_long' })).toBe(1);
    agg.flush(T0);
    expect((await metrics.statsdKeys.get()).values[0]!.value).toBe(1);
    expect((await metrics.statsdFlushDuration.get()).values.find((v) => v.metricName?.endsWith('_count'))!.value).toBe(
      1
    );
  });

  it('rejects unusable options', () => {
    const metrics = new WorkerMetrics({ processMetrics: false });
    expect(() => new StatsdAggregator({ flushIntervalMs: 0 }, metrics)).toThrow(RangeError);
    expect(() => new StatsdAggregator({ flushIntervalMs: 1000, percentiles: [0] }, metrics)).toThrow(RangeError);
    expect(() => new StatsdAggregator({ flushIntervalMs: 1000, percentiles: [101] }, metrics)).toThrow(RangeError);
  });

  describe('flushAsync', () => {
    const packet = (prefix: string, n: number): string =>
      Array.from({ length: n }, (_, i) => `${prefix}${i}:1|c\n${prefix}t${i}:${i}|ms\n${prefix}g${i}:+1|g`).join('\n');

    it('gives the same batch as flush', async () => {
      const a = setup({ flushSliceMs: 0 }).agg;
      const b = setup().agg;
      for (const agg of [a, b]) {
        agg.addPacket(packet('k', 3000) + '\nu:1|s|#x:y', 'statsd_udp');
      }
      const sliced = await a.flushAsync(T0);
      const whole = b.flush(T0);
      expect(values(sliced)).toEqual(values(whole));
      expect(sliced.distributions!.map((d) => d.agg.sum)).toEqual(whole.distributions!.map((d) => d.agg.sum));
    });

    it('yields to the event loop, and lines added meanwhile belong to the next interval', async () => {
      const { agg } = setup({ flushSliceMs: 0 });
      agg.addPacket(packet('k', 5000), 'statsd_udp');
      let ticks = 0;
      const during = setInterval(() => {
        ticks++;
        agg.addPacket('k0:100|c\nkt0:1000|ms\nkg0:+100|g\nnew:1|c', 'statsd_udp');
      }, 0);
      const first = values(await agg.flushAsync(T0));
      clearInterval(during);
      expect(ticks).toBeGreaterThan(0);
      expect(first['stats.counters.k0.count']).toBe(1);
      expect(first['stats.timers.kt0.upper']).toBe(0);
      expect(first['stats.counters.new.count']).toBeUndefined();
      const second = values(agg.flush(T0 + INTERVAL));
      expect(second['stats.counters.k0.count']).toBe(100 * ticks);
      expect(second['stats.counters.k1.count']).toBe(0);
      expect(second['stats.counters.new.count']).toBe(ticks);
      expect(second['stats.timers.kt0.count']).toBe(ticks);
      // Deltas during the flush applied to the gauge's value before it.
      expect(second['stats.gauges.kg0']).toBe(1 + 100 * ticks);
      expect(second['stats.gauges.kg1']).toBe(1);
      expect(agg.keys).toBe(15001);
    });

    it('completes a flush still in progress before starting the next', async () => {
      const { agg } = setup({ flushSliceMs: 0 });
      agg.addPacket(packet('k', 2000), 'statsd_udp');
      const pending = agg.flushAsync(T0);
      agg.addPacket('k0:5|c', 'statsd_udp');
      const second = values(agg.flush(T0 + INTERVAL));
      const first = values(await pending);
      expect(first['stats.counters.k0.count']).toBe(1);
      expect(first['stats.counters.k1999.count']).toBe(1);
      expect(second['stats.counters.k0.count']).toBe(5);
      expect(second['stats.counters.k1999.count']).toBe(0);
    });
  });
});

describe('statsd parser and aggregator under random and mutated input', () => {
  // Character-set strings: fc.stringMatching would be several times slower for 100,000 lines.
  const chars = (set: string, minLength: number, maxLength: number): fc.Arbitrary<string> =>
    fc.string({ unit: fc.constantFrom(...set), minLength, maxLength });
  const lower = 'abcdefghijklmnopqrstuvwxyz';
  const name = chars(lower + '0123456789_.-', 1, 16);
  const tag = fc.tuple(chars(lower + '_', 1, 6), chars(lower + '0123456789.-', 1, 8));
  const number = fc.oneof(
    fc.integer({ min: -1_000_000, max: 1_000_000 }).map(String),
    fc.double({ min: -1e12, max: 1e12, noNaN: true }).map(String),
    fc.constantFrom('0', '.5', '5.', '1e3', '-2.5E-3')
  );
  const rate = fc.option(fc.constantFrom('0.1', '0.5', '1', '.25', '0.001'), { nil: undefined });
  const value = fc.oneof(
    fc.record({ type: fc.constantFrom('c', 'g'), text: number, rate }),
    fc.record({ type: fc.constantFrom('ms', 'h'), text: number.map((t) => t.replace(/^-/, '')), rate }),
    fc.record({ type: fc.constant('g'), text: number.map((t) => (t.startsWith('-') ? t : '+' + t)), rate }),
    fc.record({ type: fc.constant('s'), text: chars(lower + 'ABC0123456789@.', 0, 10), rate })
  );
  const spec = fc.record({
    key: name,
    values: fc.array(value, { minLength: 1, maxLength: 3 }),
    tags: fc.uniqueArray(tag, { maxLength: 3, selector: ([k]) => k }),
  });
  type Spec = typeof spec extends fc.Arbitrary<infer S> ? S : never;
  const render = ({ key, values: vals, tags }: Spec): string =>
    key +
    ':' +
    vals.map((v) => `${v.text}|${v.type}${v.rate !== undefined ? '|@' + v.rate : ''}`).join(':') +
    (tags.length > 0 ? '|#' + tags.map(([k, v]) => `${k}:${v}`).join(',') : '');
  const validLine = spec.map(render);

  /**
   * Mutations are drawn from a seeded generator that fast-check seeds once per run: generating each of
   * 100,000 mutated lines as a fast-check value would take most of this file's time budget.
   */
  const NASTY_VALUES = [
    'NaN',
    'Infinity',
    '-Infinity',
    '1e308',
    '1e309',
    '-1e309',
    '9'.repeat(400),
    '0.' + '0'.repeat(400) + '1',
    '-0',
    '0x10',
    '1_0',
    '\u0661\u0662\u0663',
    '',
  ];
  const SEPARATORS = [':', '|', '@', '#', ',', ';', '=', '\n', '\r', '|#', '|@', '::', '||', ' ', '\t', '/', '\u00a0'];

  function mutator(seed: number): { mutate: (line: string) => string; garbage: () => string } {
    let a = seed >>> 0;
    const next = (): number => {
      a = (a + 0x6d2b79f5) >>> 0;
      let t = Math.imul(a ^ (a >>> 15), a | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    const int = (n: number): number => Math.floor(next() * n);
    const randomText = (n: number): string => {
      let out = '';
      for (let k = 0; k < n; k++) {
        // Any code unit, lone surrogates included, or an astral code point.
        out += next() < 0.8 ? String.fromCharCode(int(0x10000)) : String.fromCodePoint(0x10000 + int(0x100000));
      }
      return out;
    };
    const mutate = (line: string): string => {
      for (let m = 1 + int(3); m > 0; m--) {
        const p = int(line.length + 1);
        switch (int(6)) {
          case 0:
            line = line.slice(0, p);
            break;
          case 1:
            line = line.slice(0, p) + String.fromCharCode(int(0x10000)) + line.slice(p + 1);
            break;
          case 2:
            line = line.slice(0, p) + SEPARATORS[int(SEPARATORS.length)] + line.slice(p);
            break;
          case 3:
            line = line.replace(/:[^|:]*/, ':' + NASTY_VALUES[int(NASTY_VALUES.length)]);
            break;
          case 4:
            line = line.slice(0, p) + randomText(1 + int(6)) + line.slice(p);
            break;
          default:
            line = line.slice(0, p) + line.slice(int(line.length + 1));
        }
      }
      return line;
    };
    return { mutate, garbage: () => randomText(1 + int(40)) };
  }

  it('accepts every well-formed line with the values it carries', () => {
    fc.assert(
      fc.property(spec, (sp) => {
        const r = parseLine(render(sp));
        if (typeof r === 'string') {
          throw new Error(`${render(sp)} rejected as ${r}`);
        }
        expect(r.name).toBe(sp.key);
        const tags = sp.tags.filter(([k]) => k !== 'name');
        expect(r.labels).toEqual(tags.length > 0 ? Object.fromEntries(tags) : undefined);
        const parsed = [r, ...(r.more ?? [])];
        expect(parsed.map((v) => v.type)).toEqual(sp.values.map((v) => v.type));
        sp.values.forEach((v, i) => {
          const p = parsed[i]!;
          expect(p.rate).toBe(v.rate === undefined ? 1 : Number(v.rate));
          if (v.type === 's') {
            expect(p.member).toBe(v.text === '' ? '0' : v.text);
          } else {
            expect(p.value).toBe(Number(v.text));
            expect(p.delta).toBe(v.type === 'g' && /^[+-]/.test(v.text));
          }
        });
      }),
      { numRuns: 2000 }
    );
  });

  it('never throws, and counts every line as accepted, rejected or shed', async () => {
    const metrics = new WorkerMetrics({ processMetrics: false });
    const agg = new StatsdAggregator(
      { flushIntervalMs: INTERVAL, maxKeys: 3000, deleteIdleStats: true, percentiles: [90, -10, 99.9] },
      metrics
    );
    const protocol: StatsdProtocol = 'statsd_udp';
    const count = async (): Promise<{ received: number; accepted: number; rejected: number; shed: number }> => ({
      received: await metric(metrics.linesReceived, { protocol }),
      accepted: await metric(metrics.samplesAccepted, { protocol }),
      rejected: await metric(metrics.linesRejected, { protocol }),
      shed: await metric(metrics.shed, { protocol }),
    });
    let lines = 0;
    let runs = 0;
    let t = T0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(validLine, { minLength: 10, maxLength: 10 }),
        fc.integer(),
        fc.boolean(),
        async (valid, seed, crlf) => {
          const { mutate, garbage } = mutator(seed);
          const batch = [...valid];
          for (let k = 0; k < 90; k++) {
            batch.push(mutate(valid[k % valid.length]!));
          }
          for (let k = 0; k < 5; k++) {
            batch.push(garbage());
          }
          const before = await count();
          const packet = batch.join(crlf ? '\r\n' : '\n');
          agg.addPacket(packet, protocol);
          const after = await count();
          const expected = packet.split('\n').filter((l) => l !== '' && l !== '\r').length;
          lines += expected;
          expect(after.received - before.received).toBe(expected);
          expect(after.received).toBe(after.accepted + after.rejected + after.shed);
          if (++runs % 50 === 0) {
            t += INTERVAL;
            const flushed = runs % 100 === 0 ? await agg.flushAsync(t) : agg.flush(t);
            // One expect per flush: a matcher call per sample would dominate the test's time.
            const infinite = flushed.samples!.filter((x) => !Number.isFinite(x.v));
            const empty = flushed.distributions!.filter((d) => !(Number.isFinite(d.agg.sum) && d.agg.count > 0));
            expect([infinite, empty]).toEqual([[], []]);
          }
        }
      ),
      { numRuns: 1000 }
    );
    expect(lines).toBeGreaterThanOrEqual(100_000);
    const final = await count();
    expect(final.accepted).toBeGreaterThan(final.received / 10);
    expect(final.rejected).toBeGreaterThan(final.received / 10);
  }, 20_000);
});
