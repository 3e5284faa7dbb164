import { AGG_FUNC_NAMES } from '../aggfuncs';
import { aggKey } from '../seriesutil';
import type { EvalContext, FunctionDef, ParamDef, Series } from '../types';
import { aggregateLists } from './aggregate';
import { asPercentOf } from './asPercent';
import { SERIES_LIST } from './common';
import { countSeriesLists } from './countSeries';
import { multiplySeriesLists } from './multiplySeries';

type Callback = (ctx: EvalContext, group: Series[]) => Series[];

const byAggregate =
  (func: string): Callback =>
  (ctx, group) =>
    aggregateLists(ctx, [group], func);

/**
 * Series functions graphite-web accepts as callbacks, called on each group as if the group were
 * their only argument; any other callback is an aggregation function name.
 */
const SERIES_CALLBACKS = new Map<string, Callback>([
  ['sum', byAggregate('sum')],
  ['sumSeries', byAggregate('sum')],
  ['avg', byAggregate('average')],
  ['averageSeries', byAggregate('average')],
  ['maxSeries', byAggregate('max')],
  ['minSeries', byAggregate('min')],
  ['diffSeries', byAggregate('diff')],
  ['stddevSeries', byAggregate('stddev')],
  ['rangeOfSeries', byAggregate('rangeOf')],
  ['multiplySeries', (ctx, group) => multiplySeriesLists(ctx, [group])],
  ['countSeries', (ctx, group) => countSeriesLists(ctx, [group])],
  ['asPercent', (ctx, group) => asPercentOf(ctx, group, null, [])],
  ['pct', (ctx, group) => asPercentOf(ctx, group, null, [])],
]);

export const CALLBACK_PARAM_OPTIONS = [...new Set([...AGG_FUNC_NAMES, ...SERIES_CALLBACKS.keys()])].sort();

/** The callback applied to one group: its first result series. */
export function applyCallback(ctx: EvalContext, callback: string, group: Series[]): Series | undefined {
  const fn = SERIES_CALLBACKS.get(callback);
  return (fn ? fn(ctx, group) : aggregateLists(ctx, [group], callback))[0];
}

/** Groups by key in order of first appearance, applies the callback, names each result by its key. */
export function groupAndApply(
  ctx: EvalContext,
  seriesList: readonly Series[],
  callback: string,
  keyOf: (s: Series) => string
): Array<[string, Series]> {
  const groups = new Map<string, Series[]>();
  for (const s of seriesList) {
    const key = keyOf(s);
    const group = groups.get(key);
    if (group) {
      group.push(s);
    } else {
      groups.set(key, [s]);
    }
  }
  const results: Array<[string, Series]> = [];
  for (const [key, group] of groups) {
    const result = applyCallback(ctx, callback, group);
    if (result) {
      results.push([key, result]);
    }
  }
  return results;
}

export function groupByNodesOf(
  ctx: EvalContext,
  seriesList: readonly Series[],
  callback: string,
  nodes: ReadonlyArray<number | string>
): Series[] {
  return groupAndApply(ctx, seriesList, callback, (s) => aggKey(s, nodes)).map(([key, s]) => ({ ...s, name: key }));
}

export function callbackParam(required: boolean): ParamDef {
  const p: ParamDef = { name: 'callback', type: 'aggOrSeriesFunc', options: CALLBACK_PARAM_OPTIONS };
  if (required) {
    p.required = true;
  } else {
    p.default = 'average';
  }
  return p;
}

export const groupByNodes: FunctionDef = {
  name: 'groupByNodes',
  group: 'Combine',
  description:
    'Groups the series by the given nodes of their paths (or tags, for string nodes) and combines each ' +
    'group with the callback: an aggregation function (sum, average, max, ...) or a combining series ' +
    'function (sumSeries, averageSeries, ...). Each result is named by its group key, the nodes joined by dots.',
  params: [SERIES_LIST, callbackParam(true), { name: 'nodes', type: 'nodeOrTag', multiple: true }],
  call(ctx, [seriesList, callback, nodes]) {
    return groupByNodesOf(ctx, seriesList as Series[], callback as string, (nodes ?? []) as Array<number | string>);
  },
};
