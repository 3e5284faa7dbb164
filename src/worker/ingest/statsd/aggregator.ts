/**
 * statsd aggregation with etsy statsd 0.9's flush semantics (stats.js, lib/process_metrics.js) and the names
 * of its Graphite backend with `legacyNamespace: false`:
 *
 *   <globalPrefix>.<prefixCounter>.<key>.rate      counter / interval in seconds         (gauge)
 *   <globalPrefix>.<prefixCounter>.<key>.count     sum of value / rate                   (counter)
 *   <globalPrefix>.<prefixGauge>.<key>             last value, adjusted by +/- deltas    (gauge)
 *   <globalPrefix>.<prefixSet>.<key>.count         distinct members                      (gauge)
 *   <globalPrefix>.<prefixTimer>.<key>.<stat>      count, count_ps, sum, sum_squares, mean, lower, upper,
 *                                                  median, std (population), and per percentile p:
 *                                                  count_p, mean_p, upper_p (lower_topP for -P), sum_p,
 *                                                  sum_squares_p; histogram.bin_<limit> when configured
 *
 * Timer stats are gauges except the counts (count, count_p, histogram bins), which are counters. Each timer
 * with values also yields one Distribution named <globalPrefix>.<prefixTimer>.<key> carrying a sketch, so
 * the store can roll percentiles up exactly; its count is the number of values received (not scaled by the
 * sample rate, since sum, min, max and the sketch are of those values).
 *
 * Idle keys behave as etsy's: counters and sets report 0, timers report count and count_ps 0, gauges keep
 * their value — unless the delete* options drop them after the flush. Non-finite results (a sum that
 * overflowed) are left out of the batch. Samples are stamped with the flush interval boundary so stored
 * series are regular.
 *
 * A flush first swaps the live maps for empty ones, so lines arriving during a sliced flush count towards
 * the next interval, and then walks the old maps, carrying idle keys over.
 */
import { performance } from 'node:perf_hooks';

import type { Protocol, WorkerMetrics } from '../../selfmetrics';
import { encodeSketch, sketchOf } from '../../store/sketch';
import type { AppendBatch, Distribution, Labels, Sample, SeriesKind } from '../../store/types';
import { STATSD_REJECT_REASONS, type StatsdLine, type StatsdRejectReason, type StatsdValue, parseLine } from './parser';

export type StatsdProtocol = Extract<Protocol, 'statsd_udp' | 'statsd_tcp'>;

/** etsy's `histogram` option: timers whose key contains `metric` count their values below each bin limit. */
export interface StatsdHistogramOption {
  metric: string;
  /** Ascending exclusive upper limits; 'inf' catches the rest. */
  bins: Array<number | 'inf'>;
}

export interface StatsdAggregatorOptions {
  /** Flush interval in ms: rates are per second of it, and sample times are aligned to it. */
  flushIntervalMs: number;
  /** etsy's percentThreshold; negative values are "top" percentiles. Default [90]. */
  percentiles?: number[];
  /** Default for the four delete options below. Default false. */
  deleteIdleStats?: boolean;
  deleteCounters?: boolean;
  deleteGauges?: boolean;
  deleteTimers?: boolean;
  deleteSets?: boolean;
  /** With deleteGauges: flushes an idle gauge is still reported. Default 1. */
  gaugesMaxTTL?: number;
  /** Keys held at once, over all types; lines for new keys beyond it are shed as 'max_keys'. Default 250000. */
  maxKeys?: number;
  /** etsy's flush_counts: emit <counter>.count beside .rate. Default true. */
  flushCounts?: boolean;
  /** Name parts as etsy's Graphite backend options; an empty string leaves the part out. */
  globalPrefix?: string;
  prefixCounter?: string;
  prefixTimer?: string;
  prefixGauge?: string;
  prefixSet?: string;
  /** Appended as a last name part. Default none. */
  globalSuffix?: string;
  histogram?: StatsdHistogramOption[];
  /** Longest line, in characters, `addPacket` reads; longer ones are rejected as 'line_too_long'. Default 65536. */
  maxLineLength?: number;
  /** `flushAsync` yields to the event loop whenever it has computed for this long. Default 5 ms. */
  flushSliceMs?: number;
}

export const DEFAULT_MAX_KEYS = 250_000;
export const DEFAULT_MAX_LINE_LENGTH = 65536;

interface CounterEntry {
  labels: Labels;
  rateName: string;
  countName: string;
  value: number;
}

interface GaugeEntry {
  labels: Labels;
  outName: string;
  value: number;
  ttl: number;
}

interface TimerEntry {
  labels: Labels;
  /** `<prefix>.<key>`: the distribution's name and the stem of every stat. */
  base: string;
  values: number[];
  /** Values scaled by 1 / sample rate. */
  count: number;
  bins: Array<number | 'inf'> | undefined;
  /** Stat names in emission order, built at the first flush with values. */
  names: string[] | undefined;
}

interface SetEntry {
  labels: Labels;
  outName: string;
  members: Set<string>;
}

interface Pct {
  pct: number;
  suffixes: [count: string, mean: string, bound: string, sum: string, sumSquares: string];
}

type Inc = { inc(n?: number): void };

interface ProtocolCounters {
  received: Inc;
  accepted: Inc;
  shedKeys: Inc;
  rejected: Map<StatsdRejectReason, Inc>;
}

function namespace(parts: Array<string | undefined>): string {
  let out = '';
  for (const p of parts) {
    if (p !== undefined && p !== '') {
      out += p + '.';
    }
  }
  return out;
}

/** etsy's `clean_pct`: the first "." becomes "_", the first "-" becomes "top". */
function cleanPercentile(pct: number): string {
  return String(pct).replace('.', '_').replace('-', 'top');
}

function setImmediatePromise(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

export class StatsdAggregator {
  private readonly intervalMs: number;
  private readonly intervalS: number;
  private readonly pcts: Pct[];
  private readonly deleteCounters: boolean;
  private readonly deleteGauges: boolean;
  private readonly deleteTimers: boolean;
  private readonly deleteSets: boolean;
  private readonly gaugesMaxTTL: number;
  private readonly maxKeys: number;
  private readonly flushCounts: boolean;
  private readonly counterNs: string;
  private readonly gaugeNs: string;
  private readonly timerNs: string;
  private readonly setNs: string;
  private readonly suffix: string;
  private readonly histogram: StatsdHistogramOption[];
  private readonly maxLineLength: number;
  private readonly sliceMs: number;
  private readonly counters: Record<StatsdProtocol, ProtocolCounters>;

  private liveCounters = new Map<string, CounterEntry>();
  private liveGauges = new Map<string, GaugeEntry>();
  private liveTimers = new Map<string, TimerEntry>();
  private liveSets = new Map<string, SetEntry>();
  /** What the flush in progress has not reached yet; keys there are not new. */
  private pendingCounters = new Map<string, CounterEntry>();
  private pendingGauges = new Map<string, GaugeEntry>();
  private pendingTimers = new Map<string, TimerEntry>();
  private pendingSets = new Map<string, SetEntry>();
  private keyCount = 0;
  private lastFlushT = -Infinity;
  private sliceStart = 0;
  private sliceWork = 0;
  private inProgress: Generator<void, void, void> | undefined;
  /** Scratch for the sorted values and cumulative sums of one timer, grown as needed. */
  private sorted = new Float64Array(1024);
  private cumSum = new Float64Array(1024);
  private cumSquares = new Float64Array(1024);

  constructor(
    options: StatsdAggregatorOptions,
    private readonly metrics: WorkerMetrics
  ) {
    if (!(options.flushIntervalMs > 0)) {
      throw new RangeError('statsd flushIntervalMs must be above 0');
    }
    this.intervalMs = options.flushIntervalMs;
    this.intervalS = options.flushIntervalMs / 1000;
    const percentiles = options.percentiles ?? [90];
    for (const p of percentiles) {
      if (!Number.isFinite(p) || p === 0 || Math.abs(p) > 100) {
        throw new RangeError(`statsd percentile ${p} must be in [-100, 0) or (0, 100]`);
      }
    }
    this.pcts = percentiles.map((pct) => {
      const c = cleanPercentile(pct);
      return {
        pct,
        suffixes: ['count_' + c, 'mean_' + c, (pct > 0 ? 'upper_' : 'lower_') + c, 'sum_' + c, 'sum_squares_' + c],
      };
    });
    const deleteIdle = options.deleteIdleStats ?? false;
    this.deleteCounters = options.deleteCounters ?? deleteIdle;
    this.deleteGauges = options.deleteGauges ?? deleteIdle;
    this.deleteTimers = options.deleteTimers ?? deleteIdle;
    this.deleteSets = options.deleteSets ?? deleteIdle;
    const ttl = options.gaugesMaxTTL ?? 1;
    // etsy's rule: anything but an integer above 1 means 1.
    this.gaugesMaxTTL = Number.isInteger(ttl) && ttl > 1 ? ttl : 1;
    this.maxKeys = options.maxKeys ?? DEFAULT_MAX_KEYS;
    this.flushCounts = options.flushCounts ?? true;
    const global = options.globalPrefix ?? 'stats';
    this.counterNs = namespace([global, options.prefixCounter ?? 'counters']);
    this.gaugeNs = namespace([global, options.prefixGauge ?? 'gauges']);
    this.timerNs = namespace([global, options.prefixTimer ?? 'timers']);
    this.setNs = namespace([global, options.prefixSet ?? 'sets']);
    this.suffix = options.globalSuffix !== undefined && options.globalSuffix !== '' ? '.' + options.globalSuffix : '';
    this.histogram = options.histogram ?? [];
    this.maxLineLength = options.maxLineLength ?? DEFAULT_MAX_LINE_LENGTH;
    this.sliceMs = options.flushSliceMs ?? 5;
    this.counters = { statsd_udp: this.countersFor('statsd_udp'), statsd_tcp: this.countersFor('statsd_tcp') };
  }

  /** Distinct keys held, over all types, including idle ones kept for their zero reports. */
  get keys(): number {
    return this.keyCount;
  }

  /**
   * Parses and aggregates newline-separated lines (a "\r" before the newline is fine, blank lines are
   * skipped uncounted), counting every line as received and then as accepted, rejected or shed.
   * Returns the number of lines accepted.
   */
  addPacket(text: string, protocol: StatsdProtocol): number {
    const c = this.counters[protocol];
    const len = text.length;
    let pos = 0;
    let lines = 0;
    let accepted = 0;
    while (pos < len) {
      let eol = text.indexOf('\n', pos);
      if (eol < 0) {
        eol = len;
      }
      let end = eol;
      if (end > pos && text.charCodeAt(end - 1) === 0x0d) {
        end--;
      }
      const start = pos;
      pos = eol + 1;
      if (end === start) {
        continue;
      }
      lines++;
      const r = end - start > this.maxLineLength ? 'line_too_long' : parseLine(text, start, end);
      if (typeof r === 'string') {
        c.rejected.get(r)!.inc();
      } else if (this.add(r, protocol)) {
        accepted++;
      }
    }
    if (lines > 0) {
      c.received.inc(lines);
    }
    if (accepted > 0) {
      c.accepted.inc(accepted);
    }
    return accepted;
  }

  /**
   * Aggregates one parsed line. Returns false when a value needed a new key beyond maxKeys: that value is
   * dropped and the line counted as shed (the line's other values are kept).
   */
  add(line: StatsdLine, protocol: StatsdProtocol): boolean {
    let ok = this.addValue(line, line);
    const more = line.more;
    if (more !== undefined) {
      for (const v of more) {
        ok = this.addValue(line, v) && ok;
      }
    }
    if (!ok) {
      this.counters[protocol].shedKeys.inc();
    }
    return ok;
  }

  /** Computes the interval's batch at once. Prefer `flushAsync` where many keys may be held. */
  flush(nowMs: number): AppendBatch {
    this.finishInProgress();
    const batch: AppendBatch = { samples: [], distributions: [] };
    const steps = this.steps(this.stampFor(nowMs), batch.samples!, batch.distributions!);
    const started = performance.now();
    while (!steps.next().done);
    this.observe(performance.now() - started);
    return batch;
  }

  /**
   * Computes the interval's batch in slices of about `flushSliceMs`, yielding to the event loop between
   * them; lines added meanwhile belong to the next interval.
   */
  async flushAsync(nowMs: number): Promise<AppendBatch> {
    this.finishInProgress();
    const batch: AppendBatch = { samples: [], distributions: [] };
    const steps = this.steps(this.stampFor(nowMs), batch.samples!, batch.distributions!);
    this.inProgress = steps;
    let busy = 0;
    for (;;) {
      const started = performance.now();
      this.sliceStart = started;
      const done = steps.next().done;
      busy += performance.now() - started;
      if (done) {
        break;
      }
      await setImmediatePromise();
    }
    if (this.inProgress === steps) {
      this.inProgress = undefined;
    }
    this.observe(busy);
    return batch;
  }

  private countersFor(protocol: StatsdProtocol): ProtocolCounters {
    const m = this.metrics;
    const rejected = new Map<StatsdRejectReason, Inc>();
    for (const reason of STATSD_REJECT_REASONS) {
      rejected.set(reason, m.linesRejected.labels(protocol, reason));
    }
    return {
      received: m.linesReceived.labels(protocol),
      accepted: m.samplesAccepted.labels(protocol),
      shedKeys: m.shed.labels(protocol, 'max_keys'),
      rejected,
    };
  }

  /** A flush still being sliced completes first, so two flushes never interleave. */
  private finishInProgress(): void {
    const previous = this.inProgress;
    if (previous !== undefined) {
      this.inProgress = undefined;
      while (!previous.next().done);
    }
  }

  /**
   * The interval boundary at or before `nowMs`; if an earlier flush already used it (a flush on stop, or a
   * timer firing early), the next one, so no series gets two points at one time.
   */
  private stampFor(nowMs: number): number {
    let t = Math.floor(nowMs / this.intervalMs) * this.intervalMs;
    if (t <= this.lastFlushT) {
      t = this.lastFlushT + this.intervalMs;
    }
    this.lastFlushT = t;
    return t;
  }

  private observe(ms: number): void {
    this.metrics.statsdFlushDuration.observe(ms / 1000);
    this.metrics.statsdKeys.set(this.keyCount);
  }

  /** True when a key absent from the live maps may be created. */
  private admit(pending: Map<string, unknown>, id: string): boolean {
    if (pending.has(id)) {
      return true;
    }
    if (this.keyCount >= this.maxKeys) {
      return false;
    }
    this.keyCount++;
    return true;
  }

  private addValue(line: StatsdLine, v: StatsdValue): boolean {
    const id = line.id;
    switch (v.type) {
      case 'c': {
        let e = this.liveCounters.get(id);
        if (e === undefined) {
          if (!this.admit(this.pendingCounters, id)) {
            return false;
          }
          const stem = this.counterNs + line.name;
          e = {
            labels: line.labels ?? {},
            rateName: stem + '.rate' + this.suffix,
            countName: stem + '.count' + this.suffix,
            value: 0,
          };
          this.liveCounters.set(id, e);
        }
        // etsy's exact expression, not value / rate, which can differ in the last bit.
        e.value += v.value * (1 / v.rate);
        return true;
      }
      case 'g': {
        let e = this.liveGauges.get(id);
        if (e === undefined) {
          const previous = this.pendingGauges.get(id);
          if (previous === undefined && !this.admit(this.pendingGauges, id)) {
            return false;
          }
          // A gauge the flush in progress will delete is gone for lines of the new interval.
          const carried = previous !== undefined && (!this.deleteGauges || previous.ttl > 1);
          e = {
            labels: line.labels ?? {},
            outName: this.gaugeNs + line.name + this.suffix,
            value: carried ? previous.value : 0,
            ttl: 0,
          };
          this.liveGauges.set(id, e);
        }
        e.value = v.delta ? e.value + v.value : v.value;
        e.ttl = this.gaugesMaxTTL;
        return true;
      }
      case 'ms':
      case 'h': {
        let e = this.liveTimers.get(id);
        if (e === undefined) {
          if (!this.admit(this.pendingTimers, id)) {
            return false;
          }
          e = {
            labels: line.labels ?? {},
            base: this.timerNs + line.name,
            values: [],
            count: 0,
            bins: this.binsFor(line.name),
            names: undefined,
          };
          this.liveTimers.set(id, e);
        }
        e.values.push(v.value);
        e.count += 1 / v.rate;
        return true;
      }
      case 's': {
        let e = this.liveSets.get(id);
        if (e === undefined) {
          if (!this.admit(this.pendingSets, id)) {
            return false;
          }
          e = {
            labels: line.labels ?? {},
            outName: this.setNs + line.name + '.count' + this.suffix,
            members: new Set(),
          };
          this.liveSets.set(id, e);
        }
        e.members.add(v.member!);
        return true;
      }
    }
  }

  /** etsy matches histogram options against the whole key; we match the name, since tags are labels here. */
  private binsFor(name: string): Array<number | 'inf'> | undefined {
    for (const h of this.histogram) {
      if (name.includes(h.metric)) {
        return h.bins.length > 0 ? h.bins : undefined;
      }
    }
    return undefined;
  }

  /**
   * A key that is dropped instead of carried over leaves the key count, unless a line of the new interval
   * has already recreated it.
   */
  private drop(live: Map<string, unknown>, id: string): void {
    if (!live.has(id)) {
      this.keyCount--;
    }
  }

  /**
   * Whether the current slice has run its time; the clock is read every 64 units of work (a key, or 16
   * timer values). `flushAsync` starts each slice's clock.
   */
  private sliceDue(work: number): boolean {
    this.sliceWork += work;
    if (this.sliceWork < 64) {
      return false;
    }
    this.sliceWork = 0;
    return performance.now() - this.sliceStart >= this.sliceMs;
  }

  private *steps(t: number, samples: Sample[], distributions: Distribution[]): Generator<void, void, void> {
    const counters = this.liveCounters;
    const timers = this.liveTimers;
    const gauges = this.liveGauges;
    const sets = this.liveSets;
    this.pendingCounters = counters;
    this.pendingTimers = timers;
    this.pendingGauges = gauges;
    this.pendingSets = sets;
    this.liveCounters = new Map();
    this.liveTimers = new Map();
    this.liveGauges = new Map();
    this.liveSets = new Map();

    const push = (name: string, labels: Labels, v: number, kind: SeriesKind): void => {
      if (v - v === 0) {
        samples.push({ name, labels, t, v, kind });
      }
    };
    this.sliceStart = performance.now();
    this.sliceWork = 0;

    for (const [id, e] of counters) {
      counters.delete(id);
      push(e.rateName, e.labels, e.value / this.intervalS, 'gauge');
      if (this.flushCounts) {
        push(e.countName, e.labels, e.value, 'counter');
      }
      if (this.deleteCounters) {
        this.drop(this.liveCounters, id);
      } else if (!this.liveCounters.has(id)) {
        e.value = 0;
        this.liveCounters.set(id, e);
      }
      if (this.sliceDue(1)) {
        yield;
      }
    }

    for (const [id, e] of timers) {
      timers.delete(id);
      const work = 1 + (e.values.length >> 4);
      if (e.values.length > 0) {
        this.emitTimer(e, t, push, distributions);
      } else {
        push(e.base + '.count' + this.suffix, e.labels, 0, 'counter');
        push(e.base + '.count_ps' + this.suffix, e.labels, 0, 'gauge');
      }
      if (this.deleteTimers) {
        this.drop(this.liveTimers, id);
      } else if (!this.liveTimers.has(id)) {
        e.values = [];
        e.count = 0;
        this.liveTimers.set(id, e);
      }
      if (this.sliceDue(work)) {
        yield;
      }
    }

    for (const [id, e] of gauges) {
      gauges.delete(id);
      push(e.outName, e.labels, e.value, 'gauge');
      if (this.deleteGauges && --e.ttl < 1) {
        this.drop(this.liveGauges, id);
      } else if (!this.liveGauges.has(id)) {
        this.liveGauges.set(id, e);
      }
      if (this.sliceDue(1)) {
        yield;
      }
    }

    for (const [id, e] of sets) {
      sets.delete(id);
      push(e.outName, e.labels, e.members.size, 'gauge');
      if (this.deleteSets) {
        this.drop(this.liveSets, id);
      } else if (!this.liveSets.has(id)) {
        e.members = new Set();
        this.liveSets.set(id, e);
      }
      if (this.sliceDue(1)) {
        yield;
      }
    }
  }

  private timerNames(e: TimerEntry): string[] {
    const stem = e.base + '.';
    const names: string[] = [];
    for (const p of this.pcts) {
      for (const s of p.suffixes) {
        names.push(stem + s + this.suffix);
      }
    }
    for (const s of ['std', 'upper', 'lower', 'count', 'count_ps', 'sum', 'sum_squares', 'mean', 'median']) {
      names.push(stem + s + this.suffix);
    }
    for (const b of e.bins ?? []) {
      names.push(stem + 'histogram.bin_' + String(b).replace('.', '_') + this.suffix);
    }
    return names;
  }

  /** process_metrics.js's arithmetic, operation for operation, so results match etsy's to the last bit. */
  private emitTimer(
    e: TimerEntry,
    t: number,
    push: (name: string, labels: Labels, v: number, kind: SeriesKind) => void,
    distributions: Distribution[]
  ): void {
    const raw = e.values;
    const count = raw.length;
    if (this.sorted.length < count) {
      const size = Math.max(count, this.sorted.length * 2);
      this.sorted = new Float64Array(size);
      this.cumSum = new Float64Array(size);
      this.cumSquares = new Float64Array(size);
    }
    const values = this.sorted.subarray(0, count);
    values.set(raw);
    values.sort();
    const cum = this.cumSum;
    const cumSq = this.cumSquares;
    const min = values[0]!;
    const max = values[count - 1]!;
    cum[0] = min;
    cumSq[0] = min * min;
    for (let i = 1; i < count; i++) {
      cum[i] = values[i]! + cum[i - 1]!;
      cumSq[i] = values[i]! * values[i]! + cumSq[i - 1]!;
    }
    const names = (e.names ??= this.timerNames(e));
    const labels = e.labels;
    let k = 0;
    for (const p of this.pcts) {
      let n = count;
      let sum = min;
      let sumSquares = min * min;
      let mean = min;
      let bound = max;
      if (count > 1) {
        n = Math.round((Math.abs(p.pct) / 100) * count);
        if (n === 0) {
          k += 5;
          continue;
        }
        if (p.pct > 0) {
          bound = values[n - 1]!;
          sum = cum[n - 1]!;
          sumSquares = cumSq[n - 1]!;
        } else {
          bound = values[count - n]!;
          // etsy reads cum[-1] (undefined, so NaN) when the top percentile covers every value; the sum of
          // all values is what it means.
          const below = count - n - 1;
          sum = below >= 0 ? cum[count - 1]! - cum[below]! : cum[count - 1]!;
          sumSquares = below >= 0 ? cumSq[count - 1]! - cumSq[below]! : cumSq[count - 1]!;
        }
        mean = sum / n;
      }
      push(names[k++]!, labels, n, 'counter');
      push(names[k++]!, labels, mean, 'gauge');
      push(names[k++]!, labels, bound, 'gauge');
      push(names[k++]!, labels, sum, 'gauge');
      push(names[k++]!, labels, sumSquares, 'gauge');
    }
    const sum = cum[count - 1]!;
    const sumSquares = cumSq[count - 1]!;
    const mean = sum / count;
    let sumOfDiffs = 0;
    for (let i = 0; i < count; i++) {
      sumOfDiffs += (values[i]! - mean) * (values[i]! - mean);
    }
    const mid = Math.floor(count / 2);
    const median = count % 2 ? values[mid]! : (values[mid - 1]! + values[mid]!) / 2;
    push(names[k++]!, labels, Math.sqrt(sumOfDiffs / count), 'gauge');
    push(names[k++]!, labels, max, 'gauge');
    push(names[k++]!, labels, min, 'gauge');
    push(names[k++]!, labels, e.count, 'counter');
    push(names[k++]!, labels, e.count / this.intervalS, 'gauge');
    push(names[k++]!, labels, sum, 'gauge');
    push(names[k++]!, labels, sumSquares, 'gauge');
    push(names[k++]!, labels, mean, 'gauge');
    push(names[k++]!, labels, median, 'gauge');
    if (e.bins !== undefined) {
      // Values at or above the last limit are not counted, by etsy's design.
      let i = 0;
      for (const limit of e.bins) {
        let freq = 0;
        for (; i < count && (limit === 'inf' || values[i]! < limit); i++) {
          freq++;
        }
        push(names[k++]!, labels, freq, 'counter');
      }
    }
    if (sum - sum === 0) {
      distributions.push({
        name: e.base + this.suffix,
        labels,
        t,
        agg: { count, sum, min, max, last: raw[count - 1]!, lastT: t, sketch: encodeSketch(sketchOf(values)) },
      });
    }
  }
}
