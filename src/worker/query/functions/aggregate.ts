import { type AggFunc, getAggFunc } from '../aggfuncs';
import { commonTags, formatPathExpressions, makeSeries, type Normalized, normalize, type Value } from '../seriesutil';
import type { EvalContext, FunctionDef, Series } from '../types';
import { aggFuncParam, isSet, SERIES_LIST } from './common';

/**
 * Sum, average, min, max and count over series as plain column accumulations: one pass per
 * series, no per-point allocation. Same addition order as Python's sum() over the row.
 */
function accumulate(norm: Normalized, func: string): Value[] | undefined {
  const { length } = norm;
  const kind =
    func === 'sum' || func === 'total'
      ? 'sum'
      : func === 'average' || func === 'avg'
        ? 'avg'
        : func === 'min' || func === 'max' || func === 'count'
          ? func
          : undefined;
  if (kind === undefined) {
    return undefined;
  }
  // Dense store columns mark an empty point with NaN; in other values NaN is a value (it makes a sum NaN).
  const dense = norm.dense();
  const values: ReadonlyArray<ArrayLike<Value>> = dense ?? norm.values;
  const nanIsNull = dense !== undefined;
  const acc = new Float64Array(length);
  const counts = new Uint32Array(length);
  for (const arr of values) {
    const n = arr.length;
    if (kind === 'sum' || kind === 'avg') {
      for (let i = 0; i < n; i++) {
        const v = arr[i];
        if (v !== null && v !== undefined && (v === v || !nanIsNull)) {
          acc[i] += v;
          counts[i]++;
        }
      }
    } else if (kind === 'min') {
      for (let i = 0; i < n; i++) {
        const v = arr[i];
        if (v !== null && v !== undefined && (v === v || !nanIsNull) && (counts[i]++ === 0 || v < acc[i]!)) {
          acc[i] = v;
        }
      }
    } else if (kind === 'max') {
      for (let i = 0; i < n; i++) {
        const v = arr[i];
        if (v !== null && v !== undefined && (v === v || !nanIsNull) && (counts[i]++ === 0 || v > acc[i]!)) {
          acc[i] = v;
        }
      }
    } else {
      for (let i = 0; i < n; i++) {
        const v = arr[i];
        if (v !== null && v !== undefined && (v === v || !nanIsNull)) {
          counts[i]++;
        }
      }
    }
  }
  const out: Value[] = new Array(length);
  for (let i = 0; i < length; i++) {
    const c = counts[i]!;
    out[i] = c === 0 ? null : kind === 'avg' ? acc[i]! / c : kind === 'count' ? c : acc[i]!;
  }
  return out;
}

function byRow(norm: Normalized, agg: AggFunc, xFilesFactor: number): Value[] {
  const { values, length } = norm;
  const row: Value[] = new Array(values.length);
  const out: Value[] = new Array(length);
  for (let i = 0; i < length; i++) {
    let nonNull = 0;
    for (let j = 0; j < values.length; j++) {
      const v = values[j]![i] ?? null;
      row[j] = v;
      if (v !== null) {
        nonNull++;
      }
    }
    out[i] = nonNull > 0 && nonNull / values.length >= xFilesFactor ? agg(row) : null;
  }
  return out;
}

/**
 * graphite-web's aggregate(): one series named `<func>Series(<path expressions>)`, tagged with the
 * tags all inputs share plus `aggregatedBy`. `func` may carry a `Series` suffix (sumSeries). A point
 * is null unless the share of non-null inputs there reaches xFilesFactor (default: the request's,
 * else 0, meaning at least one).
 */
export function aggregateLists(
  ctx: EvalContext,
  lists: ReadonlyArray<readonly Series[]>,
  rawFunc: string,
  xFilesFactor?: number | null
): Series[] {
  const func = rawFunc.endsWith('Series') ? rawFunc.slice(0, -6) : rawFunc;
  const agg = getAggFunc(func, rawFunc);
  const norm = normalize(lists);
  if (!norm) {
    return [];
  }
  const xff = xFilesFactor ?? ctx.xFilesFactor ?? 0;
  const values = (xff === 0 ? accumulate(norm, func) : undefined) ?? byRow(norm, agg, xff);
  const name = `${func}Series(${formatPathExpressions(norm.series)})`;
  const tags = commonTags(norm.series);
  if (!('name' in tags)) {
    tags.name = name;
  }
  tags.aggregatedBy = func;
  return [makeSeries({ name, start: norm.start, end: norm.end, step: norm.step, values, tags, xFilesFactor: xff })];
}

export const aggregate: FunctionDef = {
  name: 'aggregate',
  group: 'Combine',
  description:
    'Combines the series into one with an aggregation function applied across them at each point ' +
    '(average, avg_zero, median, sum, min, max, diff, stddev, count, range, multiply, last and their ' +
    'aliases). xFilesFactor is the share of series that must have a value at a point for it to be non-null.',
  params: [SERIES_LIST, aggFuncParam('func', true), { name: 'xFilesFactor', type: 'float' }],
  call(ctx, [seriesList, func, xFilesFactor]) {
    return aggregateLists(
      ctx,
      [seriesList as Series[]],
      func as string,
      isSet(xFilesFactor) ? (xFilesFactor as number) : null
    );
  },
};
