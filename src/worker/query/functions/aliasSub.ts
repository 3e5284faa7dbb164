import { pyReplacer } from '../seriesutil';
import type { FunctionDef, Series } from '../types';
import { SERIES_LIST } from './common';

export const aliasSub: FunctionDef = {
  name: 'aliasSub',
  group: 'Alias',
  description:
    'Renames each series by a regular expression search and replace on its name (Python syntax: \\1 or ' +
    '\\g<name> in the replacement refer to groups).',
  params: [
    SERIES_LIST,
    { name: 'search', type: 'string', required: true },
    { name: 'replace', type: 'string', required: true },
  ],
  call(_ctx, [seriesList, search, replace]) {
    const rename = pyReplacer(search as string, replace as string);
    return (seriesList as Series[]).map((s) => ({ ...s, name: rename(s.name) }));
  },
};
