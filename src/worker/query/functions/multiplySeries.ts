import type { EvalContext, FunctionDef, Series } from '../types';
import { aggregateLists } from './aggregate';
import { SERIES_LISTS } from './common';

/** A single series comes back unchanged, name included, as in graphite-web. */
export function multiplySeriesLists(ctx: EvalContext, lists: readonly Series[][]): Series[] {
  if (lists.length === 1 && lists[0]!.length === 1) {
    return lists[0]!;
  }
  return aggregateLists(ctx, lists, 'multiply');
}

export const multiplySeries: FunctionDef = {
  name: 'multiplySeries',
  group: 'Combine',
  description:
    'Multiplies the series point by point; a point is null if any series is null there. ' +
    'To multiply by a constant use scale. Same as aggregate with "multiply".',
  params: [SERIES_LISTS],
  call(ctx, [lists]) {
    return multiplySeriesLists(ctx, lists as Series[][]);
  },
};
