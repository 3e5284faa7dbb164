/**
 * Rule evaluation: run the rule's target over its window, reduce each series to one value, and compare it with the
 * condition. The result is one observation per series instance plus one for the rule itself; the state machine
 * (states.ts) turns observations into states.
 *
 * The rule's own instance (key '') watches the whole result: no series with data in the window is "no data" (or what
 * the rule's noDataState says), fewer than `minSeries` series with data fires (Cabot's expected_num_hosts), and a
 * failed or timed-out query is "error". A series with no data of its own goes to "no data" without a notification:
 * the rule's instance speaks for missing data. While the query fails, series instances keep their state.
 */
import type { AlertReducer } from '../../shared/api';
import { percentile, safeAvg, safeCount, safeLast, safeMax, safeMin, safeSum, type Row } from '../query/aggfuncs';
import type { Series } from '../query/types';
import { formatDuration } from '../config/durations';
import type { AlertRule } from './rules';
import type { Observation } from './states';
import { formatValue } from './templates';

/**
 * What alerting needs of the query engine: the series a target expression yields between two times (Unix seconds,
 * `from` inclusive, `until` exclusive).
 */
export interface SeriesQuery {
  query(target: string, from: number, until: number): Promise<Series[]>;
}

export interface InstanceObservation {
  /** '' for the rule's own instance; else the series' tags, canonical (see instanceKey). */
  key: string;
  /** The series' tags under the rule's labels, `alertname` and `rule_uid`. */
  labels: Record<string, string>;
  ruleLevel: boolean;
  observation: Observation;
}

export interface RuleEvaluation {
  /** ms */
  at: number;
  durationMs: number;
  error?: string;
  instances: InstanceObservation[];
}

export class QueryTimeoutError extends Error {}

/** Queries the rule's window ending at `now` (ms) and observes the result. A failing query becomes an error observation. */
export async function evaluateRule(
  rule: AlertRule,
  source: SeriesQuery,
  now: number,
  timeoutMs: number,
  clock: () => number = Date.now
): Promise<RuleEvaluation> {
  const started = clock();
  try {
    const series = await withTimeout(
      source.query(rule.target, (now - rule.windowMs) / 1000, now / 1000),
      timeoutMs,
      () => new QueryTimeoutError(`the query took longer than ${formatDuration(timeoutMs)}`)
    );
    return { at: now, durationMs: clock() - started, instances: observe(rule, series, now) };
  } catch (e) {
    const error = `query failed: ${(e as Error).message}`;
    return {
      at: now,
      durationMs: clock() - started,
      error,
      instances: [
        { key: '', labels: ruleLabels(rule), ruleLevel: true, observation: { kind: 'error', reason: error } },
      ],
    };
  }
}

/** Observations for series already fetched; only points in the window ending at `now` (ms) count. */
export function observe(rule: AlertRule, series: readonly Series[], now: number): InstanceObservation[] {
  const from = (now - rule.windowMs) / 1000;
  const until = now / 1000;
  const window = formatDuration(rule.windowMs);
  const out: InstanceObservation[] = [];
  const seen = new Map<string, number>();
  let reporting = 0;
  for (const s of series) {
    const value = reduce(rule.reducer, valuesBetween(s, from, until));
    if (value !== null) reporting++;
    if (!rule.condition) continue;
    const tags = seriesLabels(s);
    let key = instanceKey(tags);
    // Two series with the same tags (after an alias) must still be two instances.
    const dup = (seen.get(key) ?? 0) + 1;
    seen.set(key, dup);
    if (dup > 1) key = `${key}#${dup}`;
    const observation: Observation =
      value === null
        ? { kind: 'nodata', reason: `no data in the last ${window}` }
        : compare(rule, value, `${rule.reducer} over ${window}`);
    out.push({ key, labels: { ...tags, ...ruleLabels(rule) }, ruleLevel: false, observation });
  }
  out.push({
    key: '',
    labels: ruleLabels(rule),
    ruleLevel: true,
    observation: ruleObservation(rule, reporting, window),
  });
  return out;
}

function ruleObservation(rule: AlertRule, reporting: number, window: string): Observation {
  if (reporting === 0) {
    const reason = `no series has data in the last ${window}`;
    if (rule.noDataState === 'nodata') return { kind: 'nodata', reason };
    return { kind: rule.noDataState === 'alerting' ? 'breach' : 'clear', value: 0, reason };
  }
  if (rule.minSeries !== undefined && reporting < rule.minSeries) {
    return {
      kind: 'breach',
      value: reporting,
      reason: `${reporting} series reporting, expected at least ${rule.minSeries}`,
    };
  }
  return { kind: 'clear', value: reporting, reason: `${reporting} series reporting` };
}

/** Hound's comparison: `above` fires at or over the threshold, `below` at or under it. */
function compare(rule: AlertRule, value: number, how: string): Observation {
  const { op, threshold, recoveryThreshold } = rule.condition!;
  const shown = `${formatValue(value)} (${how})`;
  const over = op === 'above' ? value >= threshold : value <= threshold;
  if (over) return { kind: 'breach', value, reason: `${shown} ${op === 'above' ? '>=' : '<='} ${threshold}` };
  const recovered =
    recoveryThreshold === undefined || (op === 'above' ? value <= recoveryThreshold : value >= recoveryThreshold);
  if (recovered) {
    return { kind: 'clear', value, reason: `${shown} ${op === 'above' ? '<' : '>'} ${recoveryThreshold ?? threshold}` };
  }
  return { kind: 'hold', value, reason: `${shown} not yet past the recovery threshold ${recoveryThreshold}` };
}

/** The rule's labels with `alertname` (its title) and `rule_uid`, which every instance carries. */
export function ruleLabels(rule: AlertRule): Record<string, string> {
  return { ...rule.labels, alertname: rule.title, rule_uid: rule.uid };
}

/** A series' tags, with its name as `name` when the tags lack one. */
export function seriesLabels(s: Series): Record<string, string> {
  return s.tags.name === undefined ? { ...s.tags, name: s.name } : s.tags;
}

/** A label set as one string, names sorted, values quoted: `host="web1",name="servers.web1.cpu"`. */
export function instanceKey(tags: Readonly<Record<string, string>>): string {
  return Object.keys(tags)
    .sort()
    .map((k) => `${k}=${JSON.stringify(tags[k])}`)
    .join(',');
}

function valuesBetween(s: Series, from: number, until: number): Row {
  const first = Math.max(0, Math.ceil((from - s.start) / s.step));
  const end = Math.min(s.values.length, Math.ceil((until - s.start) / s.step));
  return first >= end ? [] : s.values.slice(first, end);
}

/** Graphite's aggregation semantics (nulls skipped); null when the window holds no value at all. */
export function reduce(reducer: AlertReducer, values: Row): number | null {
  if (safeCount(values) === 0) return null;
  switch (reducer) {
    case 'last':
      return safeLast(values);
    case 'avg':
      return safeAvg(values);
    case 'min':
      return safeMin(values);
    case 'max':
      return safeMax(values);
    case 'sum':
      return safeSum(values);
    case 'count':
      return safeCount(values);
    default:
      return percentile(values, Number(reducer.slice(1)));
  }
}

export function withTimeout<T>(promise: Promise<T>, ms: number, error: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(error()), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
