import type { FunctionDef, Series } from '../types';
import { SERIES_LIST } from './common';

export const alias: FunctionDef = {
  name: 'alias',
  group: 'Alias',
  description: 'Names every series with the given string (shown in the legend instead of the metric name).',
  params: [SERIES_LIST, { name: 'newName', type: 'string', required: true }],
  call(_ctx, [seriesList, newName]) {
    return (seriesList as Series[]).map((s) => ({ ...s, name: newName as string }));
  },
};
