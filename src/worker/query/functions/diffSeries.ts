import type { FunctionDef, Series } from '../types';
import { aggregateLists } from './aggregate';
import { SERIES_LISTS } from './common';

export const diffSeries: FunctionDef = {
  name: 'diffSeries',
  group: 'Combine',
  description:
    'Subtracts the second and later series from the first, point by point (nulls are skipped). To subtract a constant use offset. Same as aggregate with "diff".',
  params: [SERIES_LISTS],
  call(ctx, [lists]) {
    return aggregateLists(ctx, lists as Series[][], 'diff');
  },
};
