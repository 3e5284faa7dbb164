import { copySeries, type Value, withTag } from '../seriesutil';
import type { FunctionDef, Series } from '../types';
import { SERIES_LIST } from './common';

export const integral: FunctionDef = {
  name: 'integral',
  group: 'Transform',
  description: 'The running total of the values from the start of the range; nulls stay null and add nothing.',
  params: [SERIES_LIST],
  call(_ctx, [seriesList]) {
    return (seriesList as Series[]).map((s) => {
      const values: Value[] = new Array(s.values.length);
      let total = 0;
      for (let i = 0; i < s.values.length; i++) {
        const v = s.values[i]!;
        if (v === null) {
          values[i] = null;
        } else {
          total += v;
          values[i] = total;
        }
      }
      return copySeries(s, { name: `integral(${s.name})`, values, tags: withTag(s.tags, 'integral', '1') });
    });
  },
};
