import type { FunctionDef, Series } from '../types';
import { aggFuncParam, SERIES_LIST } from './common';
import { lowestBy, N_PARAM } from './highest';

export const lowest: FunctionDef = {
  name: 'lowest',
  group: 'Filter Series',
  description:
    'The n series with the lowest aggregated value over the range (average by default; any aggregation ' +
    'function), lowest first. Series without any value count as lowest.',
  params: [SERIES_LIST, N_PARAM, aggFuncParam('func', false, 'average')],
  call(_ctx, [seriesList, n, func]) {
    return lowestBy(seriesList as Series[], n as number, (func as string | null) ?? 'average');
  },
};
