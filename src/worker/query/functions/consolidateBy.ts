import { withTag } from '../seriesutil';
import { type ConsolidationFunc, type FunctionDef, QueryError, type Series } from '../types';
import { SERIES_LIST } from './common';

const CONSOLIDATION: readonly ConsolidationFunc[] = [
  'average',
  'avg',
  'avg_zero',
  'first',
  'last',
  'max',
  'min',
  'sum',
];

export const consolidateBy: FunctionDef = {
  name: 'consolidateBy',
  group: 'Special',
  description:
    'Sets how points are combined when a series has more points than the graph can show (maxDataPoints): ' +
    'average (default), avg_zero (nulls count as zeros), sum, min, max, first or last.',
  params: [
    SERIES_LIST,
    {
      name: 'consolidationFunc',
      type: 'string',
      required: true,
      options: [...CONSOLIDATION],
    },
  ],
  call(_ctx, [seriesList, consolidationFunc]) {
    const func = consolidationFunc as ConsolidationFunc;
    if (!CONSOLIDATION.includes(func)) {
      throw new QueryError(`Invalid consolidation function: '${func}'`);
    }
    return (seriesList as Series[]).map((s) => {
      const name = `consolidateBy(${s.name},"${func}")`;
      return {
        ...s,
        name,
        pathExpression: name,
        consolidationFunc: func,
        tags: withTag(s.tags, 'consolidateBy', func),
      };
    });
  },
};
