import type { FunctionDef, Series } from '../types';
import { SERIES_LIST } from './common';
import { lowestBy, N_PARAM } from './highest';

export const lowestAverage: FunctionDef = {
  name: 'lowestAverage',
  group: 'Filter Series',
  description:
    'The n series with the lowest average over the range, lowest first; series without values count as lowest.',
  params: [SERIES_LIST, N_PARAM],
  call(_ctx, [seriesList, n]) {
    return lowestBy(seriesList as Series[], n as number, 'average');
  },
};
