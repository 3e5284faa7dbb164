import { parseTarget, QuerySyntaxError, type Expr } from './syntax';

/**
 * The query builder's model of a target: a series source (a path or a seriesByTag) and the functions applied to it,
 * innermost first. `sumSeries(aliasByNode(servers.*.cpu, 1))` is the source `servers.*.cpu` with aliasByNode(1),
 * then sumSeries(). The text is the query's truth; the model is derived from it by parsing and written back by
 * formatTarget, so switching between the builder and the text loses nothing the builder can show.
 */

export type ParamValue =
  /** The text between the quotes, as written (escapes included), as the worker reads it. */
  | { kind: 'string'; value: string }
  | { kind: 'number'; value: number }
  | { kind: 'boolean'; value: boolean }
  | { kind: 'none' }
  /** A path, a function call or a template variable, as target text: `servers.*.mem`, `$__interval`. */
  | { kind: 'expr'; text: string };

export interface FunctionCall {
  name: string;
  /** Positional arguments after the series the function is applied to. */
  args: ParamValue[];
  /** Keyword arguments, in the order written. */
  kwargs: Array<[string, ParamValue]>;
}

export type SeriesSource =
  | { kind: 'path'; path: string }
  /** seriesByTag('name=cpu', 'host=~web.*'): the tag expressions, as written. */
  | { kind: 'tags'; expressions: string[] };

export interface BuilderModel {
  source: SeriesSource;
  functions: FunctionCall[];
}

export type BuilderResult =
  | { ok: true; model: BuilderModel }
  /** The text does not parse: the parser's message and position. */
  | { ok: false; reason: 'syntax'; message: string; position: number }
  /** It parses, but is not a source with a chain of functions (for example two series combined in the middle). */
  | { ok: false; reason: 'shape'; message: string };

const EMPTY_MODEL: BuilderModel = { source: { kind: 'path', path: '' }, functions: [] };

/** Reads target text into the builder's model, or says why the builder cannot show it. */
export function toBuilder(target: string): BuilderResult {
  if (target.trim() === '') {
    return { ok: true, model: EMPTY_MODEL };
  }
  let expr: Expr;
  try {
    expr = parseTarget(target);
  } catch (err) {
    if (err instanceof QuerySyntaxError) {
      return { ok: false, reason: 'syntax', message: err.message, position: err.position };
    }
    throw err;
  }
  const functions: FunctionCall[] = [];
  let node = expr;
  while (node.kind === 'call' && node.name !== 'seriesByTag') {
    const [series, ...rest] = node.args;
    if (!series || (series.kind !== 'path' && series.kind !== 'call')) {
      return {
        ok: false,
        reason: 'shape',
        message: `${node.name}() does not start from a series, so the builder cannot show it; edit it as text.`,
      };
    }
    functions.unshift({
      name: node.name,
      args: rest.map((arg) => toParamValue(target, arg)),
      kwargs: Object.entries(node.kwargs).map(([name, arg]) => [name, toParamValue(target, arg)]),
    });
    node = series;
  }
  if (node.kind === 'path') {
    return { ok: true, model: { source: { kind: 'path', path: target.slice(node.start, node.end) }, functions } };
  }
  if (node.kind === 'call' && Object.keys(node.kwargs).length === 0 && node.args.every((a) => a.kind === 'string')) {
    const expressions = node.args.map((a) => (a.kind === 'string' ? a.value : ''));
    return { ok: true, model: { source: { kind: 'tags', expressions }, functions } };
  }
  return {
    ok: false,
    reason: 'shape',
    message: 'seriesByTag() takes quoted tag expressions only in the builder; edit it as text.',
  };
}

function toParamValue(target: string, arg: Expr): ParamValue {
  switch (arg.kind) {
    case 'string':
      return { kind: 'string', value: arg.value };
    case 'number':
      return { kind: 'number', value: arg.value };
    case 'boolean':
      return { kind: 'boolean', value: arg.value };
    case 'none':
      return { kind: 'none' };
    default:
      // The text as written, not re-formatted: a path keeps its escapes and a call its quoting.
      return { kind: 'expr', text: target.slice(arg.start, arg.end) };
  }
}

/** A string value in quotes the parser reads back to the same value: single, unless only double ones avoid escapes. */
export function quote(value: string): string {
  if (value.includes("'") && !value.includes('"')) {
    return `"${value}"`;
  }
  // Escape a quote that the value does not already escape.
  return `'${value.replace(/(?<!\\)'/g, "\\'")}'`;
}

export function formatParam(value: ParamValue): string {
  switch (value.kind) {
    case 'string':
      return quote(value.value);
    case 'number':
      return value.value === Infinity ? 'inf' : String(value.value);
    case 'boolean':
      return value.value ? 'true' : 'false';
    case 'none':
      return 'None';
    default:
      return value.text;
  }
}

function formatSource(source: SeriesSource): string {
  return source.kind === 'path' ? source.path : `seriesByTag(${source.expressions.map(quote).join(', ')})`;
}

/** Writes the model back as target text, in graphite-web's style with a space after each comma. */
export function formatTarget(model: BuilderModel): string {
  let text = formatSource(model.source);
  for (const fn of model.functions) {
    const args = [text, ...fn.args.map(formatParam), ...fn.kwargs.map(([name, v]) => `${name}=${formatParam(v)}`)];
    text = `${fn.name}(${args.join(', ')})`;
  }
  return text;
}

/** Whether the model has a series to start from: the builder has nothing to run without one. */
export function hasSource(model: BuilderModel): boolean {
  return model.source.kind === 'path' ? model.source.path.trim() !== '' : model.source.expressions.length > 0;
}
