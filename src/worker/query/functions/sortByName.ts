import type { FunctionDef, Series } from '../types';
import { SERIES_LIST } from './common';

/** Digit runs zero-padded to 10 places, so that server2 sorts before server11. */
function naturalKey(name: string): string {
  return name.replace(/\d+/g, (d) => {
    const n = BigInt(d).toString();
    return n.length >= 10 ? n : n.padStart(10, '0');
  });
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export const sortByName: FunctionDef = {
  name: 'sortByName',
  group: 'Sorting',
  description:
    'Sorts the series by name, alphabetically (server1, server11, server2) or, with natural, by the ' +
    'numbers in the names (server1, server2, server11); reverse reverses the order.',
  params: [
    SERIES_LIST,
    { name: 'natural', type: 'boolean', default: false },
    { name: 'reverse', type: 'boolean', default: false },
  ],
  call(_ctx, [seriesList, natural, reverse]) {
    const key = natural === true ? naturalKey : (name: string): string => name;
    const keyed = (seriesList as Series[]).map((s) => ({ s, key: key(s.name) }));
    const sign = reverse === true ? -1 : 1;
    keyed.sort((a, b) => sign * compare(a.key, b.key));
    return keyed.map((k) => k.s);
  },
};
