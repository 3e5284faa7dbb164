import { safeMax } from '../aggfuncs';
import type { FunctionDef, Series } from '../types';
import { SERIES_LIST } from './common';
import { sortByAggregate } from './highest';

export const sortByMaxima: FunctionDef = {
  name: 'sortByMaxima',
  group: 'Sorting',
  description: 'Sorts the series by their maximum value over the range, highest first.',
  params: [SERIES_LIST],
  call(_ctx, [seriesList]) {
    return sortByAggregate(seriesList as Series[], safeMax, true);
  },
};
