import type { FunctionDef, Series } from '../types';
import { aliasByNodes } from './aliasByNode';
import { SERIES_LIST } from './common';

export const aliasByTags: FunctionDef = {
  name: 'aliasByTags',
  group: 'Alias',
  description:
    'Names each series by the values of the given tags (a number names a node of the path instead), ' +
    'joined by dots. Same as aliasByNode.',
  params: [SERIES_LIST, { name: 'tags', type: 'nodeOrTag', required: true, multiple: true }],
  call(_ctx, [seriesList, tags]) {
    return aliasByNodes(seriesList as Series[], (tags ?? []) as Array<number | string>);
  },
};
