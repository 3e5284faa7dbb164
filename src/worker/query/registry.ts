/**
 * The function registry: every function of the target language declared once, with the
 * parameter metadata that both drives evaluation (argument matching and type checks) and answers
 * graphite-web's /functions, from which Grafana's Graphite editor builds its function picker.
 */
import { type FunctionInfo, type FunctionParam, SERIES_PARAM_TYPES } from '../../shared/api';
import { AGG_FUNC_NAMES } from './aggfuncs';
import { formatExpr } from './parser';
import { parseTimeOffset } from './attime';
import { type EvalContext, type Expr, type FunctionDef, type ParamDef, QueryError, type Series } from './types';

type CallExpr = Extract<Expr, { kind: 'call' }>;

/** A param's allowed values: its own and, as graphite-web's aggFunc type adds them, the aggregation names. */
function optionsOf(p: ParamDef): Array<string | number> {
  const own = p.options ?? [];
  return p.type === 'aggFunc' ? [...new Set([...own, ...AGG_FUNC_NAMES])] : own;
}

/**
 * seriesByTag: the series whose tags match every expression (`tag=value`, `tag!=value`,
 * `tag=~regex`, `tag!=~regex`). The evaluator hands a seriesByTag call as written to the fetcher,
 * as graphite-web does, so its series keep the call's text as their pathExpression; this
 * definition serves /functions, argument checks, and calls built by other functions.
 */
export const seriesByTag: FunctionDef = {
  name: 'seriesByTag',
  group: 'Special',
  description: [
    'Returns a SeriesList of series matching all the specified tag expressions.',
    '',
    'Example:',
    '',
    '.. code-block:: none',
    '',
    '  &target=seriesByTag("tag1=value1","tag2!=value2")',
    '',
    'Returns a seriesList of all series that have tag1 set to value1, AND do not have tag2 set to value2.',
    '',
    'Tags specifiers are strings, and may have the following formats:',
    '',
    '.. code-block:: none',
    '',
    '  tag=spec    tag value exactly matches spec',
    '  tag!=spec   tag value does not exactly match spec',
    '  tag=~value  tag value matches the regular expression spec',
    '  tag!=~spec  tag value does not match the regular expression spec',
    '',
    "Any tag spec that matches an empty value is considered to match series that don't have that tag.",
    '',
    'At least one tag spec must require a non-empty value.',
    '',
    'Regular expression conditions are treated as being anchored at the start of the value.',
  ].join('\n'),
  params: [{ name: 'tagExpressions', type: 'string', required: true, multiple: true }],
  call(ctx: EvalContext, args): Promise<Series[]> {
    const exprs = args[0] as string[];
    return ctx.fetch(ctx, {
      kind: 'call',
      name: 'seriesByTag',
      args: exprs.map((value) => ({ kind: 'string', value, start: 0, end: 0 })),
      kwargs: {},
      start: 0,
      end: 0,
    });
  },
};

export class FunctionRegistry {
  private readonly defs = new Map<string, FunctionDef>();

  /** Checks every definition once, at startup: a bad one is a programming error. */
  constructor(defs: Iterable<FunctionDef>) {
    for (const def of defs) {
      if (this.defs.has(def.name)) {
        throw new Error(`function '${def.name}' is defined twice`);
      }
      const names = new Set<string>();
      def.params.forEach((p, i) => {
        if (names.has(p.name)) throw new Error(`function '${def.name}' has two params named '${p.name}'`);
        names.add(p.name);
        if (p.multiple && i !== def.params.length - 1) {
          throw new Error(`function '${def.name}': only the last param may be multiple ('${p.name}' is not last)`);
        }
      });
      this.defs.set(def.name, def);
    }
  }

  get(name: string): FunctionDef | undefined {
    return this.defs.get(name);
  }

  get size(): number {
    return this.defs.size;
  }

  /** /functions: by name, or by group then name (`grouped`), optionally one group only. */
  describe(opts: { group?: string; grouped?: boolean } = {}): Record<string, unknown> {
    const out: Record<string, Record<string, FunctionInfo> | FunctionInfo> = {};
    for (const def of this.defs.values()) {
      if (opts.group !== undefined && def.group !== opts.group) continue;
      const info = functionInfo(def);
      if (opts.grouped) {
        ((out[def.group] ??= {}) as Record<string, FunctionInfo>)[def.name] = info;
      } else {
        out[def.name] = info;
      }
    }
    return out;
  }
}

export function functionInfo(def: FunctionDef): FunctionInfo {
  return {
    name: def.name,
    function: `${def.name}(${def.params.map(signaturePart).join(', ')})`,
    description: def.description,
    module: 'graphite.render.functions',
    group: def.group,
    params: def.params.map(paramInfo),
  };
}

function signaturePart(p: ParamDef): string {
  if (p.multiple) return `*${p.name}`;
  if (p.required) return p.name;
  return `${p.name}=${pythonRepr(p.default ?? null)}`;
}

function pythonRepr(v: string | number | boolean | null): string {
  if (v === null) return 'None';
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (typeof v === 'number') return v === Infinity ? 'inf' : String(v);
  return `'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

function paramInfo(p: ParamDef): FunctionParam {
  const info: FunctionParam = { name: p.name, type: p.type };
  if (p.required) info.required = true;
  if (p.default !== undefined && p.default !== null) info.default = p.default;
  if (p.multiple) info.multiple = true;
  const options = optionsOf(p);
  if (options.length > 0) {
    info.options = [...new Set(options)].sort((a, b) => (String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0));
  }
  if (p.suggestions && p.suggestions.length > 0) info.suggestions = p.suggestions;
  return info;
}

/**
 * graphite-web's /functions JSON. Infinity (intOrInf defaults) is written 1e9999, as
 * graphite-web writes it, which JSON parsers read back as Infinity.
 */
export function functionsJson(value: unknown): string {
  const INF = '\u0000inf\u0000';
  return JSON.stringify(value, (_k, v: unknown) => (v === Infinity ? INF : v)).replaceAll(
    JSON.stringify(INF),
    '1e9999'
  );
}

/** The argument expressions of a call, one slot per param of its definition. */
export type BoundArgs = Array<Expr | Expr[] | undefined>;

/**
 * Matches a call's arguments to a definition's params: positional ones in order (a multiple last
 * param takes the rest), keyword ones by name. Errors name the function, the param and the
 * position of the argument at fault.
 */
export function bindArguments(def: FunctionDef, call: CallExpr): BoundArgs {
  const params = def.params;
  const bound: BoundArgs = new Array(params.length).fill(undefined);
  call.args.forEach((arg, i) => {
    const last = params[params.length - 1];
    if (i < params.length && !params[i]!.multiple) {
      bound[i] = arg;
    } else if (last?.multiple) {
      ((bound[params.length - 1] ??= []) as Expr[]).push(arg);
    } else {
      throw new QueryError(`too many arguments for function '${def.name}': it takes ${params.length}`, arg.start);
    }
  });
  for (const [name, arg] of Object.entries(call.kwargs)) {
    const i = params.findIndex((p) => p.name === name);
    if (i < 0) {
      const names = params.map((p) => p.name).join(', ');
      throw new QueryError(`function '${def.name}' has no parameter '${name}' (it has: ${names})`, arg.start, name);
    }
    if (bound[i] !== undefined) {
      throw new QueryError(`parameter '${name}' of function '${def.name}' is given twice`, arg.start, name);
    }
    bound[i] = params[i]!.multiple ? [arg] : arg;
  }
  params.forEach((p, i) => {
    const b = bound[i];
    const missing = b === undefined || (Array.isArray(b) && b.length === 0) || (!Array.isArray(b) && b.kind === 'none');
    if (p.required && missing) {
      throw new QueryError(`missing required parameter '${p.name}' of function '${def.name}'`, call.start, p.name);
    }
  });
  return bound;
}

/** Whether a param of this type takes an expression's series (a path or a call). */
export function takesSeries(p: ParamDef): boolean {
  return SERIES_PARAM_TYPES.has(p.type) || p.type === 'any';
}

/**
 * Checks and converts a literal argument to its param's type, as graphite-web's param
 * validators do (integer refuses 1.5, float and integer accept numeric strings, boolean accepts
 * 'true'/'false' and 0/1, interval must parse as an offset); and checks it against `options`.
 */
export function coerceArgument(def: FunctionDef, p: ParamDef, value: unknown, expr: Expr): unknown {
  const bad = (what: string): QueryError =>
    new QueryError(
      `invalid value ${formatExpr(expr)} for parameter '${p.name}' of function '${def.name}': ${what}`,
      expr.start,
      p.name
    );
  let v = value;
  switch (p.type) {
    case 'integer':
    case 'node':
      v = toInteger(v);
      if (v === undefined) throw bad('expected an integer');
      break;
    case 'float':
      v = typeof v === 'boolean' ? Number(v) : toFloat(v);
      if (v === undefined) throw bad('expected a number');
      break;
    case 'intOrInf':
      v = v === Infinity ? v : toInteger(v);
      if (v === undefined) throw bad('expected an integer or inf');
      break;
    case 'boolean':
      if (typeof v === 'string' && /^(true|false)$/i.test(v)) v = v.toLowerCase() === 'true';
      else if (v === 0 || v === 1) v = v === 1;
      if (typeof v !== 'boolean') throw bad('expected true or false');
      break;
    case 'interval':
      if (typeof v !== 'string') throw bad("expected a time interval in quotes, like '1h'");
      try {
        parseTimeOffset(v);
      } catch (e) {
        throw bad((e as Error).message);
      }
      break;
    case 'nodeOrTag':
    case 'intOrInterval':
      if (typeof v === 'number' && !Number.isInteger(v)) throw bad('expected an integer or a string');
      if (typeof v !== 'number' && typeof v !== 'string') throw bad('expected an integer or a string');
      break;
    case 'string':
    case 'tag':
    case 'aggFunc':
    case 'aggOrSeriesFunc':
      if (typeof v !== 'string') throw bad('expected a string in quotes');
      break;
  }
  const options = optionsOf(p);
  if (options.length > 0 && !options.includes(v as string | number)) {
    // graphite-web still accepts the old aggregation names (sumSeries for sum), with a warning.
    const legacy = p.type === 'aggFunc' && typeof v === 'string' && options.includes(v.replace(/Series$/, ''));
    if (!legacy) throw bad(`expected one of ${options.join(', ')}`);
  }
  return v;
}

function toInteger(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isInteger(v) ? v : undefined;
  if (typeof v === 'string' && /^\s*[+-]?\d+\s*$/.test(v)) return Number(v);
  return undefined;
}

function toFloat(v: unknown): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v !== 'string') return undefined;
  const t = v.trim().toLowerCase();
  if (/^[+-]?(inf|infinity)$/.test(t)) return t.startsWith('-') ? -Infinity : Infinity;
  return /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/.test(t) ? Number(t) : undefined;
}
