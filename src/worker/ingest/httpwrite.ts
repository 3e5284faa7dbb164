/**
 * The body of `POST /api/v1/write`: one item or an array of items, each either
 *   { "name": "a.b", "labels": { "k": "v" }, "points": [[ts, value], ...], "kind": "gauge" }
 * or
 *   { "name": "a.b", "labels": { "k": "v" }, "value": 1.5, "timestamp": ts }   (timestamp defaults to now)
 * with timestamps in Unix seconds (fractions allowed) and `labels` and `kind` optional.
 *
 * Validation is complete rather than fail-fast: the route rejects the whole request when anything is wrong
 * (so a client can retry it as a unit), and the client should learn every mistake from one response.
 * Unknown fields are errors, because a misspelt "timestamp" would otherwise silently write at now.
 * Within one item's points only the first bad point is reported, which keeps the answer proportional to
 * the number of items, not of points.
 */
import type { Labels, Sample, SeriesKind } from '../store/types';
import { checkMetricName, checkTagName, checkTagValue } from './labels';

/** Stable, low-cardinality reasons for the rejection counters. */
export type WriteRejectReason =
  | 'bad_body'
  | 'not_object'
  | 'unknown_field'
  | 'bad_name'
  | 'bad_label'
  | 'bad_kind'
  | 'bad_points'
  | 'bad_value'
  | 'bad_timestamp';

export const WRITE_REJECT_REASONS: readonly WriteRejectReason[] = [
  'bad_body',
  'not_object',
  'unknown_field',
  'bad_name',
  'bad_label',
  'bad_kind',
  'bad_points',
  'bad_value',
  'bad_timestamp',
];

export interface WriteError {
  /** Position of the item in the body (0 for a single object). */
  index: number;
  /** Where in the item: `name`, `labels.host`, `points[3]`, ... */
  field?: string;
  error: string;
  reason: WriteRejectReason;
}

export interface ParsedWrite {
  /** Samples of the valid items; the samples of one item share its labels object. */
  samples: Sample[];
  errors: WriteError[];
}

/** 9999-12-31T23:59:59Z, as for Graphite plaintext: later means a millisecond timestamp was sent. */
const MAX_TIMESTAMP_S = 253402300799;
const TIMESTAMP_ERROR = 'must be Unix seconds between 0 and 253402300799 (fractions allowed)';

const KINDS: ReadonlySet<string> = new Set<SeriesKind>(['gauge', 'counter', 'timer', 'set', 'untyped']);
const FIELDS: ReadonlySet<string> = new Set(['name', 'labels', 'points', 'value', 'timestamp', 'kind']);

export function parseWriteBody(body: unknown, nowMs: number): ParsedWrite {
  const samples: Sample[] = [];
  const errors: WriteError[] = [];
  if (Array.isArray(body)) {
    for (let i = 0; i < body.length; i++) {
      parseItem(body[i], i, nowMs, samples, errors);
    }
  } else if (isPlainObject(body)) {
    parseItem(body, 0, nowMs, samples, errors);
  } else {
    errors.push({ index: 0, error: 'body must be a JSON object or an array of objects', reason: 'bad_body' });
  }
  return { samples, errors };
}

function parseItem(item: unknown, index: number, nowMs: number, samples: Sample[], errors: WriteError[]): void {
  const errorCount = errors.length;
  const fail = (field: string | undefined, error: string, reason: WriteRejectReason) => {
    errors.push(field === undefined ? { index, error, reason } : { index, field, error, reason });
  };
  if (!isPlainObject(item)) {
    fail(undefined, 'item must be an object', 'not_object');
    return;
  }
  for (const key of Object.keys(item)) {
    if (!FIELDS.has(key)) {
      fail(key, 'unknown field (expected name, labels, points, value, timestamp, kind)', 'unknown_field');
    }
  }

  const name = item.name;
  if (typeof name !== 'string') {
    fail('name', name === undefined ? 'is required' : 'must be a string', 'bad_name');
  } else {
    const problem = checkMetricName(name);
    if (problem) {
      fail('name', problem, 'bad_name');
    }
  }

  const labels: Labels = {};
  if (item.labels !== undefined) {
    if (!isPlainObject(item.labels)) {
      fail('labels', 'must be an object of string values', 'bad_label');
    } else {
      for (const [key, value] of Object.entries(item.labels)) {
        const problem =
          key === 'name'
            ? 'label "name" is reserved: the series name is the "name" field'
            : (checkTagName(key) ??
              (typeof value === 'string' ? checkTagValue(value) : 'label values must be strings'));
        if (problem) {
          fail('labels.' + key, problem, 'bad_label');
        } else {
          labels[key] = value as string;
        }
      }
    }
  }

  const kind = item.kind;
  if (kind !== undefined && (typeof kind !== 'string' || !KINDS.has(kind))) {
    fail('kind', 'must be one of gauge, counter, timer, set, untyped', 'bad_kind');
  }

  const points: Array<[number, number]> = [];
  if (item.points !== undefined) {
    if (item.value !== undefined) {
      fail('value', 'give either "points" or "value" (with an optional "timestamp"), not both', 'bad_value');
    }
    if (item.timestamp !== undefined) {
      fail('timestamp', 'only goes with "value"; each point carries its own timestamp', 'bad_timestamp');
    }
    collectPoints(item.points, points, fail);
  } else if (item.value === undefined) {
    fail('points', 'either "points" or "value" is required', 'bad_points');
  } else {
    let t = nowMs;
    if (item.timestamp !== undefined) {
      t = toMillis(item.timestamp);
      if (t < 0) {
        fail('timestamp', TIMESTAMP_ERROR, 'bad_timestamp');
      }
    }
    if (!isFiniteNumber(item.value)) {
      fail('value', 'must be a finite number', 'bad_value');
    } else if (t >= 0) {
      points.push([t, item.value]);
    }
  }

  if (errors.length > errorCount) {
    return;
  }
  for (const [t, v] of points) {
    samples.push({ name: name as string, labels, t, v, kind: kind as SeriesKind | undefined });
  }
}

function collectPoints(
  raw: unknown,
  out: Array<[number, number]>,
  fail: (field: string, error: string, reason: WriteRejectReason) => void
): void {
  if (!Array.isArray(raw) || raw.length === 0) {
    fail('points', 'must be a non-empty array of [timestamp, value] pairs', 'bad_points');
    return;
  }
  for (let i = 0; i < raw.length; i++) {
    const point: unknown = raw[i];
    const field = 'points[' + i + ']';
    if (!Array.isArray(point) || point.length !== 2) {
      fail(field, 'must be a [timestamp, value] pair', 'bad_points');
      return;
    }
    const t = toMillis(point[0]);
    if (t < 0) {
      fail(field, 'timestamp ' + TIMESTAMP_ERROR, 'bad_timestamp');
      return;
    }
    if (!isFiniteNumber(point[1])) {
      fail(field, 'value must be a finite number', 'bad_value');
      return;
    }
    out.push([t, point[1]]);
  }
}

/** Milliseconds, or -1 when not a valid timestamp in seconds. */
function toMillis(seconds: unknown): number {
  if (typeof seconds !== 'number' || !(seconds >= 0 && seconds <= MAX_TIMESTAMP_S)) {
    return -1;
  }
  // "+ 0" turns the -0 that a "-0" in the body would give into 0.
  return Math.round(seconds * 1000) + 0;
}

function isFiniteNumber(x: unknown): x is number {
  return typeof x === 'number' && Number.isFinite(x);
}

function isPlainObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}
