import type { FunctionDef, Series } from '../types';
import { SERIES_LIST } from './common';
import { callbackParam, groupByNodesOf } from './groupByNodes';

export const groupByNode: FunctionDef = {
  name: 'groupByNode',
  group: 'Combine',
  description:
    'Groups the series by one node of their paths (or a tag, for a string) and combines each group with ' +
    'the callback (average by default; any aggregation function, or sumSeries, averageSeries, ...). Each ' +
    'result is named by the value of that node.',
  params: [SERIES_LIST, { name: 'nodeNum', type: 'nodeOrTag', required: true }, callbackParam(false)],
  call(ctx, [seriesList, nodeNum, callback]) {
    return groupByNodesOf(ctx, seriesList as Series[], (callback as string | null) ?? 'average', [
      nodeNum as number | string,
    ]);
  },
};
