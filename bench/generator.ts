import { mulberry32 } from '../tests/helpers/mulberry32';
/**
 * Deterministic benchmark data: what a fleet of hosts and the application on them send, the same bytes for
 * every peer.
 *
 * Graphite plaintext (what collectd or diamond send every 10 s): each host reports 20 series,
 *
 *   servers.<host>.cpu.{user,system,iowait,idle}          percent, one decimal, summing to 100
 *   servers.<host>.memory.{used,cached,free}              bytes, integers (whole 4 KiB pages)
 *   servers.<host>.disk.{root,data}.used                  bytes, integers, slowly growing
 *   servers.<host>.load.{shortterm,midterm,longterm}      two decimals
 *   servers.<host>.net.eth0.{rx,tx}_{bytes,packets}       monotonic counters, integers
 *   servers.<host>.app.request_time.{mean,p90}            ms, one decimal
 *   servers.<host>.app.status.{2xx,5xx}                   requests in the interval, integers
 *
 * and the lines are written as a sender does: every series of one timestamp, then the next timestamp.
 *
 * statsd (what the application's instances send): per request a timer `app.<svc>.<endpoint>.request_time:<ms>|ms`
 * and a counter `app.<svc>.<endpoint>.status_<code>:1|c`, now and then a sign-up `app.<svc>.signup.<plan>:1|c`,
 * packed into multi-metric datagrams of at most 1432 bytes as buffering clients send them. Every line counts
 * exactly one in its key's flushed `.count`, so flushed totals can be compared with what was sent.
 *
 * Everything is drawn from one seeded PRNG (mulberry32) in a fixed order: same seed, same bytes.
 */

/** The suites' seeded PRNG, so benchmark and test data come from one generator. */
export const prng = mulberry32;

export const SERIES_PER_HOST = 20;
const ROLES = ['web', 'api', 'db', 'cache', 'queue', 'worker', 'search', 'batch'];
const PAGE = 4096;
const GIB = 1024 * 1024 * 1024;

/** Suffixes of a host's series, in the order they are sent. */
const HOST_METRICS = [
  'cpu.user',
  'cpu.system',
  'cpu.iowait',
  'cpu.idle',
  'memory.used',
  'memory.cached',
  'memory.free',
  'disk.root.used',
  'disk.data.used',
  'load.shortterm',
  'load.midterm',
  'load.longterm',
  'net.eth0.rx_bytes',
  'net.eth0.tx_bytes',
  'net.eth0.rx_packets',
  'net.eth0.tx_packets',
  'app.request_time.mean',
  'app.request_time.p90',
  'app.status.2xx',
  'app.status.5xx',
];

export function hostName(i: number): string {
  return `${ROLES[i % ROLES.length]}-${String(Math.floor(i / ROLES.length) + 1).padStart(4, '0')}`;
}

/** Names of `count` Graphite series of hosts from `firstHost` on (filled in order, the last possibly in part). */
export function graphiteSeriesNames(count: number, firstHost = 0): string[] {
  const names: string[] = [];
  for (let i = 0; i < count; i++) {
    names.push(`servers.${hostName(firstHost + Math.floor(i / SERIES_PER_HOST))}.${HOST_METRICS[i % SERIES_PER_HOST]}`);
  }
  return names;
}

function fixed1(x: number): string {
  const n = Math.round(x * 10);
  const r = n % 10;
  return `${(n - r) / 10}.${r}`;
}

function fixed2(x: number): string {
  const n = Math.round(x * 100);
  const r = n % 100;
  return `${(n - r) / 100}.${r < 10 ? '0' : ''}${r}`;
}

/** Per host state of the random walks behind its series. */
interface HostState {
  cpuBase: number;
  cpuUser: number;
  cpuSystem: number;
  cpuIowait: number;
  memTotal: number;
  memUsed: number;
  memCached: number;
  diskRoot: number;
  diskData: number;
  load1: number;
  load5: number;
  load15: number;
  cores: number;
  rxBytes: number;
  txBytes: number;
  rxPackets: number;
  txPackets: number;
  reqRate: number;
  latency: number;
}

export interface GraphiteOptions {
  /** Number of series; hosts are added until there are this many. */
  series: number;
  /** Index of the first host (senders that split a fleet between them start at different hosts). Default 0. */
  firstHost?: number;
  /** Unix seconds of the first timestamp (aligned down to `intervalS`). */
  startS: number;
  /** Number of timestamps per series. */
  points: number;
  intervalS?: number;
  seed?: number;
  /** Keep the values sent for the first this many series (see `recorded`). Default 0. */
  record?: number;
}

/**
 * Graphite plaintext lines for `series` series × `points` timestamps, as a sequence of chunks of whole
 * lines (one or more timestamps each, about `chunkBytes` long), generated on demand.
 */
export class GraphiteGenerator {
  readonly names: string[];
  readonly totalLines: number;
  /** Values sent for the first `record` series: series s, timestamp k at [s * points + k]. */
  readonly recorded: Float64Array;
  private readonly prefixes: string[];
  private readonly hosts: HostState[];
  private readonly rand: () => number;
  private readonly intervalS: number;
  private nextIndex = 0;

  constructor(private readonly opts: GraphiteOptions) {
    this.intervalS = opts.intervalS ?? 10;
    this.rand = prng((opts.seed ?? 42) + (opts.firstHost ?? 0));
    this.names = graphiteSeriesNames(opts.series, opts.firstHost);
    this.prefixes = this.names.map((n) => n + ' ');
    this.totalLines = opts.series * opts.points;
    this.recorded = new Float64Array(Math.min(opts.record ?? 0, opts.series) * opts.points);
    const hostCount = Math.ceil(opts.series / SERIES_PER_HOST);
    this.hosts = [];
    for (let h = 0; h < hostCount; h++) {
      const r = this.rand;
      const memTotal = [8, 16, 32, 64][Math.floor(r() * 4)]! * GIB;
      const cores = [2, 4, 8, 16][Math.floor(r() * 4)]!;
      const cpuBase = 5 + r() * 50;
      this.hosts.push({
        cpuBase,
        cpuUser: cpuBase,
        cpuSystem: cpuBase / 4,
        cpuIowait: r() * 2,
        memTotal,
        memUsed: memTotal * (0.3 + r() * 0.4),
        memCached: memTotal * (0.1 + r() * 0.2),
        diskRoot: Math.floor(((20 + r() * 30) * GIB) / PAGE) * PAGE,
        diskData: Math.floor(((100 + r() * 800) * GIB) / PAGE) * PAGE,
        load1: (cpuBase / 100) * cores,
        load5: (cpuBase / 100) * cores,
        load15: (cpuBase / 100) * cores,
        cores,
        rxBytes: Math.floor(r() * 1e12),
        txBytes: Math.floor(r() * 1e12),
        rxPackets: Math.floor(r() * 1e9),
        txPackets: Math.floor(r() * 1e9),
        reqRate: 20 + r() * 500,
        latency: 20 + r() * 200,
      });
    }
  }

  /** Timestamps emitted so far. */
  get pointsDone(): number {
    return this.nextIndex;
  }

  get done(): boolean {
    return this.nextIndex >= this.opts.points;
  }

  /** The next chunk of whole lines (at least one timestamp's worth), or undefined once all are out. */
  next(chunkBytes = 1 << 20): Buffer | undefined {
    if (this.done) {
      return undefined;
    }
    const parts: string[] = [];
    let bytes = 0;
    while (bytes < chunkBytes && !this.done) {
      const text = this.timestampLines(this.nextIndex++);
      parts.push(text);
      bytes += text.length;
    }
    return Buffer.from(parts.join(''), 'latin1');
  }

  /** Every chunk at once (for data sent several times: the graphite throughput test). */
  all(chunkBytes = 1 << 20): Buffer[] {
    const out: Buffer[] = [];
    for (let c = this.next(chunkBytes); c; c = this.next(chunkBytes)) {
      out.push(c);
    }
    return out;
  }

  private timestampLines(index: number): string {
    const ts = ' ' + (Math.floor(this.opts.startS / this.intervalS) * this.intervalS + index * this.intervalS) + '\n';
    const r = this.rand;
    const p = this.prefixes;
    const n = p.length;
    let out = '';
    for (let h = 0, i = 0; i < n; h++) {
      const s = this.hosts[h]!;
      // Random walks, bounded to sensible ranges.
      s.cpuUser = clamp(s.cpuUser + (r() - 0.5) * 6 + (s.cpuBase - s.cpuUser) * 0.1, 0.5, 90);
      s.cpuSystem = clamp(s.cpuSystem + (r() - 0.5) * 2, 0.2, 30);
      s.cpuIowait = clamp(s.cpuIowait + (r() - 0.5) * 0.8, 0, 10);
      const user = Math.round(s.cpuUser * 10);
      const system = Math.round(s.cpuSystem * 10);
      const iowait = Math.round(s.cpuIowait * 10);
      const idle = Math.max(0, 1000 - user - system - iowait);
      s.memUsed = clamp(s.memUsed + (r() - 0.5) * 0.01 * s.memTotal, 0.2 * s.memTotal, 0.85 * s.memTotal);
      s.memCached = clamp(s.memCached + (r() - 0.5) * 0.004 * s.memTotal, 0.05 * s.memTotal, 0.3 * s.memTotal);
      const used = Math.floor(s.memUsed / PAGE) * PAGE;
      const cached = Math.floor(s.memCached / PAGE) * PAGE;
      s.diskRoot += r() < 0.3 ? Math.floor(r() * 64) * PAGE : 0;
      s.diskData += Math.floor(r() * 4096) * PAGE;
      const busy = (user + system + iowait) / 1000;
      s.load1 = clamp(s.load1 + (busy * s.cores - s.load1) * 0.15 + (r() - 0.5) * 0.3, 0, 4 * s.cores);
      s.load5 = s.load5 + (s.load1 - s.load5) * 0.033;
      s.load15 = s.load15 + (s.load1 - s.load15) * 0.011;
      s.reqRate = clamp(s.reqRate * (1 + (r() - 0.5) * 0.1), 5, 2000);
      const requests = Math.round(s.reqRate * this.intervalS);
      s.rxPackets += requests * 12 + Math.floor(r() * 500);
      s.txPackets += requests * 10 + Math.floor(r() * 500);
      s.rxBytes += requests * 900 + Math.floor(r() * 50_000);
      s.txBytes += requests * 14_000 + Math.floor(r() * 50_000);
      s.latency = clamp(s.latency * (1 + (r() - 0.5) * 0.08), 5, 2000);
      const errors = r() < 0.2 ? Math.floor(r() * 0.01 * requests) : 0;
      const values = [
        fixed1(user / 10),
        fixed1(system / 10),
        fixed1(iowait / 10),
        fixed1(idle / 10),
        String(used),
        String(cached),
        String(s.memTotal - used - cached),
        String(s.diskRoot),
        String(s.diskData),
        fixed2(s.load1),
        fixed2(s.load5),
        fixed2(s.load15),
        String(s.rxBytes),
        String(s.txBytes),
        String(s.rxPackets),
        String(s.txPackets),
        fixed1(s.latency * (0.9 + r() * 0.2)),
        fixed1(s.latency * (1.8 + r() * 0.6)),
        String(requests - errors),
        String(errors),
      ];
      for (let k = 0; k < SERIES_PER_HOST && i < n; k++, i++) {
        out += p[i]! + values[k]! + ts;
        if (i * this.opts.points < this.recorded.length) {
          this.recorded[i * this.opts.points + index] = Number(values[k]);
        }
      }
    }
    return out;
  }
}

function clamp(x: number, lo: number, hi: number): number {
  return x < lo ? lo : x > hi ? hi : x;
}

/** Size of a multi-metric datagram, as etsy statsd's docs advise for a 1500-byte MTU. */
export const STATSD_MAX_DATAGRAM = 1432;

export interface StatsdOptions {
  /** Application services; each has `endpoints` endpoints. */
  services?: number;
  endpoints?: number;
  seed?: number;
}

const SERVICES = ['checkout', 'catalog', 'accounts', 'search', 'payments', 'shipping', 'reviews', 'media'];
const ENDPOINTS = ['index', 'show', 'create', 'update', 'delete', 'list', 'export', 'import', 'login', 'status'];
const STATUS = ['200', '200', '200', '200', '200', '200', '200', '201', '304', '304', '400', '404', '500'];
const PLANS = ['free', 'pro', 'team'];

export interface StatsdPackets {
  /** Datagrams of whole lines, each at most STATSD_MAX_DATAGRAM bytes. */
  packets: Buffer[];
  /** Lines in each datagram. */
  lines: number[];
  /** Distinct keys the lines use. */
  keys: number;
}

/**
 * `lineCount` statsd lines of the application's traffic, packed into datagrams. A sender cycles through
 * them; every line adds exactly one to its key's flushed `.count` (counters of 1, timers of one value).
 */
export function statsdPackets(lineCount: number, opts: StatsdOptions = {}): StatsdPackets {
  const r = prng(opts.seed ?? 7);
  const services = SERVICES.slice(0, opts.services ?? SERVICES.length);
  const endpoints = ENDPOINTS.slice(0, opts.endpoints ?? ENDPOINTS.length);
  const latency = services.map(() => endpoints.map(() => 10 + r() * 300));
  const keys = new Set<string>();
  const packets: Buffer[] = [];
  const lines: number[] = [];
  let current = '';
  let inCurrent = 0;
  const add = (line: string): void => {
    if (current.length + line.length + 1 > STATSD_MAX_DATAGRAM) {
      packets.push(Buffer.from(current, 'latin1'));
      lines.push(inCurrent);
      current = '';
      inCurrent = 0;
    }
    current += current === '' ? line : '\n' + line;
    inCurrent++;
    keys.add(line.slice(0, line.indexOf(':')));
  };
  for (let n = 0; n < lineCount;) {
    const s = Math.floor(r() * services.length);
    const e = Math.floor(r() * endpoints.length);
    const base = `app.${services[s]}.${endpoints[e]}`;
    // Log-normal-ish latency around the endpoint's typical value: integers mostly, one decimal sometimes.
    const ms = latency[s]![e]! * Math.exp((r() + r() + r() - 1.5) * 0.8);
    add(`${base}.request_time:${r() < 0.7 ? String(Math.round(ms)) : fixed1(ms)}|ms`);
    n++;
    if (n < lineCount) {
      add(`${base}.status_${STATUS[Math.floor(r() * STATUS.length)]}:1|c`);
      n++;
    }
    if (n < lineCount && r() < 0.01) {
      add(`app.${services[s]}.signup.${PLANS[Math.floor(r() * PLANS.length)]}:1|c`);
      n++;
    }
  }
  if (inCurrent > 0) {
    packets.push(Buffer.from(current, 'latin1'));
    lines.push(inCurrent);
  }
  return { packets, lines, keys: keys.size };
}

/** The fleet of `series` series split between `senders` senders by host, as each host's agent would send it. */
export function graphiteSenders(opts: GraphiteOptions, senders: number): GraphiteGenerator[] {
  const hosts = Math.ceil(opts.series / SERIES_PER_HOST);
  const out: GraphiteGenerator[] = [];
  for (let k = 0; k < senders; k++) {
    const firstHost = Math.floor((k * hosts) / senders);
    const lastHost = Math.floor(((k + 1) * hosts) / senders);
    const series = Math.min(opts.series, lastHost * SERIES_PER_HOST) - firstHost * SERIES_PER_HOST;
    if (series > 0) {
      out.push(new GraphiteGenerator({ ...opts, series, firstHost: (opts.firstHost ?? 0) + firstHost }));
    }
  }
  return out;
}
