import type { FunctionDef, Series } from '../types';
import { SERIES_LIST } from './common';
import { highestBy, N_PARAM } from './highest';

export const highestAverage: FunctionDef = {
  name: 'highestAverage',
  group: 'Filter Series',
  description: 'The n series with the highest average over the range, highest first.',
  params: [SERIES_LIST, N_PARAM],
  call(_ctx, [seriesList, n]) {
    return highestBy(seriesList as Series[], n as number, 'average');
  },
};
