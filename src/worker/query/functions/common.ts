/** Parameter declarations and evaluation helpers shared by the function definitions. */
import { AGG_FUNC_NAMES } from '../aggfuncs';
import { parseTimeOffset } from '../attime';
import { type EvalContext, type Expr, type ParamDef, QueryError, type Series } from '../types';

export const SERIES_LIST: ParamDef = { name: 'seriesList', type: 'seriesList', required: true };
export const SERIES_LISTS: ParamDef = { name: 'seriesLists', type: 'seriesList', required: true, multiple: true };

export function aggFuncParam(name: string, required: boolean, dflt?: string): ParamDef {
  const p: ParamDef = { name, type: 'aggFunc', options: [...AGG_FUNC_NAMES] };
  if (required) {
    p.required = true;
  }
  if (dflt !== undefined) {
    p.default = dflt;
  }
  return p;
}

/** graphite-web's suggestions for window sizes (points or intervals). */
export const INT_OR_INTERVAL_SUGGESTIONS = [5, 7, 10, '1min', '5min', '10min', '30min', '1hour'];

/** Evaluates a sub-expression in another context (shifted or widened range) to a series list. */
export async function evaluateSeries(ctx: EvalContext, expr: Expr | undefined): Promise<Series[]> {
  if (expr === undefined) {
    throw new QueryError('missing series argument');
  }
  const result = await ctx.evaluate(ctx, expr);
  if (!Array.isArray(result)) {
    throw new QueryError('expected a series list', expr.start);
  }
  return result;
}

/** Optional arguments arrive as their default, or as null or undefined when there is none. */
export function isSet<T>(v: T | null | undefined): v is T {
  return v !== null && v !== undefined;
}

/** Seconds in an interval argument such as "5min" or "-7d". */
export function intervalSeconds(text: string): number {
  try {
    return parseTimeOffset(text);
  } catch (e) {
    throw new QueryError((e as Error).message);
  }
}
