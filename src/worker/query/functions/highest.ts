import { type AggFunc, getAggFunc } from '../aggfuncs';
import type { FunctionDef, ParamDef, Series } from '../types';
import { aggFuncParam, SERIES_LIST } from './common';

/**
 * Series ordered by an aggregation of their values, ties kept in input order; a series without
 * values ranks below every other (graphite-web ranks None as -inf).
 */
export function sortByAggregate(seriesList: readonly Series[], agg: AggFunc, descending: boolean): Series[] {
  const keyed = seriesList.map((s) => ({ s, key: agg(s.values) ?? -Infinity }));
  keyed.sort((a, b) => (descending ? b.key - a.key : a.key - b.key) || 0);
  return keyed.map((k) => k.s);
}

/** Python's seriesList[:n]: a negative n drops that many from the end. */
export function firstN(seriesList: readonly Series[], n: number): Series[] {
  return seriesList.slice(0, Math.trunc(n));
}

export const N_PARAM: ParamDef = { name: 'n', type: 'integer', required: true };

export function highestBy(seriesList: readonly Series[], n: number, func: string): Series[] {
  return firstN(sortByAggregate(seriesList, getAggFunc(func), true), n);
}

export function lowestBy(seriesList: readonly Series[], n: number, func: string): Series[] {
  return firstN(sortByAggregate(seriesList, getAggFunc(func), false), n);
}

export const highest: FunctionDef = {
  name: 'highest',
  group: 'Filter Series',
  description:
    'The n series with the highest aggregated value over the range (average by default; any aggregation ' +
    'function), highest first.',
  params: [SERIES_LIST, N_PARAM, aggFuncParam('func', false, 'average')],
  call(_ctx, [seriesList, n, func]) {
    return highestBy(seriesList as Series[], n as number, (func as string | null) ?? 'average');
  },
};
