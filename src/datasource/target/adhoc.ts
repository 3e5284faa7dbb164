import type { AdHocVariableFilter } from '@grafana/data';

import { SERIES_PARAM_TYPES, type FunctionParam, type FunctionRegistry } from '../../api/graphite';
import { quote } from './model';
import { parseTarget, type Expr } from './syntax';

/**
 * Ad-hoc filters (a dashboard's "key = value" tag filters) applied to a target: every series the target reads is
 * narrowed to those tags. A seriesByTag gets the filters as extra tag expressions; a path becomes
 * seriesByTag('name=~<the path as a regex>', ...filters), since a path cannot carry tag conditions itself.
 */

const OPERATORS: Record<string, string> = { '=': '=', '!=': '!=', '=~': '=~', '!~': '!=~' };

/** A filter as a seriesByTag tag expression, or undefined for an operator Graphite has no counterpart for. */
export function tagExpression(filter: AdHocVariableFilter): string | undefined {
  const op = OPERATORS[filter.operator];
  return op === undefined || filter.key === '' ? undefined : `${filter.key}${op}${filter.value}`;
}

const REGEX_SPECIAL = /[\\^$.|?*+()[\]{}]/g;

/** One glob node's characters as regex, without alternatives: `*` and `?` stay within a node, as Graphite's do. */
function globPart(glob: string): string {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*') {
      out += '[^.]*';
    } else if (c === '?') {
      out += '[^.]';
    } else if (c === '[' && glob.indexOf(']', i + 1) > i + 1) {
      const close = glob.indexOf(']', i + 1);
      out += glob.slice(i, close + 1);
      i = close;
    } else {
      out += c.replace(REGEX_SPECIAL, '\\$&');
    }
  }
  return out;
}

/** A Graphite path glob as an anchored regular expression over series names. */
export function globToRegex(glob: string): string {
  let out = '';
  let rest = glob;
  for (let open = rest.indexOf('{'); open >= 0; open = rest.indexOf('{')) {
    const close = rest.indexOf('}', open);
    if (close < 0) {
      break;
    }
    const alternatives = rest
      .slice(open + 1, close)
      .split(',')
      .map(globPart);
    out += `${globPart(rest.slice(0, open))}(${alternatives.join('|')})`;
    rest = rest.slice(close + 1);
  }
  return `^${out}${globPart(rest)}$`;
}

function isSeriesParam(params: FunctionParam[] | undefined, index: number): boolean {
  if (!params) {
    // Without the function's declaration, only its first argument is known to be series.
    return index === 0;
  }
  const last = params[params.length - 1];
  const param = index < params.length ? params[index] : last?.multiple ? last : undefined;
  return param !== undefined && SERIES_PARAM_TYPES.has(param.type);
}

interface Edit {
  start: number;
  end: number;
  text: string;
}

export function applyAdhocFilters(target: string, filters: AdHocVariableFilter[], registry?: FunctionRegistry): string {
  const expressions = filters.map(tagExpression).filter((e): e is string => e !== undefined);
  if (expressions.length === 0 || target.trim() === '') {
    return target;
  }
  let root: Expr;
  try {
    root = parseTarget(target);
  } catch {
    // Sent unchanged, the worker answers with the syntax error and its position, which the editor shows.
    return target;
  }
  const extra = expressions.map(quote).join(', ');
  const edits: Edit[] = [];
  const visit = (expr: Expr, isSeries: boolean) => {
    if (expr.kind === 'path' && isSeries) {
      const path = target.slice(expr.start, expr.end);
      edits.push({ ...expr, text: `seriesByTag(${quote(`name=~${globToRegex(path)}`)}, ${extra})` });
    } else if (expr.kind === 'call' && expr.name === 'seriesByTag') {
      // Before the closing parenthesis, which ends the call.
      const at = expr.end - 1;
      edits.push({ start: at, end: at, text: expr.args.length > 0 ? `, ${extra}` : extra });
    } else if (expr.kind === 'call') {
      const params = registry?.[expr.name]?.params;
      expr.args.forEach((arg, i) => visit(arg, isSeriesParam(params, i)));
      for (const [name, arg] of Object.entries(expr.kwargs)) {
        const param = params?.find((p) => p.name === name);
        visit(arg, param !== undefined && SERIES_PARAM_TYPES.has(param.type));
      }
    }
  };
  visit(root, true);
  // Apply from the end so that earlier offsets stay valid.
  edits.sort((a, b) => b.start - a.start);
  let out = target;
  for (const edit of edits) {
    out = out.slice(0, edit.start) + edit.text + out.slice(edit.end);
  }
  return out;
}
