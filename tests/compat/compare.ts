/**
 * Comparing two /render JSON answers the way the suite promises: the same series in the same order, the same names
 * (`target`) and tags, the same timestamps, values equal within 1e-9 relative, nulls in the same places. The answer
 * is a readable description of the first differences, or undefined when the answers agree.
 */
import type { RenderSeries } from './graphite-web';

/** Relative tolerance on values. */
export const REL_TOLERANCE = 1e-9;
/**
 * Absolute floor under the relative tolerance: a difference of two nearly equal values (diffSeries, derivative of a
 * float series, a standard deviation of equal values) can be 1e-17 on one side and exactly 0 on the other, which no
 * relative tolerance accepts; both are zero for any purpose.
 */
export const ABS_FLOOR = 1e-12;

export function valuesEqual(a: number | null, b: number | null): boolean {
  if (a === null || b === null) return a === b;
  if (a === b) return true;
  if (!Number.isFinite(a) || !Number.isFinite(b)) return false;
  const d = Math.abs(a - b);
  return d <= ABS_FLOOR || d <= REL_TOLERANCE * Math.max(Math.abs(a), Math.abs(b));
}

const iso = (t: number): string => new Date(t * 1000).toISOString().replace('.000Z', 'Z');

function show(v: unknown): string {
  return v === undefined ? '(absent)' : JSON.stringify(v);
}

function tagsEqual(a: Record<string, string> | undefined, b: Record<string, string> | undefined): boolean {
  const ka = Object.keys(a ?? {}).sort();
  const kb = Object.keys(b ?? {}).sort();
  return ka.length === kb.length && ka.every((k, i) => k === kb[i] && a![k] === b![k]);
}

function sortedTags(t: Record<string, string> | undefined): string {
  if (t === undefined) return '(absent)';
  return JSON.stringify(Object.fromEntries(Object.entries(t).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))));
}

/**
 * Differences between graphite-web's answer (`expected`) and the worker's (`actual`), at most `maxReports` lines of
 * point differences per series, or undefined when they agree.
 */
export function diffRender(expected: RenderSeries[], actual: RenderSeries[], maxReports = 3): string | undefined {
  const out: string[] = [];
  const names = (l: RenderSeries[]): string => l.map((s) => s.target).join('\n      ');
  if (expected.length !== actual.length) {
    out.push(
      `series count: graphite-web ${expected.length}, worker ${actual.length}`,
      `  graphite-web: ${names(expected)}`,
      `  worker:       ${names(actual)}`
    );
    // Still compare the series both have, by name, so the report says more than "different counts".
    const byName = new Map(actual.map((s) => [s.target, s]));
    for (const e of expected) {
      const a = byName.get(e.target);
      if (a) {
        const d = diffSeries(e, a, maxReports);
        if (d) out.push(d);
      }
    }
    return out.join('\n');
  }
  const sameOrder = expected.every((e, i) => e.target === actual[i]!.target);
  if (!sameOrder) {
    const se = [...expected.map((s) => s.target)].sort();
    const sa = [...actual.map((s) => s.target)].sort();
    const sameSet = se.every((n, i) => n === sa[i]);
    out.push(
      sameSet ? 'the same series names in a different order' : 'series names differ',
      `  graphite-web: ${names(expected)}`,
      `  worker:       ${names(actual)}`
    );
  }
  for (let i = 0; i < expected.length; i++) {
    const d = diffSeries(expected[i]!, actual[i]!, maxReports, i);
    if (d) out.push(d);
  }
  return out.length ? out.join('\n') : undefined;
}

function diffSeries(e: RenderSeries, a: RenderSeries, maxReports: number, index?: number): string | undefined {
  const out: string[] = [];
  const head = `series ${index === undefined ? '' : `#${index} `}${JSON.stringify(e.target)}`;
  if (e.target !== a.target) out.push(`  name: graphite-web ${show(e.target)}, worker ${show(a.target)}`);
  if (!tagsEqual(e.tags, a.tags)) out.push(`  tags: graphite-web ${sortedTags(e.tags)}, worker ${sortedTags(a.tags)}`);
  const ep = e.datapoints ?? [];
  const ap = a.datapoints ?? [];
  if (ep.length !== ap.length) {
    const span = (p: Array<[number | null, number]>): string =>
      p.length
        ? `${p[0]![1]} (${iso(p[0]![1])}) .. ${p[p.length - 1]![1]}, step ${p.length > 1 ? p[1]![1] - p[0]![1] : '?'}`
        : 'none';
    out.push(`  points: graphite-web ${ep.length} [${span(ep)}], worker ${ap.length} [${span(ap)}]`);
  }
  let reported = 0;
  let mismatches = 0;
  let firstTime: number | undefined;
  const n = Math.min(ep.length, ap.length);
  for (let i = 0; i < n; i++) {
    const [ev, et] = ep[i]!;
    const [av, at] = ap[i]!;
    const timeBad = et !== at;
    const valueBad = !valuesEqual(ev, av);
    if (!timeBad && !valueBad) continue;
    mismatches++;
    firstTime ??= et;
    if (reported < maxReports) {
      reported++;
      const rel =
        ev !== null && av !== null && ev !== 0
          ? ` (relative difference ${Math.abs((av - ev) / ev).toExponential(2)})`
          : '';
      out.push(
        timeBad
          ? `  point ${i}: timestamp graphite-web ${et} (${iso(et)}), worker ${at} (${iso(at)}); values ${show(ev)} / ${show(av)}`
          : `  point ${i} at ${et} (${iso(et)}): graphite-web ${show(ev)}, worker ${show(av)}${rel}`
      );
    }
  }
  if (mismatches > reported) out.push(`  ... ${mismatches} mismatching points in all, the first at ${firstTime}`);
  return out.length ? [head, ...out].join('\n') : undefined;
}

/** JSON with object keys sorted, so that key order does not count. */
export function canonicalJson(v: unknown): string {
  const walk = (x: unknown): unknown => {
    if (Array.isArray(x)) return x.map(walk);
    if (x !== null && typeof x === 'object') {
      return Object.fromEntries(
        Object.keys(x)
          .sort()
          .map((k) => [k, walk((x as Record<string, unknown>)[k])])
      );
    }
    return x;
  };
  return JSON.stringify(walk(v));
}

/** A /metrics/find (treejson) or tag answer: deep equality regardless of key order, described. */
export function diffJson(expected: unknown, actual: unknown): string | undefined {
  const e = canonicalJson(expected);
  const a = canonicalJson(actual);
  if (e === a) return undefined;
  return `graphite-web: ${e.slice(0, 3000)}\nworker:       ${a.slice(0, 3000)}`;
}
