import { safeSum } from '../aggfuncs';
import {
  aggKey,
  commonRange,
  consolidateValues,
  formatPathExpressions,
  makeSeries,
  pyNumStr,
  type Range,
  type Value,
} from '../seriesutil';
import { type EvalContext, type FunctionDef, QueryError, type Series } from '../types';
import { SERIES_LIST } from './common';

/**
 * graphite-web normalizes series in place: each normalize() call sets how many points of a series
 * make one, until the next call involving that series. asPercent's results depend on that order
 * (a series may be read at the step of its list, then at the step of its pair), so it is kept here.
 */
class Consolidation {
  private readonly perPoint = new Map<Series, number>();

  normalize(series: readonly Series[]): Range | undefined {
    if (series.length === 0) {
      return undefined;
    }
    const range = commonRange(series);
    for (const s of series) {
      this.perPoint.set(s, range.step / s.step);
    }
    return range;
  }

  values(s: Series): Value[] {
    const n = this.perPoint.get(s) ?? 1;
    return n > 1 ? consolidateValues(s.values, n, s.consolidationFunc) : s.values;
  }
}

function rangeOf(r: Range): Range {
  return { start: r.start, end: r.end, step: r.step };
}

function percent(values: readonly Value[], totals: readonly Value[]): Value[] {
  const out: Value[] = new Array(Math.max(values.length, totals.length));
  for (let i = 0; i < out.length; i++) {
    const v = values[i] ?? null;
    const t = totals[i] ?? null;
    out[i] = v === null || t === null || t === 0 ? null : (v / t) * 100;
  }
  return out;
}

function sumRows(columns: ReadonlyArray<readonly Value[]>): Value[] {
  const length = Math.max(0, ...columns.map((c) => c.length));
  const row: Value[] = new Array(columns.length);
  const out: Value[] = new Array(length);
  for (let i = 0; i < length; i++) {
    for (let j = 0; j < columns.length; j++) {
      row[j] = columns[j]![i] ?? null;
    }
    out[i] = safeSum(row);
  }
  return out;
}

function groupBy(
  series: readonly Series[],
  nodes: ReadonlyArray<number | string>,
  keys: string[]
): Map<string, Series[]> {
  const groups = new Map<string, Series[]>();
  for (const s of series) {
    const key = aggKey(s, nodes);
    const group = groups.get(key);
    if (group) {
      group.push(s);
    } else {
      groups.set(key, [s]);
      if (!keys.includes(key)) {
        keys.push(key);
      }
    }
  }
  return groups;
}

function byNodes(
  ctx: EvalContext,
  c: Consolidation,
  seriesList: readonly Series[],
  total: unknown,
  nodes: ReadonlyArray<number | string>
): Series[] {
  const keys: string[] = [];
  const groups = groupBy(seriesList, nodes, keys);
  let totalGroups: Map<string, Series[]>;
  if (total === null || total === undefined) {
    totalGroups = groups;
  } else if (Array.isArray(total)) {
    totalGroups = groupBy(total as Series[], nodes, keys);
  } else {
    throw new QueryError('asPercent: total must be None or a seriesList when nodes are given');
  }
  // graphite-web takes the range of a MISSING result from whichever normalize() ran last.
  let last: Range | undefined;
  const totals = new Map<string, Series>();
  for (const [key, group] of totalGroups) {
    if (group.length === 1) {
      totals.set(key, group[0]!);
      continue;
    }
    last = c.normalize(group)!;
    const values = sumRows(group.map((s) => c.values(s)));
    const name = `sumSeries(${formatPathExpressions(group)})`;
    totals.set(key, makeSeries({ name, ...last, values, xFilesFactor: ctx.xFilesFactor }));
  }
  const results: Series[] = [];
  for (const key of keys) {
    const group = groups.get(key);
    const totalSeries = totals.get(key);
    if (!group) {
      const t = totalSeries!;
      const name = `asPercent(MISSING,${t.name})`;
      results.push(
        makeSeries({ name, ...rangeOf(last ?? t), values: c.values(t).map(() => null), xFilesFactor: ctx.xFilesFactor })
      );
      continue;
    }
    for (const s of group) {
      if (!totalSeries) {
        const name = `asPercent(${s.name},MISSING)`;
        results.push(
          makeSeries({
            name,
            ...rangeOf(last ?? s),
            values: c.values(s).map(() => null),
            xFilesFactor: ctx.xFilesFactor,
          })
        );
        continue;
      }
      last = c.normalize([s, totalSeries])!;
      const name = `asPercent(${s.name},${totalSeries.name})`;
      results.push(
        makeSeries({
          name,
          ...last,
          values: percent(c.values(s), c.values(totalSeries)),
          xFilesFactor: ctx.xFilesFactor,
        })
      );
    }
  }
  return results;
}

export function asPercentOf(
  ctx: EvalContext,
  seriesList: readonly Series[],
  total: unknown,
  nodes: ReadonlyArray<number | string>
): Series[] {
  const c = new Consolidation();
  if (!c.normalize(seriesList)) {
    return [];
  }
  if (nodes.length > 0) {
    return byNodes(ctx, c, seriesList, total, nodes);
  }
  let totalValues: Value[];
  let totalText: string;
  if (total === null || total === undefined) {
    totalValues = sumRows(seriesList.map((s) => c.values(s)));
    totalText = `sumSeries(${formatPathExpressions(seriesList)})`;
  } else if (Array.isArray(total)) {
    const totalList = total as Series[];
    if (totalList.length !== 1 && totalList.length !== seriesList.length) {
      throw new QueryError(
        'asPercent second argument must be missing, a single digit, reference exactly 1 series or reference ' +
          'the same number of series as the first argument'
      );
    }
    if (totalList.length === seriesList.length) {
      // Paired by name order, each pair at its own common step.
      const byName = (a: Series, b: Series): number => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
      const sorted = [...seriesList].sort(byName);
      const sortedTotals = [...totalList].sort(byName);
      return sorted.map((s, i) => {
        const t = sortedTotals[i]!;
        const range = c.normalize([s, t])!;
        return makeSeries({
          name: `asPercent(${s.name},${t.name})`,
          ...range,
          values: percent(c.values(s), c.values(t)),
          xFilesFactor: ctx.xFilesFactor,
        });
      });
    }
    c.normalize([...seriesList, totalList[0]!]);
    totalValues = c.values(totalList[0]!);
    totalText = totalList[0]!.name;
  } else if (typeof total === 'number') {
    totalValues = new Array<Value>(seriesList[0]!.values.length).fill(total);
    totalText = pyNumStr(total);
  } else {
    throw new QueryError('asPercent: total must be a number, a series list or None');
  }
  return seriesList.map((s) =>
    makeSeries({
      name: `asPercent(${s.name},${totalText || s.pathExpression})`,
      start: s.start,
      end: s.end,
      step: s.step,
      values: percent(c.values(s), totalValues),
      xFilesFactor: ctx.xFilesFactor,
    })
  );
}

export const asPercent: FunctionDef = {
  name: 'asPercent',
  group: 'Combine',
  description:
    'Each series as a percentage of a total: by default the sum of all the series; or a number; or one ' +
    'total series; or as many total series as series, paired in name order. With nodes, series and totals ' +
    'are matched by those nodes (or tags), and totals default to the sum of each group; a series or total ' +
    'without a match gives an all-null result named with MISSING.',
  params: [SERIES_LIST, { name: 'total', type: 'any' }, { name: 'nodes', type: 'nodeOrTag', multiple: true }],
  call(ctx, [seriesList, total, nodes]) {
    return asPercentOf(ctx, seriesList as Series[], total, (nodes ?? []) as Array<number | string>);
  },
};
