import { copySeries, formatG, pyFloatStr, withTag } from '../seriesutil';
import type { FunctionDef, Series } from '../types';
import { SERIES_LIST } from './common';
import { seriesPercentile } from './nPercentile';

export const removeAbovePercentile: FunctionDef = {
  name: 'removeAbovePercentile',
  group: 'Filter Data',
  description:
    "Sets to null every value above the n-th percentile of the series' values (the percentile of the " +
    'point values, sketches or not, since it is compared with them).',
  params: [SERIES_LIST, { name: 'n', type: 'float', required: true }],
  call(_ctx, [seriesList, n]) {
    const pct = n as number;
    return (seriesList as Series[]).map((s) => {
      const name = `removeAbovePercentile(${s.name}, ${formatG(pct)})`;
      const p = seriesPercentile(s, pct, false);
      if (p === undefined) {
        return copySeries(s, { name, values: s.values });
      }
      return copySeries(s, {
        name,
        values: s.values.map((v) => (v !== null && v > p ? null : v)),
        // graphite-web computes the percentile with nPercentile, which tags the series it reads.
        tags: withTag(s.tags, 'nPercentile', pyFloatStr(pct)),
      });
    });
  },
};
