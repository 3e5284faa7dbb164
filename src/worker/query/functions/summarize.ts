import { AGG_FUNC_NAMES, getAggFunc, percentile, percentileOfName } from '../aggfuncs';
import { mergeEncoded, quantile } from '../../store/sketch';
import { copySeries, type Value, withTag } from '../seriesutil';
import { type FunctionDef, QueryError, type Series } from '../types';
import { aggFuncParam, intervalSeconds, SERIES_LIST } from './common';

const SKETCH_PERCENTILES = ['p50', 'p75', 'p90', 'p95', 'p99', 'p99.9'];

type BucketFunc = (s: Series, from: number, to: number) => Value;

/**
 * The function applied to the points [from, to) of a series: a graphite aggregation, or for `pNN`
 * the percentile of the samples behind those points, from their merged sketches when the series
 * has them and from the point values otherwise.
 */
function bucketFunc(func: string): BucketFunc {
  const pct = percentileOfName(func);
  if (pct === undefined) {
    const agg = getAggFunc(func);
    return (s, from, to) => agg(s.values.slice(from, to));
  }
  return (s, from, to) => {
    const merged = s.sketches ? mergeEncoded(s.sketches.slice(from, to)) : undefined;
    return merged ? quantile(merged, pct / 100) : percentile(s.values.slice(from, to), pct);
  };
}

/**
 * graphite-web's bucketing: buckets of `interval` seconds from newStart while before newEnd; a
 * point belongs to the bucket its timestamp falls in; a bucket is null unless it has a non-null point
 * and the share of non-null points (of the points an interval holds) reaches the series' xFilesFactor.
 * Returns the values and the end of the last bucket.
 */
function summarizeValues(
  s: Series,
  fn: BucketFunc,
  interval: number,
  newStart: number,
  newEnd: number
): [Value[], number] {
  const count = Math.min(s.values.length, Math.max(0, Math.ceil((s.end - s.start) / s.step)));
  const values: Value[] = [];
  let i = 0;
  let t = newStart;
  for (; t < newEnd; t += interval) {
    const from = i;
    let nonNull = 0;
    while (i < count && s.start + i * s.step < t + interval) {
      if (s.start + i * s.step >= t && s.values[i] !== null) {
        nonNull++;
      }
      i++;
    }
    values.push(nonNull > 0 && nonNull / (interval / s.step) >= (s.xFilesFactor ?? 0) ? fn(s, from, i) : null);
  }
  return [values, t];
}

export const summarize: FunctionDef = {
  name: 'summarize',
  group: 'Transform',
  description:
    'Re-buckets each series into intervals (e.g. "1h", "1d") with a function applied to the points of ' +
    'each bucket: sum by default, or average, median, min, max, diff, stddev, count, range, multiply, last. ' +
    'Buckets are aligned to multiples of the interval since the epoch, or to the start of the series with ' +
    'alignToFrom. Beyond graphite: func "pNN" (p50, p95, p99, p99.9) gives the NN-th percentile of each ' +
    "bucket; for timing series it is computed from the merged quantile sketches of the bucket's points, so " +
    'it is the percentile of all samples in the bucket (within 1%), not of per-point averages; for other ' +
    'series, of the point values.',
  params: [
    SERIES_LIST,
    { name: 'intervalString', type: 'interval', required: true, suggestions: ['10min', '1h', '1d'] },
    // The percentile names are ours: listing them lets Grafana's editor offer them.
    { ...aggFuncParam('func', false, 'sum'), options: [...AGG_FUNC_NAMES, ...SKETCH_PERCENTILES] },
    { name: 'alignToFrom', type: 'boolean', default: false },
  ],
  call(_ctx, [seriesList, intervalString, func, alignToFrom]) {
    const intervalText = intervalString as string;
    const interval = intervalSeconds(intervalText);
    if (interval <= 0) {
      throw new QueryError(`summarize: the interval must be positive, got ${JSON.stringify(intervalText)}`);
    }
    const funcName = (func as string | null) ?? 'sum';
    const fn = bucketFunc(funcName);
    const align = alignToFrom === true;
    return (seriesList as Series[]).map((s) => {
      let newStart = s.start;
      let newEnd = s.end;
      if (!align) {
        newStart = s.start - (s.start % interval);
        newEnd = s.end - (s.end % interval) + interval;
      }
      const [values, alignedEnd] = summarizeValues(s, fn, interval, newStart, newEnd);
      if (align) {
        newEnd = alignedEnd;
      }
      const tags = withTag(withTag(s.tags, 'summarize', intervalText), 'summarizeFunction', funcName);
      const name = `summarize(${s.name}, "${intervalText}", "${funcName}"${align ? ', true' : ''})`;
      return copySeries(s, { name, start: newStart, end: newEnd, step: interval, values, tags });
    });
  },
};
