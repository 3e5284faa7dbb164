/**
 * Differential test against the real etsy statsd 0.9: the same lines go to etsy (over its TCP server) and
 * to our StatsdAggregator (addPacket, the server's own path), interval by interval, and every value etsy's
 * Graphite backend writes for user metrics must equal ours.
 *
 * Interval alignment is driven by etsy itself: its Graphite backend opens one connection per flush, so
 * after a flush has been received the next interval's lines are sent at once, ~1 s before etsy's next flush,
 * and that next connection is compared with our flush of the same lines.
 *
 * Lines where we deliberately differ from etsy are kept out of the stream (unit tests cover them):
 * unknown types (etsy counts them), tags without values, one series sent with tags in different orders
 * (etsy makes two keys), empty keys, and non-ASCII (etsy's TCP server decodes ASCII only). A DogStatsD
 * histogram `h` goes to etsy as `ms`, since etsy 0.9 counts `h` as a counter and we treat it as a timer.
 */
import * as net from 'node:net';

import { compareTagNames, formatTaggedPath } from '../src/worker/ingest/labels';
import { StatsdAggregator, type StatsdHistogramOption } from '../src/worker/ingest/statsd/aggregator';
import { WorkerMetrics } from '../src/worker/selfmetrics';
import type { AppendBatch } from '../src/worker/store/types';
import { type EtsyStatsd, startEtsyStatsd } from './helpers/etsy-statsd';
import { type GraphiteLine, GraphiteSink } from './helpers/graphite-sink';
import { mulberry32 } from './helpers/mulberry32';

const FLUSH_MS = 1000;
const PERCENTILES = [90, 99, -10, 50.5];
const HISTOGRAM: StatsdHistogramOption[] = [
  { metric: 'nohist', bins: [] },
  { metric: 'hist', bins: [10, 50.5, 100, 'inf'] },
];

jest.setTimeout(60_000);

/** Lines etsy and we both reject. */
const BAD_LINES = ['garbage', 'bad.value:abc|c', 'bad.rate:1|c|@x', 'bad.timer:-5|ms', 'bad.notype:1', 'bad.empty:|c'];

function roundLines(round: number, random: () => number): string[] {
  const lines: string[] = [];
  const pick = <T>(xs: T[]): T => xs[Math.floor(random() * xs.length)]!;
  const decimal = (max: number, places: number): string => (random() * max).toFixed(places);
  const full = round === 1 || round === 2 || round === 5;
  const partial = round === 3;
  if (full || partial) {
    for (let i = 0; i < 30; i++) {
      lines.push(`api.requests:${1 + Math.floor(random() * 5)}|c`);
      lines.push(`api.sampled:1|c|@${pick(['0.1', '0.5', '0.25', '.3'])}`);
    }
    lines.push('gauge.sys.load:0.5|g', 'gauge.sys.load:+0.25|g', 'gauge.sys.load:-0.125|g');
    lines.push(`gauge.sys.mem:+${round * 3}|g`, 'gauge.sys.mem:-1.5|g');
    for (let i = 0; i < 300; i++) {
      lines.push(`api.latency:${decimal(1000, 2)}|ms${random() < 0.2 ? '|@0.5' : ''}`);
    }
    for (let i = 0; i < 120; i++) {
      lines.push(`api.hist.render:${decimal(150, 3)}|${random() < 0.5 ? 'h' : 'ms'}`);
    }
    for (let i = 0; i < 40; i++) {
      lines.push(`users.online:user${Math.floor(random() * 25)}|s`);
    }
  }
  if (full) {
    lines.push(`api.frac:${decimal(3, 4)}|c|@0.3`, 'api.neg:-3|c', 'api.exp:1.5e2|c', 'api.zero:0|c', 'api.plus:+2|c');
    lines.push(`api.tagged:${1 + Math.floor(random() * 9)}|c|#env:prod,dc:ams`, 'api.tagged:1|c|@0.5|#env:prod,dc:ams');
    lines.push('api.tagged:4|c|#env:dev,dc:ams');
    lines.push('web server/req time!:1|c', 'odd\tname  here:2|c', 'semi;env=prod;region=eu:3|c');
    lines.push(`gauge.sys.temp:-${round}|g`, 'gauge.fresh:+7|g', `gauge.tagged:${round}|g|#host:web-1`);
    lines.push('gauge.tagged:+0.5|g|#host:web-1', 'gauge.reset:10|g', 'gauge.reset:0|g', 'gauge.reset:+4|g');
    lines.push('api.single:42|ms', 'api.two:3|ms', 'api.two:1|ms', 'api.nohist.three:5|ms:7|ms:6|ms|@0.25');
    lines.push('db.query;env=prod:12.5|ms', 'db.query;env=prod:7.25|ms|@0.1', 'db.query;env=prod:9|ms');
    for (let i = 0; i < 25; i++) {
      lines.push(`db.tagged:${decimal(50, 1)}|ms|#db:main,op:select`);
      lines.push(`api.equal:${round}|ms`);
    }
    lines.push('users.online:|s', 'users.tagged:a|s|#app:x', 'users.tagged:b|s|#app:x', 'users.tagged:a|s|#app:x');
    lines.push('multi.mixed:1|c:2|c|@0.5:9|ms|#kind:multi', `multi.gauge:${round}|g:+1|g`);
    lines.push(...BAD_LINES);
  }
  // Packets of random sizes, shuffled so types interleave.
  for (let i = lines.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [lines[i], lines[j]] = [lines[j]!, lines[i]!];
  }
  if (full) {
    // In a fixed order, since deltas and sets of one gauge do not commute.
    lines.push(`gauge.ordered:${round * 10}|g`, 'gauge.ordered:-3|g', 'gauge.ordered:+1.5|g');
    lines.push('gauge.delta.only:-2|g', 'gauge.delta.only:+0.5|g');
  }
  return lines;
}

function packets(lines: string[], random: () => number): string[] {
  const out: string[] = [];
  for (let i = 0; i < lines.length;) {
    const n = 1 + Math.floor(random() * 20);
    out.push(lines.slice(i, i + n).join('\n') + '\n');
    i += n;
  }
  return out;
}

/** etsy 0.9 counts `h` as a counter: it gets `ms` so both sides see a timer. */
function forEtsy(packet: string): string {
  return packet.replace(/\|h(?=[|:\n]|$)/g, '|ms');
}

function isInternal(name: string): boolean {
  return name.startsWith('stats.statsd.') || /^stats\.(counters|gauges|timers|sets)\.statsd\./.test(name);
}

/** `name;b=2;a=1` in carbon's tag order, as formatTaggedPath writes ours. */
function canonicalPath(path: string): string {
  const [name, ...tags] = path.split(';');
  if (tags.length === 0) {
    return name!;
  }
  tags.sort((x, y) => compareTagNames(x.slice(0, x.indexOf('=')), y.slice(0, y.indexOf('='))));
  return [name, ...tags].join(';');
}

function etsyValues(lines: GraphiteLine[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const l of lines) {
    if (!isInternal(l.name)) {
      out.set(canonicalPath(l.name), Number(l.value));
    }
  }
  return out;
}

function ourValues(batch: AppendBatch): Map<string, number> {
  const out = new Map<string, number>();
  for (const s of batch.samples ?? []) {
    const path = formatTaggedPath(s.name, s.labels);
    expect(out.has(path)).toBe(false);
    out.set(path, s.v);
  }
  return out;
}

function differences(etsy: Map<string, number>, ours: Map<string, number>): string[] {
  const diffs: string[] = [];
  for (const [name, v] of etsy) {
    const w = ours.get(name);
    if (w === undefined) {
      diffs.push(`missing ${name} (etsy ${v})`);
    } else if (!(Math.abs(v - w) <= 1e-9 * Math.max(Math.abs(v), Math.abs(w)) || (v === 0 && w === 0))) {
      diffs.push(`${name}: etsy ${v}, ours ${w}`);
    }
  }
  for (const [name, w] of ours) {
    if (!etsy.has(name)) {
      diffs.push(`extra ${name} (ours ${w})`);
    }
  }
  return diffs;
}

interface Flush {
  round: number;
  ours: AppendBatch;
  ourMap: Map<string, number>;
}

describe('statsd semantics against etsy statsd 0.9', () => {
  const running: Array<{ etsy: EtsyStatsd; sink: GraphiteSink; client: net.Socket }> = [];

  afterAll(async () => {
    for (const { etsy, sink, client } of running) {
      client.destroy();
      await etsy.stop();
      await sink.stop();
    }
  });

  /**
   * Runs six intervals (full, full, partial, idle, full, idle) through etsy configured with `options` and
   * through our aggregator with the same options, and compares every flush.
   */
  async function compareWithEtsy(options: { deleteIdleStats: boolean; gaugesMaxTTL?: number }): Promise<Flush[]> {
    const sink = new GraphiteSink();
    const sinkPort = await sink.start();
    const etsy = await startEtsyStatsd({
      graphiteHost: '127.0.0.1',
      graphitePort: sinkPort,
      flushInterval: FLUSH_MS,
      percentThreshold: PERCENTILES,
      histogram: HISTOGRAM,
      graphite: { legacyNamespace: false },
      ...options,
    });
    const client = net.connect(etsy.port, '127.0.0.1');
    running.push({ etsy, sink, client });
    await new Promise<void>((resolve, reject) => {
      client.once('connect', () => resolve());
      client.once('error', reject);
    });

    const aggregator = new StatsdAggregator(
      { flushIntervalMs: FLUSH_MS, percentiles: PERCENTILES, histogram: HISTOGRAM, ...options },
      new WorkerMetrics({ processMetrics: false })
    );
    const random = mulberry32(20240601);
    // Aligns with etsy's flush cycle: everything sent from here on lands in its next interval.
    await sink.nextConnection(5000);
    sink.discardCompleted();
    const flushes: Flush[] = [];
    let compared = 0;
    for (let round = 1; round <= 6; round++) {
      for (const p of packets(roundLines(round, random), random)) {
        client.write(forEtsy(p));
        aggregator.addPacket(p, 'statsd_tcp');
      }
      await new Promise<void>((resolve) => client.write('', () => resolve()));
      const etsyFlush = await sink.nextConnection(5000);
      const ours = aggregator.flush(Date.now());

      const etsyMap = etsyValues(etsyFlush);
      const ourMap = ourValues(ours);
      expect({ round, diffs: differences(etsyMap, ourMap) }).toEqual({ round, diffs: [] });
      compared += etsyMap.size;

      const stats = new Map(ours.samples!.map((s) => [formatTaggedPath(s.name, s.labels), s.v]));
      for (const d of ours.distributions!) {
        const stat = (name: string): number | undefined => stats.get(formatTaggedPath(`${d.name}.${name}`, d.labels));
        expect(d.agg.sum).toBe(stat('sum'));
        expect(d.agg.min).toBe(stat('lower'));
        expect(d.agg.max).toBe(stat('upper'));
        expect(d.agg.sketch?.length).toBeGreaterThan(0);
      }
      flushes.push({ round, ours, ourMap });
    }
    // A real comparison: every kind of series was there.
    expect(compared).toBeGreaterThan(400);
    return flushes;
  }

  it('flushes the same values as etsy for counters, gauges, timers, histograms and sets, also when idle', async () => {
    const flushes = await compareWithEtsy({ deleteIdleStats: false });
    for (const round of [4, 6]) {
      // Nothing was sent: idle series as etsy reports them (which the comparison has just confirmed).
      const { ours, ourMap } = flushes[round - 1]!;
      expect(ours.distributions).toHaveLength(0);
      expect(ourMap.get('stats.counters.api.requests.count')).toBe(0);
      expect(ourMap.get('stats.sets.users.online.count')).toBe(0);
      expect(ourMap.get('stats.timers.api.latency.count')).toBe(0);
      expect(ourMap.get('stats.gauges.gauge.sys.load')).toBe(
        flushes[round - 2]!.ourMap.get('stats.gauges.gauge.sys.load')
      );
    }
    expect(flushes[0]!.ours.distributions!.length).toBeGreaterThan(0);
  });

  it('deletes idle stats as etsy does, gauges after gaugesMaxTTL flushes', async () => {
    const flushes = await compareWithEtsy({ deleteIdleStats: true, gaugesMaxTTL: 2 });
    const idle = flushes[3]!.ourMap;
    expect([...idle.keys()].every((name) => name.startsWith('stats.gauges.'))).toBe(true);
    expect(idle.has('stats.gauges.gauge.sys.load')).toBe(true);
    expect(idle.has('stats.gauges.gauge.ordered')).toBe(false);
  });
});
