import { copySeries, type Value } from '../seriesutil';
import type { FunctionDef, Series } from '../types';
import { isSet, SERIES_LIST } from './common';

export const keepLastValue: FunctionDef = {
  name: 'keepLastValue',
  group: 'Transform',
  description:
    'Fills gaps with the last value before them, for gaps of at most limit points (default: any length). ' +
    'A gap longer than the limit stays null whole; a gap at the start stays null; a gap at the end is filled.',
  params: [SERIES_LIST, { name: 'limit', type: 'intOrInf', default: Infinity }],
  call(_ctx, [seriesList, limit]) {
    const max = isSet(limit) ? (limit as number) : Infinity;
    return (seriesList as Series[]).map((s) => {
      const values: Value[] = s.values.slice();
      let gap = 0;
      let last: Value = null;
      for (let i = 0; i < values.length; i++) {
        const v = values[i]!;
        if (v === null) {
          gap++;
          continue;
        }
        if (gap > 0 && gap <= max && last !== null) {
          values.fill(last, i - gap, i);
        }
        gap = 0;
        last = v;
      }
      if (gap > 0 && gap <= max && last !== null) {
        values.fill(last, values.length - gap);
      }
      return copySeries(s, { name: `keepLastValue(${s.name})`, values });
    });
  },
};
