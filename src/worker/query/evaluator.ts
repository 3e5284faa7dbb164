/**
 * Evaluates parsed targets: paths and seriesByTag calls are fetched, every other call is looked
 * up in the registry, its arguments matched to the definition's params, checked and evaluated
 * (series arguments first fetched or computed), and the function applied.
 */
import { bindArguments, coerceArgument, type FunctionRegistry, takesSeries } from './registry';
import { type EvalContext, type Expr, type FunctionDef, QueryError, type Series } from './types';

type CallExpr = Extract<Expr, { kind: 'call' }>;
type Value = Series[] | string | number | boolean | null;

export interface ContextOptions {
  registry: FunctionRegistry;
  fetch: EvalContext['fetch'];
  startTime: number;
  endTime: number;
  now: number;
  maxDataPoints?: number;
  xFilesFactor?: number;
}

/** The context a request's targets are evaluated in; functions derive shifted ones by spreading it. */
export function createEvalContext(opts: ContextOptions): EvalContext {
  const { registry } = opts;
  const ctx: EvalContext = {
    startTime: opts.startTime,
    endTime: opts.endTime,
    now: opts.now,
    fetch: opts.fetch,
    evaluate: (c, expr) => evaluateExpr(registry, c, expr),
  };
  if (opts.maxDataPoints !== undefined) ctx.maxDataPoints = opts.maxDataPoints;
  if (opts.xFilesFactor !== undefined) ctx.xFilesFactor = opts.xFilesFactor;
  return ctx;
}

/** A whole target: its value must be a series list (a path or a call, as the grammar has it). */
export async function evaluateTarget(ctx: EvalContext, expr: Expr): Promise<Series[]> {
  const v = await ctx.evaluate(ctx, expr);
  if (!Array.isArray(v)) {
    throw new QueryError('a target must be a metric path or a function call', expr.start);
  }
  return v;
}

async function evaluateExpr(registry: FunctionRegistry, ctx: EvalContext, expr: Expr): Promise<Value> {
  switch (expr.kind) {
    case 'string':
    case 'number':
    case 'boolean':
      return expr.value;
    case 'none':
      return null;
    case 'path':
      return ctx.fetch(ctx, expr);
    case 'call':
      return evaluateCall(registry, ctx, expr);
  }
}

async function evaluateCall(registry: FunctionRegistry, ctx: EvalContext, call: CallExpr): Promise<Series[]> {
  const def = registry.get(call.name);
  if (!def) {
    throw new QueryError(`unknown function '${call.name}'`, call.start, call.name);
  }
  const bound = bindArguments(def, call);
  const args: unknown[] = [];
  const raw: Expr[] = [];
  for (let i = 0; i < def.params.length; i++) {
    const p = def.params[i]!;
    const b = bound[i];
    if (Array.isArray(b)) {
      const values: unknown[] = [];
      for (const e of b) values.push(await evaluateArg(ctx, def, i, e));
      args.push(values);
      raw.length = i; // defaulted params before it stay holes
      raw.push(...b);
    } else if (b === undefined || b.kind === 'none') {
      args.push(p.multiple ? [] : (p.default ?? undefined));
      if (b) raw[i] = b;
    } else {
      args.push(await evaluateArg(ctx, def, i, b));
      raw[i] = b;
    }
  }
  // As graphite-web does: the call as written is the fetch's path expression.
  if (def.name === 'seriesByTag') {
    return ctx.fetch(ctx, call);
  }
  const result = await def.call(ctx, args, raw);
  if (!Array.isArray(result)) {
    throw new Error(`function '${def.name}' returned ${typeof result}, not a series list`);
  }
  return result;
}

async function evaluateArg(ctx: EvalContext, def: FunctionDef, i: number, expr: Expr): Promise<unknown> {
  const p = def.params[i]!;
  const isSeriesExpr = expr.kind === 'path' || expr.kind === 'call';
  if (takesSeries(p)) {
    if (!isSeriesExpr && p.type !== 'any') {
      throw new QueryError(
        `parameter '${p.name}' of function '${def.name}' takes a series list, not ${describe(expr)}`,
        expr.start,
        p.name
      );
    }
    return ctx.evaluate(ctx, expr);
  }
  if (isSeriesExpr) {
    const hint = expr.kind === 'path' ? ` (quote strings: '${expr.path}')` : '';
    throw new QueryError(
      `parameter '${p.name}' of function '${def.name}' takes ${/^[aeiou]/i.test(p.type) ? 'an' : 'a'} ${p.type}, not a series list${hint}`,
      expr.start,
      p.name
    );
  }
  return coerceArgument(def, p, await ctx.evaluate(ctx, expr), expr);
}

function describe(expr: Expr): string {
  switch (expr.kind) {
    case 'string':
      return `the string '${expr.value}'`;
    case 'number':
      return `the number ${expr.value}`;
    case 'boolean':
      return `the boolean ${expr.value}`;
    default:
      return 'None';
  }
}
