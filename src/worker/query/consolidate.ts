/**
 * Render's consolidation to maxDataPoints, as graphite-web's JSON renderer does it: over the time
 * range of all series of the answer, a series with more points than asked for is cut into runs of
 * valuesPerPoint = ceil(points / maxDataPoints) values, each run becoming one point by its
 * consolidation function (consolidateBy), null unless enough of it is non-null (xFilesFactor).
 *
 * graphite-web first nudges the start so that runs fall on multiples of their width whatever
 * the range (no jitter between refreshes). It moves the start by the whole nudge but drops one
 * value fewer than the nudge spans; that shift is reproduced here, since clients compare
 * timestamps with graphite-web's.
 */
import { type ConsolidationFunc, QueryError, type Series } from './types';

/** A series ready to print: value i is at start + i * step. */
export interface RenderedSeries {
  name: string;
  tags: Record<string, string>;
  start: number;
  step: number;
  values: Array<number | null>;
}

function mod(a: number, b: number): number {
  return a - b * Math.floor(a / b);
}

export function consolidateForRender(list: Series[], maxDataPoints?: number): RenderedSeries[] {
  if (!list.some((s) => s.values.length > 0)) {
    return [];
  }
  let startTime = Infinity;
  let endTime = -Infinity;
  for (const s of list) {
    startTime = Math.min(startTime, s.start);
    endTime = Math.max(endTime, s.end);
  }
  const timeRange = endTime - startTime;
  return list.map((s) => {
    let start = s.start;
    let values = s.values;
    let valuesPerPoint = 1;
    if (maxDataPoints === 1) {
      valuesPerPoint = Math.max(1, values.length);
    } else if (maxDataPoints !== undefined && maxDataPoints < timeRange / s.step) {
      valuesPerPoint = Math.ceil(timeRange / s.step / maxDataPoints);
      const secondsPerPoint = Math.trunc(valuesPerPoint * s.step);
      const nudge = secondsPerPoint + mod(start, s.step) - mod(start, secondsPerPoint);
      start += nudge;
      const lose = Math.trunc(nudge / s.step);
      if (lose > 1) values = values.slice(lose - 1);
    }
    const consolidated =
      valuesPerPoint > 1 ? consolidateValues(values, valuesPerPoint, s.consolidationFunc, s.xFilesFactor ?? 0) : values;
    const step = Math.trunc(s.step * valuesPerPoint);
    const first = Math.trunc(start);
    // graphite-web pairs values with range(start, end + 1, step), dropping values past the end.
    const slots = Math.trunc(s.end) >= first ? Math.floor((Math.trunc(s.end) - first) / step) + 1 : 0;
    return {
      name: s.name,
      tags: s.tags,
      start: first,
      step,
      values: consolidated.length > slots ? consolidated.slice(0, slots) : consolidated,
    };
  });
}

/** Runs of `per` values to one each; the last run may be shorter but is judged against `per`. */
export function consolidateValues(
  values: Array<number | null>,
  per: number,
  func: ConsolidationFunc,
  xFilesFactor: number
): Array<number | null> {
  const out: Array<number | null> = [];
  for (let i = 0; i < values.length; i += per) {
    const end = Math.min(values.length, i + per);
    let nonNull = 0;
    let sum = 0;
    let min = Infinity;
    let max = -Infinity;
    let first: number | null = null;
    let last: number | null = null;
    for (let j = i; j < end; j++) {
      const v = values[j];
      if (v === null || v === undefined) continue;
      nonNull++;
      sum += v;
      if (v < min) min = v;
      if (v > max) max = v;
      if (first === null) first = v;
      last = v;
    }
    if (nonNull === 0 || nonNull / per < xFilesFactor) {
      out.push(null);
      continue;
    }
    switch (func) {
      case 'average':
      case 'avg':
        out.push(sum / nonNull);
        break;
      case 'avg_zero':
        out.push(sum / (end - i));
        break;
      case 'sum':
        out.push(sum);
        break;
      case 'min':
        out.push(min);
        break;
      case 'max':
        out.push(max);
        break;
      case 'first':
        out.push(first);
        break;
      case 'last':
        out.push(last);
        break;
      default:
        throw new QueryError(`invalid consolidation function '${String(func)}'`);
    }
  }
  return out;
}
