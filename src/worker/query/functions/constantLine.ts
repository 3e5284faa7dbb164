import { makeSeries, pyFloatStr } from '../seriesutil';
import type { EvalContext, FunctionDef, Series } from '../types';

/**
 * Three points, at the start, middle and end of the range, as graphite-web draws it. The name is
 * Python's str() of the value: a float parameter, so `constantLine(1)` is named "1.0".
 */
export function constantSeries(ctx: EvalContext, value: number, name: string): Series {
  const start = Math.trunc(ctx.startTime);
  const end = Math.trunc(ctx.endTime);
  const step = Math.trunc((end - start) / 2);
  return makeSeries({ name, start, end, step, values: [value, value, value], xFilesFactor: ctx.xFilesFactor });
}

export const constantLine: FunctionDef = {
  name: 'constantLine',
  group: 'Special',
  description: 'A horizontal line at the given value across the whole time range.',
  params: [{ name: 'value', type: 'float', required: true }],
  call(ctx, [value]) {
    const v = value as number;
    const series = constantSeries(ctx, v, pyFloatStr(v));
    return [{ ...series, pathExpression: `constantLine(${pyFloatStr(v)})` }];
  },
};
