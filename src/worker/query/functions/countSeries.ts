import { formatPathExpressions, makeSeries, normalize, type Value } from '../seriesutil';
import type { EvalContext, FunctionDef, Series } from '../types';
import { constantSeries } from './constantLine';

export function countSeriesLists(ctx: EvalContext, lists: readonly Series[][]): Series[] {
  if (lists.length === 0) {
    return [{ ...constantSeries(ctx, 0, '0'), pathExpression: 'countSeries()' }];
  }
  const norm = normalize(lists);
  if (!norm) {
    return [];
  }
  const name = `countSeries(${formatPathExpressions(norm.series)})`;
  const values: Value[] = new Array<Value>(norm.length).fill(norm.series.length);
  return [
    makeSeries({ name, start: norm.start, end: norm.end, step: norm.step, values, xFilesFactor: ctx.xFilesFactor }),
  ];
}

export const countSeries: FunctionDef = {
  name: 'countSeries',
  group: 'Combine',
  description: 'A line at the number of series given (whether or not they have values); with no argument, a line at 0.',
  params: [{ name: 'seriesLists', type: 'seriesList', multiple: true }],
  call(ctx, [lists]) {
    return countSeriesLists(ctx, (lists ?? []) as Series[][]);
  },
};
