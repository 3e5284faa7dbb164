import { pyRegExp } from '../seriesutil';
import type { FunctionDef, Series } from '../types';
import { SERIES_LIST } from './common';

export const exclude: FunctionDef = {
  name: 'exclude',
  group: 'Filter Series',
  description: 'Drops the series whose name matches the regular expression (anywhere in the name).',
  params: [SERIES_LIST, { name: 'pattern', type: 'string', required: true }],
  call(_ctx, [seriesList, pattern]) {
    const re = pyRegExp(pattern as string);
    return (seriesList as Series[]).filter((s) => !re.test(s.name));
  },
};
