import { makeSeries, normalize, type Value } from '../seriesutil';
import { type FunctionDef, QueryError, type Series } from '../types';
import { evaluateSeries, SERIES_LIST } from './common';

/**
 * Pearson's r of x and y over the points [from, to) where both have a value; null with fewer than
 * two such points or when either side is constant there. Two passes (means, then deviations) keep
 * it accurate for large values with small variation, the usual shape of metrics.
 */
function pearson(x: readonly Value[], y: readonly Value[], from: number, to: number): Value {
  let n = 0;
  let sx = 0;
  let sy = 0;
  for (let i = from; i < to; i++) {
    const a = x[i] ?? null;
    const b = y[i] ?? null;
    if (a !== null && b !== null) {
      n++;
      sx += a;
      sy += b;
    }
  }
  if (n < 2) {
    return null;
  }
  const mx = sx / n;
  const my = sy / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = from; i < to; i++) {
    const a = x[i] ?? null;
    const b = y[i] ?? null;
    if (a !== null && b !== null) {
      sxy += (a - mx) * (b - my);
      sxx += (a - mx) * (a - mx);
      syy += (b - my) * (b - my);
    }
  }
  if (sxx === 0 || syy === 0) {
    return null;
  }
  return Math.max(-1, Math.min(1, sxy / Math.sqrt(sxx * syy)));
}

export const correlate: FunctionDef = {
  name: 'correlate',
  group: 'Calculate',
  description:
    'Not in graphite. The rolling Pearson correlation (-1 to 1) of each series with the single reference ' +
    'series, over the last windowPoints points up to and including each point. Only points where both ' +
    'have a value count; a window with fewer than 2 such points, or where either series is constant, ' +
    'gives null. Both are read from windowPoints - 1 points earlier so that the first point has a full ' +
    'window, and are brought to a common step first. Named correlate(series,reference,windowPoints).',
  params: [
    SERIES_LIST,
    { name: 'referenceSeries', type: 'seriesList', required: true },
    { name: 'windowPoints', type: 'integer', required: true },
  ],
  async call(ctx, [seriesList, referenceSeries, windowPoints], raw) {
    const list = seriesList as Series[];
    const refs = referenceSeries as Series[];
    const window = windowPoints as number;
    if (!Number.isInteger(window) || window < 2) {
      throw new QueryError('correlate: windowPoints must be an integer of at least 2');
    }
    if (refs.length !== 1) {
      throw new QueryError(`correlate: referenceSeries must be exactly 1 series (got ${refs.length})`);
    }
    if (list.length === 0) {
      return [];
    }
    const step = Math.max(refs[0]!.step, ...list.map((s) => s.step));
    const preview = step * (window - 1);
    const wider = { ...ctx, startTime: ctx.startTime - preview };
    const [series, reference] = await Promise.all([evaluateSeries(wider, raw[0]), evaluateSeries(wider, raw[1])]);
    if (reference.length !== 1) {
      return [];
    }
    const ref = reference[0]!;
    return series.map((s) => {
      const norm = normalize([[s, ref]])!;
      const [x, y] = norm.values as [Value[], Value[]];
      // Drop the points that only served as the first windows' history.
      const skip = Math.min(norm.length, Math.ceil(preview / norm.step));
      const values: Value[] = [];
      for (let i = skip; i < norm.length; i++) {
        values.push(pearson(x, y, Math.max(0, i - window + 1), i + 1));
      }
      return makeSeries({
        name: `correlate(${s.name},${ref.name},${window})`,
        start: norm.start + skip * norm.step,
        end: norm.end,
        step: norm.step,
        values,
        xFilesFactor: ctx.xFilesFactor,
      });
    });
  },
};
