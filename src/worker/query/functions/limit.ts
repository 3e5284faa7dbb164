import type { FunctionDef, Series } from '../types';
import { SERIES_LIST } from './common';
import { firstN, N_PARAM } from './highest';

export const limit: FunctionDef = {
  name: 'limit',
  group: 'Filter Series',
  description: 'Only the first n series.',
  params: [SERIES_LIST, N_PARAM],
  call(_ctx, [seriesList, n]) {
    return firstN(seriesList as Series[], n as number);
  },
};
