/**
 * The query engine's vocabulary, in Graphite's terms: a target expression evaluates to a list
 * of series, each a name, tags and evenly spaced values. Times are Unix seconds here, as in
 * Graphite's render API (the store below speaks milliseconds).
 */

export type ConsolidationFunc = 'average' | 'sum' | 'min' | 'max' | 'first' | 'last' | 'avg' | 'avg_zero';

/** One series, as graphite-web's TimeSeries: values[i] is at start + i * step; null where empty. */
export interface Series {
  /** Display name: the path, or the expression that produced it (`sumSeries(a.*)`). */
  name: string;
  /** Tags, always including `name` (the path without tags), as graphite-web's series.tags. */
  tags: Record<string, string>;
  /** The path expression the series was fetched by; functions that re-fetch (timeShift) use it. */
  pathExpression: string;
  start: number;
  end: number;
  step: number;
  values: Array<number | null>;
  /** How render consolidates this series to maxDataPoints (consolidateBy). */
  consolidationFunc: ConsolidationFunc;
  /**
   * Quantile sketch per point, when the series is a timing series read from the store. Valid only
   * while values[i] still is stored bucket i: a function that changes values, start or step must
   * not carry it into its result (spread copies do: drop it explicitly).
   */
  sketches?: Array<Uint8Array | undefined>;
  /** Share of non-null values a consolidated point needs (graphite-web's xFilesFactor); 0 when absent. */
  xFilesFactor?: number;
}

/** A parsed target expression. `start` and `end` are character offsets, for error messages. */
export type Expr =
  | { kind: 'path'; path: string; start: number; end: number }
  | {
      kind: 'call';
      name: string;
      args: Expr[];
      kwargs: Record<string, Expr>;
      start: number;
      end: number;
      /** The call's text as written (graphite-web's `raw`): seriesByTag's series keep it as pathExpression. */
      raw?: string;
    }
  | { kind: 'string'; value: string; start: number; end: number }
  | { kind: 'number'; value: number; start: number; end: number }
  | { kind: 'boolean'; value: boolean; start: number; end: number }
  | { kind: 'none'; start: number; end: number };

/** A malformed target: the position (0-based character offset) and what was expected there. */
export class QuerySyntaxError extends Error {
  constructor(
    message: string,
    readonly position: number
  ) {
    super(message);
  }
}

/** A well-formed target that cannot be evaluated: unknown function, bad argument, ... */
export class QueryError extends Error {
  constructor(
    message: string,
    readonly position?: number,
    readonly field?: string
  ) {
    super(message);
  }
}

/** A query that would read or return more than the configured limits allow (HTTP 422). */
export class QueryLimitError extends Error {
  constructor(
    message: string,
    readonly limit: string,
    readonly value: number
  ) {
    super(message);
  }
}

/** What an evaluation knows: the time range and how to fetch and evaluate sub-expressions. */
export interface EvalContext {
  startTime: number;
  endTime: number;
  /** "now" for relative times, seconds. */
  now: number;
  /** Asked of render; functions may use it (graphite-web passes it through). */
  maxDataPoints?: number;
  /** The request's xFilesFactor, which fetched series carry (graphite-web's DEFAULT_XFILES_FACTOR is 0). */
  xFilesFactor?: number;
  /** Fetch the series a path or seriesByTag expression names, in this context's range. */
  fetch(ctx: EvalContext, expr: Expr): Promise<Series[]>;
  /** Evaluate any expression in a (possibly shifted) context: timeShift, movingAverage bootstrap. */
  evaluate(ctx: EvalContext, expr: Expr): Promise<Series[] | string | number | boolean | null>;
}

export type ParamType =
  | 'seriesList'
  | 'seriesLists'
  | 'series'
  | 'string'
  | 'integer'
  | 'float'
  | 'boolean'
  | 'node'
  | 'nodeOrTag'
  | 'tag'
  | 'intOrInterval'
  | 'interval'
  | 'aggFunc'
  | 'aggOrSeriesFunc'
  | 'intOrInf'
  | 'any';

/** A parameter as graphite-web's /functions describes it (Grafana builds its editor from this). */
export interface ParamDef {
  name: string;
  type: ParamType;
  required?: boolean;
  default?: string | number | boolean | null;
  /** Allowed values, for string-like parameters. */
  options?: Array<string | number>;
  /** Accepts any number of values (graphite-web's `multiple: true`). */
  multiple?: boolean;
  suggestions?: Array<string | number>;
}

/**
 * Evaluated arguments, one slot per param of the definition, in its order, whether given by
 * position or keyword. A missing optional param holds its default (undefined without one); a
 * `multiple` param's slot holds an array of every value given for it (possibly empty). Series
 * params hold Series[]; other values are coerced to the param's type (integer, float, boolean,
 * string; intOrInf may be Infinity; nodeOrTag and intOrInterval keep a number or a string).
 */
export type Args = Array<unknown>;

/** One function of the library: its description drives evaluation and the /functions answer. */
export interface FunctionDef {
  name: string;
  group:
    'Alias' | 'Calculate' | 'Combine' | 'Filter Data' | 'Filter Series' | 'Graph' | 'Sorting' | 'Special' | 'Transform';
  description: string;
  params: ParamDef[];
  /**
   * Evaluate with arguments already evaluated and matched to `params` (missing optional ones
   * are their defaults). `raw` holds the unevaluated argument expressions, for functions that
   * re-evaluate an argument in another context: raw[i] is the expression given for params[i]
   * (by position or keyword; undefined where defaulted), and a `multiple` param's expressions
   * fill the rest, so raw[0] is always a function's first argument, piped ones included.
   */
  call(ctx: EvalContext, args: Args, raw: Expr[]): Promise<Series[]> | Series[];
}
