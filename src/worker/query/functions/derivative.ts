import { copySeries, type Value, withTag } from '../seriesutil';
import type { FunctionDef, Series } from '../types';
import { SERIES_LIST } from './common';

export const derivative: FunctionDef = {
  name: 'derivative',
  group: 'Transform',
  description:
    'The change from each point to the next (not divided by time: see perSecond). The first point, and ' +
    'any point next to a null, is null.',
  params: [SERIES_LIST],
  call(_ctx, [seriesList]) {
    return (seriesList as Series[]).map((s) => {
      const values: Value[] = new Array(s.values.length);
      let prev: Value = null;
      for (let i = 0; i < s.values.length; i++) {
        const v = s.values[i]!;
        values[i] = v === null || prev === null ? null : v - prev;
        prev = v;
      }
      return copySeries(s, { name: `derivative(${s.name})`, values, tags: withTag(s.tags, 'derivative', '1') });
    });
  },
};
