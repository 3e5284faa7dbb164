/**
 * graphite-web's aggregation functions, by the names its `aggFunc` parameters accept. Each takes
 * one row of values (a point across series, a window, or a bucket) in which null means "no data",
 * and answers null where graphite-web answers None. Sums run left to right from 0, as Python's
 * sum() does, so results are bit-for-bit those of graphite-web.
 */
import { QueryError } from './types';

export type Row = ReadonlyArray<number | null>;
export type AggFunc = (values: Row) => number | null;

export function safeSum(values: Row): number | null {
  let sum = 0;
  let n = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v !== null && v !== undefined) {
      sum += v;
      n++;
    }
  }
  return n > 0 ? sum : null;
}

export function safeAvg(values: Row): number | null {
  let sum = 0;
  let n = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v !== null && v !== undefined) {
      sum += v;
      n++;
    }
  }
  return n > 0 ? sum / n : null;
}

/** Nulls count as zeros, so the divisor is the whole row: an all-null row averages to 0. */
export function safeAvgZero(values: Row): number | null {
  if (values.length === 0) {
    return null;
  }
  let sum = 0;
  for (let i = 0; i < values.length; i++) {
    sum += values[i] ?? 0;
  }
  return sum / values.length;
}

function nonNull(values: Row): number[] {
  const out: number[] = [];
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v !== null && v !== undefined) {
      out.push(v);
    }
  }
  return out;
}

export function safeMedian(values: Row): number | null {
  const sorted = nonNull(values).sort((a, b) => a - b);
  if (sorted.length === 0) {
    return null;
  }
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 0 ? (sorted[mid - 1]! + sorted[mid]!) / 2 : sorted[mid]!;
}

/** Python's min(): the first of equal minima wins, which only matters for 0 and -0. */
export function safeMin(values: Row): number | null {
  let min: number | null = null;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v !== null && v !== undefined && (min === null || v < min)) {
      min = v;
    }
  }
  return min;
}

export function safeMax(values: Row): number | null {
  let max: number | null = null;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v !== null && v !== undefined && (max === null || v > max)) {
      max = v;
    }
  }
  return max;
}

/** The first non-null value minus every later one. */
export function safeDiff(values: Row): number | null {
  let acc = 0;
  let n = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v !== null && v !== undefined) {
      acc += n === 0 ? v : -v;
      n++;
    }
  }
  return n > 0 ? acc : null;
}

/** Population standard deviation of the non-null values. */
export function safeStdDev(values: Row): number | null {
  const avg = safeAvg(values);
  if (avg === null) {
    return null;
  }
  let sum = 0;
  let n = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v !== null && v !== undefined) {
      sum += (v - avg) * (v - avg);
      n++;
    }
  }
  return Math.sqrt(sum / n);
}

/** Number of non-null values; 0 (not null) for an all-null row, as graphite-web's safeLen. */
export function safeCount(values: Row): number {
  let n = 0;
  for (let i = 0; i < values.length; i++) {
    if (values[i] !== null && values[i] !== undefined) {
      n++;
    }
  }
  return n;
}

export function safeRange(values: Row): number | null {
  const max = safeMax(values);
  const min = safeMin(values);
  return max === null || min === null ? null : max - min;
}

/** Any null makes the product null, unlike every other aggregation. */
export function safeMultiply(values: Row): number | null {
  if (values.length === 0) {
    return null;
  }
  let product = 1;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === null || v === undefined) {
      return null;
    }
    product = i === 0 ? v : product * v;
  }
  return product;
}

export function safeLast(values: Row): number | null {
  for (let i = values.length - 1; i >= 0; i--) {
    const v = values[i];
    if (v !== null && v !== undefined) {
      return v;
    }
  }
  return null;
}

/** Not one of graphite-web's aggregation names; render consolidation ('first') uses it. */
export function safeFirst(values: Row): number | null {
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v !== null && v !== undefined) {
      return v;
    }
  }
  return null;
}

const AGG_FUNCS: Record<string, AggFunc> = {
  average: safeAvg,
  avg: safeAvg,
  avg_zero: safeAvgZero,
  median: safeMedian,
  sum: safeSum,
  total: safeSum,
  min: safeMin,
  max: safeMax,
  diff: safeDiff,
  stddev: safeStdDev,
  count: safeCount,
  range: safeRange,
  rangeOf: safeRange,
  multiply: safeMultiply,
  last: safeLast,
  current: safeLast,
};

/** The names an `aggFunc` parameter accepts, sorted as graphite-web lists them in /functions. */
export const AGG_FUNC_NAMES: readonly string[] = Object.keys(AGG_FUNCS).sort();

export function isAggFunc(name: string): boolean {
  return Object.prototype.hasOwnProperty.call(AGG_FUNCS, name);
}

/** The aggregation called `name`; `rawName` is what the user wrote, for the error message. */
export function getAggFunc(name: string, rawName?: string): AggFunc {
  if (!isAggFunc(name)) {
    throw new QueryError(`Unsupported aggregation function: ${rawName ?? name}`);
  }
  return AGG_FUNCS[name]!;
}

/**
 * The n-th percentile of the non-null values, by the nearest-rank method graphite-web uses (NIST
 * handbook ranks, (n/100)·(N+1)); with `interpolate`, linear between the two neighbouring ranks.
 * Ranks past the ends clamp to the extreme values, where graphite-web would fail with an error.
 */
export function percentile(values: Row, n: number, interpolate = false): number | null {
  const sorted = nonNull(values).sort((a, b) => a - b);
  const len = sorted.length;
  if (len === 0) {
    return null;
  }
  const fractionalRank = (n / 100) * (len + 1);
  let rank = Math.trunc(fractionalRank);
  const rankFraction = fractionalRank - rank;
  if (!interpolate) {
    rank += Math.ceil(rankFraction);
  }
  let result: number;
  if (rank <= 0) {
    result = sorted[0]!;
  } else if (rank - 1 >= len) {
    result = sorted[len - 1]!;
  } else {
    result = sorted[rank - 1]!;
  }
  if (interpolate && rank < len) {
    const next = sorted[Math.max(rank, 0)]!;
    result = result + rankFraction * (next - result);
  }
  return result;
}

/**
 * `pNN` (p50, p99, p99.9) as a percentile in (0, 100], or undefined for any other name: our
 * extension, which summarize() answers from the quantile sketches of timing series.
 */
export function percentileOfName(name: string): number | undefined {
  const m = /^p(\d+(?:\.\d+)?)$/.exec(name);
  if (!m) {
    return undefined;
  }
  const n = Number(m[1]);
  return n > 0 && n <= 100 ? n : undefined;
}
