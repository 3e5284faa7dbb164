import { percentile } from '../aggfuncs';
import { mergeEncoded, quantile } from '../../store/sketch';
import { consolidateSketches, formatG, makeSeries, normalize, type Value } from '../seriesutil';
import { type FunctionDef, QueryError, type Series } from '../types';
import { SERIES_LIST } from './common';

export const percentileOfSeries: FunctionDef = {
  name: 'percentileOfSeries',
  group: 'Combine',
  description:
    'One series: at each point, the n-th percentile of the values of all the series there (a value one ' +
    'of them has, unless interpolate is true). When every series is a timing series with quantile ' +
    'sketches, the sketches of each point are merged and the percentile is that of all the samples ' +
    'behind the point (within 1%), not a percentile of per-series averages; interpolate is then ignored.',
  params: [
    SERIES_LIST,
    { name: 'n', type: 'float', required: true },
    { name: 'interpolate', type: 'boolean', default: false },
  ],
  call(ctx, [seriesList, n, interpolate]) {
    const list = seriesList as Series[];
    const pct = n as number;
    if (pct <= 0) {
      throw new QueryError('The requested percent is required to be greater than 0');
    }
    const norm = normalize([list]);
    if (!norm) {
      return [];
    }
    const sketches = list.every((s) => s.sketches)
      ? list.map((s) => consolidateSketches(s.sketches!, norm.step / s.step))
      : undefined;
    const row: Value[] = new Array(list.length);
    const values: Value[] = new Array(norm.length);
    for (let i = 0; i < norm.length; i++) {
      const merged = sketches && mergeEncoded(sketches.map((sk) => sk[i]));
      if (merged) {
        values[i] = quantile(merged, Math.min(pct, 100) / 100);
        continue;
      }
      for (let j = 0; j < list.length; j++) {
        row[j] = norm.values[j]![i] ?? null;
      }
      values[i] = percentile(row, pct, interpolate === true);
    }
    const name = `percentileOfSeries(${list[0]!.pathExpression},${formatG(pct)})`;
    return [
      makeSeries({ name, start: norm.start, end: norm.end, step: norm.step, values, xFilesFactor: ctx.xFilesFactor }),
    ];
  },
};
