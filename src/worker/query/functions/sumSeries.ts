import type { FunctionDef, Series } from '../types';
import { aggregateLists } from './aggregate';
import { SERIES_LISTS } from './common';

export const sumSeries: FunctionDef = {
  name: 'sumSeries',
  group: 'Combine',
  description:
    'Adds the series together point by point (nulls are skipped; a point is null only where every series is). Short form: sum. Same as aggregate with "sum".',
  params: [SERIES_LISTS],
  call(ctx, [lists]) {
    return aggregateLists(ctx, lists as Series[][], 'sum');
  },
};

export const sum: FunctionDef = { ...sumSeries, name: 'sum' };
