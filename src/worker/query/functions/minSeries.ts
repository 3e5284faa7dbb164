import type { FunctionDef, Series } from '../types';
import { aggregateLists } from './aggregate';
import { SERIES_LISTS } from './common';

export const minSeries: FunctionDef = {
  name: 'minSeries',
  group: 'Combine',
  description: 'The smallest value across the series at each point. Same as aggregate with "min".',
  params: [SERIES_LISTS],
  call(ctx, [lists]) {
    return aggregateLists(ctx, lists as Series[][], 'min');
  },
};
