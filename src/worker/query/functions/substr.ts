import type { FunctionDef, Series } from '../types';
import { SERIES_LIST } from './common';

/**
 * graphite-web's substr() name: the text inside the innermost call's parentheses (from the last `(` to the first
 * `)`), its dot-separated nodes from `start` to `stop` (0: to the end; negative counts from the end, as Python
 * slices do), and anything from a comma on dropped (`func(a.b,'c')` gives `a.b`, not `a.b,'c'`).
 */
export function substrName(name: string, start: number, stop: number): string {
  const left = name.lastIndexOf('(') + 1;
  const first = name.indexOf(')');
  const clean = name.slice(left, first < 0 ? name.length : first);
  const nodes = clean.split('.');
  return (stop === 0 ? nodes.slice(start) : nodes.slice(start, stop)).join('.').replace(/,.*$/, '');
}

export function substrSeries(seriesList: readonly Series[], start: number, stop: number): Series[] {
  return seriesList.map((s) => ({ ...s, name: substrName(s.name, start, stop) }));
}

export const substr: FunctionDef = {
  name: 'substr',
  group: 'Special',
  description:
    'Names each series by a slice of the nodes of its metric path: from node `start` up to, not including, ' +
    '`stop` (0: to the end; negative numbers count from the end). For a series made by a function, the path ' +
    'is the one inside the innermost parentheses.',
  params: [SERIES_LIST, { name: 'start', type: 'node', default: 0 }, { name: 'stop', type: 'node', default: 0 }],
  call(_ctx, [seriesList, start, stop]) {
    return substrSeries(seriesList as Series[], (start as number | undefined) ?? 0, (stop as number | undefined) ?? 0);
  },
};
