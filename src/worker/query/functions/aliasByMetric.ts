import type { FunctionDef, Series } from '../types';
import { SERIES_LIST } from './common';
import { substrSeries } from './substr';

export const aliasByMetric: FunctionDef = {
  name: 'aliasByMetric',
  group: 'Alias',
  description:
    'Names each series by the last node of its metric path (`servers.web1.cpu.user` becomes `user`); for a ' +
    'series made by a function, of the path inside the innermost parentheses.',
  params: [SERIES_LIST],
  call(_ctx, [seriesList]) {
    return substrSeries(seriesList as Series[], -1, 0);
  },
};
