import type { EvalContext, FunctionDef, ParamDef, Series } from '../types';
import { aggregateLists } from './aggregate';
import { aggFuncParam, SERIES_LIST } from './common';

/**
 * Groups series by their name with the given node positions left out, aggregates each group and
 * names the result by that reduced name. Groups keep the order of their first series.
 */
export function aggregateWithWildcardsOf(
  ctx: EvalContext,
  seriesList: readonly Series[],
  func: string,
  positions: number[]
): Series[] {
  const groups = new Map<string, Series[]>();
  for (const s of seriesList) {
    const key = s.name
      .split('.')
      .filter((_, i) => !positions.includes(i))
      .join('.');
    const group = groups.get(key);
    if (group) {
      group.push(s);
    } else {
      groups.set(key, [s]);
    }
  }
  return [...groups].map(([key, group]) => ({ ...aggregateLists(ctx, [group], func)[0]!, name: key }));
}

export const POSITION: ParamDef = { name: 'position', type: 'node', multiple: true };

export const aggregateWithWildcards: FunctionDef = {
  name: 'aggregateWithWildcards',
  group: 'Combine',
  description:
    'Groups the series by their names with the given node positions ignored and aggregates each group ' +
    'with the function (as aggregate does); each result is named by the remaining nodes.',
  params: [SERIES_LIST, aggFuncParam('func', true), POSITION],
  call(ctx, [seriesList, func, position]) {
    return aggregateWithWildcardsOf(ctx, seriesList as Series[], func as string, (position ?? []) as number[]);
  },
};
