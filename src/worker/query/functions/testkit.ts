/**
 * Test support for the function library: hand-built series and an evaluation context whose
 * fetch serves fixed data the way whisper does (points from the first step after `from` to the
 * first step after `until`), so functions that re-read their argument over another range
 * (timeShift, movingAverage, hitcount) can be checked.
 */
import { parseTaggedName } from '../seriesutil';
import type { EvalContext, Expr, FunctionDef, Series } from '../types';

export function series(
  name: string,
  values: Array<number | null>,
  opts: { start?: number; step?: number; pathExpression?: string; sketches?: Array<Uint8Array | undefined> } = {}
): Series {
  const start = opts.start ?? 600;
  const step = opts.step ?? 60;
  const s: Series = {
    name,
    tags: parseTaggedName(name),
    pathExpression: opts.pathExpression ?? name,
    start,
    end: start + step * values.length,
    step,
    values,
    consolidationFunc: 'average',
  };
  if (opts.sketches) {
    s.sketches = opts.sketches;
  }
  return s;
}

export function pathExpr(path: string): Expr {
  return { kind: 'path', path, start: 0, end: path.length };
}

/** A stored series: its values from t0 on, one per step. */
export interface Stored {
  t0: number;
  step: number;
  values: Array<number | null>;
  sketches?: Array<Uint8Array | undefined>;
}

function globToRegExp(glob: string): RegExp {
  const body = glob
    .split('')
    .map((c) => (c === '*' ? '[^.]*' : c.replace(/[.+?^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${body}$`);
}

/** What fetching `path` over [startTime, endTime) gives, from `stored` (globs with * only). */
export function fetchStored(stored: Record<string, Stored>, ctx: EvalContext, path: string): Series[] {
  const re = globToRegExp(path);
  const out: Series[] = [];
  for (const name of Object.keys(stored).sort()) {
    if (!re.test(name.split(';')[0]!)) {
      continue;
    }
    const st = stored[name]!;
    const from = ctx.startTime - (ctx.startTime % st.step) + st.step;
    const until = ctx.endTime - (ctx.endTime % st.step) + st.step;
    const values: Array<number | null> = [];
    const sketches: Array<Uint8Array | undefined> = [];
    for (let t = from; t < until; t += st.step) {
      const k = (t - st.t0) / st.step;
      const inside = Number.isInteger(k) && k >= 0 && k < st.values.length;
      values.push(inside ? st.values[k]! : null);
      sketches.push(inside ? st.sketches?.[k] : undefined);
    }
    const s = series(name, values, { start: from, step: st.step, pathExpression: path });
    if (st.sketches) {
      s.sketches = sketches;
    }
    out.push(s);
  }
  return out;
}

/** A context over [startTime, endTime) whose paths come from `stored`; it evaluates paths only. */
export function fakeContext(
  stored: Record<string, Stored> = {},
  range: { startTime?: number; endTime?: number; xFilesFactor?: number } = {}
): EvalContext {
  const ctx: EvalContext = {
    startTime: range.startTime ?? 600,
    endTime: range.endTime ?? 900,
    now: range.endTime ?? 900,
    fetch: async (c, expr) => (expr.kind === 'path' ? fetchStored(stored, c, expr.path) : []),
    evaluate: async (c, expr) => {
      if (expr.kind !== 'path') {
        throw new Error(`the test context evaluates paths only, not ${expr.kind}`);
      }
      return fetchStored(stored, c, expr.path);
    },
  };
  if (range.xFilesFactor !== undefined) {
    ctx.xFilesFactor = range.xFilesFactor;
  }
  return ctx;
}

/** Calls a definition as the evaluator does: one argument per param, defaults filled in. */
export async function call(
  def: FunctionDef,
  args: unknown[],
  opts: { ctx?: EvalContext; raw?: Expr[] } = {}
): Promise<Series[]> {
  const filled = def.params.map((p, i) => (i < args.length ? args[i] : p.multiple ? [] : p.default));
  return def.call(opts.ctx ?? fakeContext(), filled, opts.raw ?? []);
}

/** Names and values, the part of a result a Graphite user compares. */
export function shape(list: Series[]): Array<{ name: string; values: Array<number | null> }> {
  return list.map((s) => ({ name: s.name, values: s.values }));
}
