import { copySeries, type Value, withTag } from '../seriesutil';
import type { EvalContext, FunctionDef, Series } from '../types';
import { SERIES_LIST } from './common';

const DEFAULT_STACK = '__DEFAULT__';

/**
 * Running totals per stack name, per evaluation context: as in graphite-web, where the totals live
 * in the request, a later stacked() target of the same request stacks on the earlier ones when the
 * evaluator shares one context across a request's targets.
 */
const stacks = new WeakMap<EvalContext, Map<string, number[]>>();

export const stacked: FunctionDef = {
  name: 'stacked',
  group: 'Graph',
  description:
    'Stacks the series: each point becomes the sum of that point in this series and the series before ' +
    'it in the same stack (named by stack; one default stack otherwise); nulls stay null and add nothing.',
  params: [SERIES_LIST, { name: 'stack', type: 'string' }],
  call(ctx, [seriesList, stack]) {
    const stackName = typeof stack === 'string' ? stack : DEFAULT_STACK;
    let byName = stacks.get(ctx);
    if (!byName) {
      byName = new Map();
      stacks.set(ctx, byName);
    }
    const totals = byName.get(stackName) ?? [];
    const results = (seriesList as Series[]).map((s) => {
      const values: Value[] = new Array(s.values.length);
      for (let i = 0; i < s.values.length; i++) {
        if (totals.length <= i) {
          totals.push(0);
        }
        const v = s.values[i]!;
        if (v === null) {
          values[i] = null;
        } else {
          totals[i] += v;
          values[i] = totals[i]!;
        }
      }
      if (stackName === DEFAULT_STACK) {
        return copySeries(s, { name: `stacked(${s.name})`, values, tags: withTag(s.tags, 'stacked', stackName) });
      }
      return copySeries(s, { name: s.name, values });
    });
    byName.set(stackName, totals);
    return results;
  },
};
