import { copySeries, makeSeries, normalize, type Value } from '../seriesutil';
import { type EvalContext, type FunctionDef, QueryError, type Series } from '../types';

export function safeDivide(a: Value, b: Value): Value {
  if (a === null || b === null || b === 0) {
    return null;
  }
  return a / b;
}

/** One quotient series per dividend; the pair is brought to a common step first. */
export function divideBy(ctx: EvalContext, dividends: readonly Series[], divisor: Series): Series[] {
  return dividends.map((dividend) => {
    const norm = normalize([[dividend, divisor]])!;
    const [a, b] = norm.values as [Value[], Value[]];
    const values: Value[] = new Array(norm.length);
    for (let i = 0; i < norm.length; i++) {
      values[i] = safeDivide(a[i] ?? null, b[i] ?? null);
    }
    const name = `divideSeries(${dividend.name},${divisor.name})`;
    const { start, end, step } = norm;
    return makeSeries({ name, start, end, step, values, xFilesFactor: ctx.xFilesFactor });
  });
}

export const divideSeries: FunctionDef = {
  name: 'divideSeries',
  group: 'Combine',
  description:
    'Divides each series of the first list by the single divisor series, point by point; null where ' +
    'either is null or the divisor is 0. With no divisor series every point is null and the name says ' +
    'MISSING. To divide by a constant use scale with the inverse.',
  params: [
    { name: 'dividendSeriesList', type: 'seriesList', required: true },
    { name: 'divisorSeries', type: 'seriesList', required: true },
  ],
  call(ctx, [dividendSeriesList, divisorSeries]) {
    const dividends = dividendSeriesList as Series[];
    const divisors = divisorSeries as Series[];
    if (divisors.length === 0) {
      return dividends.map((s) => {
        return copySeries(s, { name: `divideSeries(${s.name},MISSING)`, values: s.values.map(() => null) });
      });
    }
    if (divisors.length > 1) {
      throw new QueryError(`divideSeries second argument must reference exactly 1 series (got ${divisors.length})`);
    }
    return divideBy(ctx, dividends, divisors[0]!);
  },
};
