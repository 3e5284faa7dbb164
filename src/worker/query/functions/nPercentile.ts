import { percentile } from '../aggfuncs';
import { mergeEncoded, quantile } from '../../store/sketch';
import { copySeries, formatG, pyFloatStr, withTag } from '../seriesutil';
import { type FunctionDef, QueryError, type Series } from '../types';
import { SERIES_LIST } from './common';

/**
 * The n-th percentile of a series' points; of the samples behind them when the series carries
 * quantile sketches. Undefined when the series has no value at all.
 */
export function seriesPercentile(s: Series, n: number, useSketches: boolean): number | undefined {
  const merged = useSketches && s.sketches ? mergeEncoded(s.sketches) : undefined;
  if (merged) {
    return quantile(merged, Math.min(n, 100) / 100);
  }
  return percentile(s.values, n) ?? undefined;
}

export const nPercentile: FunctionDef = {
  name: 'nPercentile',
  group: 'Calculate',
  description:
    'For each series, a line at the n-th percentile of its values over the range. For timing series ' +
    'with quantile sketches, the sketches of the whole range are merged and the line is the percentile ' +
    'of all samples (within 1%), not of the per-point averages.',
  params: [SERIES_LIST, { name: 'n', type: 'float', required: true }],
  call(_ctx, [seriesList, n]) {
    const pct = n as number;
    if (!pct) {
      throw new QueryError('The requested percent is required to be greater than 0');
    }
    const results: Series[] = [];
    for (const s of seriesList as Series[]) {
      const p = seriesPercentile(s, pct, true);
      if (p === undefined) {
        continue;
      }
      const points = Math.max(0, Math.trunc((s.end - s.start) / s.step));
      results.push(
        copySeries(s, {
          name: `nPercentile(${s.name}, ${formatG(pct)})`,
          values: new Array<number>(points).fill(p),
          tags: withTag(s.tags, 'nPercentile', pyFloatStr(pct)),
        })
      );
    }
    return results;
  },
};
