import { copySeries, formatG } from '../seriesutil';
import type { FunctionDef, Series } from '../types';
import { SERIES_LIST } from './common';

export const removeAboveValue: FunctionDef = {
  name: 'removeAboveValue',
  group: 'Filter Data',
  description: 'Sets to null every value above n.',
  params: [SERIES_LIST, { name: 'n', type: 'float', required: true }],
  call(_ctx, [seriesList, n]) {
    const limit = n as number;
    return (seriesList as Series[]).map((s) =>
      copySeries(s, {
        name: `removeAboveValue(${s.name}, ${formatG(limit)})`,
        values: s.values.map((v) => (v !== null && v > limit ? null : v)),
      })
    );
  },
};
