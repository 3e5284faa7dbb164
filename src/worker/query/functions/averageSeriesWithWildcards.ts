import type { FunctionDef, Series } from '../types';
import { aggregateWithWildcardsOf, POSITION } from './aggregateWithWildcards';
import { SERIES_LIST } from './common';

export const averageSeriesWithWildcards: FunctionDef = {
  name: 'averageSeriesWithWildcards',
  group: 'Combine',
  description:
    'Averages the series in groups of names that are equal once the given node positions are ignored; ' +
    'each result is named by the remaining nodes.',
  params: [SERIES_LIST, POSITION],
  call(ctx, [seriesList, position]) {
    return aggregateWithWildcardsOf(ctx, seriesList as Series[], 'average', (position ?? []) as number[]);
  },
};
