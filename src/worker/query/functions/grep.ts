import { pyRegExp } from '../seriesutil';
import type { FunctionDef, Series } from '../types';
import { SERIES_LIST } from './common';

export const grep: FunctionDef = {
  name: 'grep',
  group: 'Filter Series',
  description: 'Keeps only the series whose name matches the regular expression (anywhere in the name).',
  params: [SERIES_LIST, { name: 'pattern', type: 'string', required: true }],
  call(_ctx, [seriesList, pattern]) {
    const re = pyRegExp(pattern as string);
    return (seriesList as Series[]).filter((s) => re.test(s.name));
  },
};
