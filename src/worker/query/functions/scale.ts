import { copySeries, formatG, pyFloatStr, withTag } from '../seriesutil';
import type { FunctionDef, Series } from '../types';
import { SERIES_LIST } from './common';

export const scale: FunctionDef = {
  name: 'scale',
  group: 'Transform',
  description: 'Multiplies every value by the factor; nulls stay null.',
  params: [SERIES_LIST, { name: 'factor', type: 'float', required: true }],
  call(_ctx, [seriesList, factor]) {
    const f = factor as number;
    return (seriesList as Series[]).map((s) =>
      copySeries(s, {
        name: `scale(${s.name},${formatG(f)})`,
        values: s.values.map((v) => (v === null ? null : v * f)),
        tags: withTag(s.tags, 'scale', pyFloatStr(f)),
      })
    );
  },
};
