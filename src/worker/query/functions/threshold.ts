import { pyFloatStr } from '../seriesutil';
import type { FunctionDef } from '../types';
import { constantSeries } from './constantLine';

export const threshold: FunctionDef = {
  name: 'threshold',
  group: 'Graph',
  description:
    'A horizontal line at the value, named by the label if given. The color applies to rendered ' +
    'graphs only and does not appear in data output.',
  params: [
    { name: 'value', type: 'float', required: true },
    { name: 'label', type: 'string' },
    { name: 'color', type: 'string' },
  ],
  call(ctx, [value, label]) {
    const v = value as number;
    const series = constantSeries(ctx, v, pyFloatStr(v));
    const pathExpression = `constantLine(${pyFloatStr(v)})`;
    return [{ ...series, pathExpression, name: typeof label === 'string' && label !== '' ? label : series.name }];
  },
};
