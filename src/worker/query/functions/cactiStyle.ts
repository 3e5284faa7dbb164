import { safeLast, safeMax, safeMin } from '../aggfuncs';
import { formatFixed } from '../seriesutil';
import { type FunctionDef, QueryError, type Series } from '../types';
import { SERIES_LIST } from './common';

const UNIT_SYSTEMS: Record<string, Array<[string, number]>> = {
  binary: [
    ['Pi', 1024 ** 5],
    ['Ti', 1024 ** 4],
    ['Gi', 1024 ** 3],
    ['Mi', 1024 ** 2],
    ['Ki', 1024],
  ],
  si: [
    ['P', 1000 ** 5],
    ['T', 1000 ** 4],
    ['G', 1000 ** 3],
    ['M', 1000 ** 2],
    ['k', 1000],
  ],
};

/** graphite-web's format_units: the value in the largest unit it reaches, whole values floored. */
function formatUnits(v: number, system: string, units?: string): [number, string] {
  for (const [prefix, size] of UNIT_SYSTEMS[system]!) {
    if (Math.abs(v) >= size) {
      let v2 = v / size;
      if (v2 - Math.floor(v2) < 0.00000000001 && v > 1) {
        v2 = Math.floor(v2);
      }
      return [v2, units ? prefix + units : prefix];
    }
  }
  if (v - Math.floor(v) < 0.00000000001 && v > 1) {
    v = Math.floor(v);
  }
  return [v, units ?? ''];
}

function formatter(system: string | undefined, units: string | undefined): (x: number) => string {
  if (system) {
    return (x) => {
      const [v, prefix] = formatUnits(x, system, units);
      return formatFixed(v, 2) + (units ? ' ' : '') + prefix;
    };
  }
  return units ? (x) => `${formatFixed(x, 2)} ${units}` : (x) => formatFixed(x, 2);
}

export const cactiStyle: FunctionDef = {
  name: 'cactiStyle',
  group: 'Special',
  description:
    'Appends the current (last), maximum and minimum values to each name, in aligned columns (for a ' +
    'monospace legend). system "si" or "binary" writes them with unit prefixes (k, M, ... or Ki, Mi, ...); ' +
    'units is a suffix such as "b".',
  params: [
    SERIES_LIST,
    { name: 'system', type: 'string', options: ['binary', 'si'] },
    { name: 'units', type: 'string' },
  ],
  call(_ctx, [seriesList, system, units]) {
    const list = seriesList as Series[];
    if (list.length === 0) {
      return list;
    }
    const sys = typeof system === 'string' && system !== '' ? system : undefined;
    const unit = typeof units === 'string' && units !== '' ? units : undefined;
    if (sys !== undefined && !(sys in UNIT_SYSTEMS)) {
      throw new QueryError(`cactiStyle: unknown unit system ${JSON.stringify(sys)}`);
    }
    const fmt = formatter(sys, unit);
    // Column widths come from the integer parts, with 3 for a missing or zero value, as in graphite-web.
    const width = (f: (v: Series['values']) => number | null): number =>
      Math.max(0, ...list.map((s) => fmt(Math.trunc(f(s.values) || 3)).length)) + 3;
    const nameLen = Math.max(0, ...list.map((s) => s.name.length));
    const lastLen = width(safeLast);
    const maxLen = width(safeMax);
    const minLen = width(safeMin);
    const cell = (v: number | null): string => (v === null ? 'nan' : fmt(v));
    return list.map((s) => {
      const name =
        `${s.name.padEnd(nameLen)} Current:${cell(safeLast(s.values)).padEnd(lastLen)}` +
        ` Max:${cell(safeMax(s.values)).padEnd(maxLen)} Min:${cell(safeMin(s.values)).padEnd(minLen)} `;
      return { ...s, name };
    });
  },
};
