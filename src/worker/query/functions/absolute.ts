import { copySeries, withTag } from '../seriesutil';
import type { FunctionDef, Series } from '../types';
import { SERIES_LIST } from './common';

export const absolute: FunctionDef = {
  name: 'absolute',
  group: 'Transform',
  description: 'The absolute value of every point; nulls stay null.',
  params: [SERIES_LIST],
  call(_ctx, [seriesList]) {
    return (seriesList as Series[]).map((s) =>
      copySeries(s, {
        name: `absolute(${s.name})`,
        values: s.values.map((v) => (v === null ? null : Math.abs(v))),
        tags: withTag(s.tags, 'absolute', '1'),
      })
    );
  },
};
