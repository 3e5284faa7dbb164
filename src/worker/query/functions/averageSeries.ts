import type { FunctionDef, Series } from '../types';
import { aggregateLists } from './aggregate';
import { SERIES_LISTS } from './common';

export const averageSeries: FunctionDef = {
  name: 'averageSeries',
  group: 'Combine',
  description:
    'Averages the series point by point over the series that have a value there. Short form: avg. Same as aggregate with "average".',
  params: [SERIES_LISTS],
  call(ctx, [lists]) {
    return aggregateLists(ctx, lists as Series[][], 'average');
  },
};

export const avg: FunctionDef = { ...averageSeries, name: 'avg' };
