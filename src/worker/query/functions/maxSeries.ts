import type { FunctionDef, Series } from '../types';
import { aggregateLists } from './aggregate';
import { SERIES_LISTS } from './common';

export const maxSeries: FunctionDef = {
  name: 'maxSeries',
  group: 'Combine',
  description: 'The largest value across the series at each point. Same as aggregate with "max".',
  params: [SERIES_LISTS],
  call(ctx, [lists]) {
    return aggregateLists(ctx, lists as Series[][], 'max');
  },
};
