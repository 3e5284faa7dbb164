import { aggKey } from '../seriesutil';
import type { FunctionDef, ParamDef, Series } from '../types';
import { SERIES_LIST } from './common';

export function aliasByNodes(seriesList: readonly Series[], nodes: ReadonlyArray<number | string>): Series[] {
  return seriesList.map((s) => ({ ...s, name: aggKey(s, nodes) }));
}

export const NODES: ParamDef = { name: 'nodes', type: 'nodeOrTag', required: true, multiple: true };

export const aliasByNode: FunctionDef = {
  name: 'aliasByNode',
  group: 'Alias',
  description:
    'Names each series by the given nodes of its path (0 is the first, -1 the last), joined by dots; a ' +
    'string names a tag instead. For a series produced by a function, the nodes are those of the first ' +
    'metric path in its name.',
  params: [SERIES_LIST, NODES],
  call(_ctx, [seriesList, nodes]) {
    return aliasByNodes(seriesList as Series[], (nodes ?? []) as Array<number | string>);
  },
};
