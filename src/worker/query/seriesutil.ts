/**
 * Helpers the function library shares: building series, bringing series of different steps to a
 * common one as graphite-web's normalize() does, and formatting names and tags exactly as Python
 * formats them (graphite users compare names by eye and dashboards match on them).
 */
import { mergeEncoded } from '../store/sketch';
import { denseColumns, storedLengths } from './storedseries';
import { safeAvg, safeFirst, safeLast, safeMax, safeMin, safeSum, type Row } from './aggfuncs';
import { type ConsolidationFunc, QueryError, type Series } from './types';

export type Value = number | null;

// ---------------------------------------------------------------------------------------------
// Building series

export interface SeriesInit {
  name: string;
  start: number;
  end: number;
  step: number;
  values: Value[];
  tags?: Record<string, string>;
  pathExpression?: string;
  consolidationFunc?: ConsolidationFunc;
  xFilesFactor?: number;
}

/**
 * A series as graphite-web's TimeSeries constructor makes one: the path expression defaults to
 * the name, the tags to just the name, consolidation to average. Pass the request's xFilesFactor
 * where graphite-web does, for render's consolidation.
 */
export function makeSeries(init: SeriesInit): Series {
  const s: Series = {
    name: init.name,
    tags: init.tags ?? { name: init.name },
    pathExpression: init.pathExpression ?? init.name,
    start: init.start,
    end: init.end,
    step: init.step,
    values: init.values,
    consolidationFunc: init.consolidationFunc ?? 'average',
  };
  if (init.xFilesFactor !== undefined) {
    s.xFilesFactor = init.xFilesFactor;
  }
  return s;
}

/**
 * graphite-web's series.copy(): keeps tags, consolidation and xFilesFactor; the path expression
 * becomes the new name. The copy has new values, so the source's sketches
 * no longer describe its points and are left behind.
 */
export function copySeries(
  s: Series,
  over: Partial<Pick<Series, 'start' | 'end' | 'step' | 'tags'>> & { name: string; values: Value[] }
): Series {
  return makeSeries({
    name: over.name,
    tags: over.tags ?? s.tags,
    start: over.start ?? s.start,
    end: over.end ?? s.end,
    step: over.step ?? s.step,
    values: over.values,
    consolidationFunc: s.consolidationFunc,
    xFilesFactor: s.xFilesFactor,
  });
}

/** The series with a tag added, as graphite-web's `series.tags[key] = value`. */
export function withTag(tags: Record<string, string>, key: string, value: string): Record<string, string> {
  return { ...tags, [key]: value };
}

// ---------------------------------------------------------------------------------------------
// Steps and normalization

export function gcd(a: number, b: number): number {
  while (b !== 0) {
    [a, b] = [b, a % b];
  }
  return a;
}

export function lcm(a: number, b: number): number {
  if (a === b) {
    return a;
  }
  return (a / gcd(a, b)) * b;
}

/**
 * Values grouped `valuesPerPoint` at a time from the first one (not aligned to the coarser step's
 * boundaries, as in graphite-web), a trailing partial group included. A group is null unless its
 * share of non-null values reaches xFilesFactor (and it has at least one).
 */
export function consolidateValues(
  values: readonly Value[],
  valuesPerPoint: number,
  func: ConsolidationFunc,
  xFilesFactor = 0
): Value[] {
  if (valuesPerPoint <= 1) {
    return values.slice();
  }
  const out: Value[] = new Array(Math.ceil(values.length / valuesPerPoint));
  const buf: Value[] = [];
  for (let g = 0, o = 0; g < values.length; g += valuesPerPoint, o++) {
    const end = Math.min(g + valuesPerPoint, values.length);
    let nonNull = 0;
    buf.length = 0;
    for (let i = g; i < end; i++) {
      const v = values[i] ?? null;
      if (v !== null) {
        nonNull++;
        buf.push(v);
      } else if (func === 'avg_zero') {
        buf.push(0);
      }
    }
    out[o] = nonNull > 0 && nonNull / valuesPerPoint >= xFilesFactor ? consolidateRow(buf, func) : null;
  }
  return out;
}

function consolidateRow(buf: Row, func: ConsolidationFunc): Value {
  switch (func) {
    case 'sum':
      return safeSum(buf);
    case 'average':
    case 'avg':
    case 'avg_zero':
      return safeAvg(buf);
    case 'min':
      return safeMin(buf);
    case 'max':
      return safeMax(buf);
    case 'first':
      return safeFirst(buf);
    case 'last':
      return safeLast(buf);
  }
}

/** Sketches consolidated like values: each group's sketches merged into one. */
export function consolidateSketches(
  sketches: ReadonlyArray<Uint8Array | undefined>,
  valuesPerPoint: number
): Array<Uint8Array | undefined> {
  if (valuesPerPoint <= 1) {
    return sketches.slice();
  }
  const out: Array<Uint8Array | undefined> = [];
  for (let g = 0; g < sketches.length; g += valuesPerPoint) {
    out.push(mergeEncoded(sketches.slice(g, g + valuesPerPoint)));
  }
  return out;
}

export interface Range {
  start: number;
  end: number;
  step: number;
}

export interface Normalized extends Range {
  series: Series[];
  /** Each series' values at the common step; the series' own array when its step already is. */
  values: Value[][];
  /** Longest of `values`: graphite-web zips series by index, padding the shorter with nulls. */
  length: number;
  /**
   * The same values as dense columns, NaN where null, when every series is still as fetched from the store and
   * already at the common step (storedseries.ts); else undefined. Cheaper to fold than `values`.
   */
  dense(): Float64Array[] | undefined;
}

/** The step (lcm of the steps) and span that normalize() brings the series to. */
export function commonRange(series: readonly Series[]): Range {
  let step = series[0]!.step;
  let start = series[0]!.start;
  let end = series[0]!.end;
  for (const s of series) {
    step = lcm(step, s.step);
    start = Math.min(start, s.start);
    end = Math.max(end, s.end);
  }
  end -= (end - start) % step;
  return { start, end, step };
}

/**
 * graphite-web's normalize(): the common step is the lcm of the steps, finer series are
 * consolidated to it by their own consolidation function and xFilesFactor, the range spans all series. Series are
 * then combined point by point by index, not by timestamp, as graphite-web does. Undefined when
 * there is no series at all (graphite-web's NormalizeEmptyResultError, which yields no output).
 */
export function normalize(lists: ReadonlyArray<readonly Series[]>): Normalized | undefined {
  const series = lists.flat();
  if (series.length === 0) {
    return undefined;
  }
  const { start, end, step } = commonRange(series);
  let values: Value[][] | undefined;
  const consolidated = (): Value[][] =>
    (values ??= series.map((s) =>
      s.step === step ? s.values : consolidateValues(s.values, step / s.step, s.consolidationFunc, s.xFilesFactor)
    ));
  const stored = series.every((s) => s.step === step) ? storedLengths(series) : undefined;
  const lengths = stored ?? consolidated().map((v) => v.length);
  return {
    series,
    start,
    end,
    step,
    length: lengths.reduce((a, b) => Math.max(a, b), 0),
    dense: () => (stored ? denseColumns(series) : undefined),
    get values() {
      return consolidated();
    },
  };
}

/** Unique path expressions joined by commas, in order of first appearance: aggregate names. */
export function formatPathExpressions(series: readonly Series[]): string {
  const seen = new Set<string>();
  for (const s of series) {
    seen.add(s.pathExpression);
  }
  return [...seen].join(',');
}

/** Tags every series shares with the same value. */
export function commonTags(series: readonly Series[]): Record<string, string> {
  if (series.length === 0) {
    return {};
  }
  const tags: Record<string, string> = { ...series[0]!.tags };
  for (const s of series) {
    for (const k of Object.keys(tags)) {
      if (s.tags[k] !== tags[k]) {
        delete tags[k];
      }
    }
  }
  return tags;
}

// ---------------------------------------------------------------------------------------------
// Python number formatting: series names use %g and %.2f; tags hold str() of the argument.

/** |x| = digits × 10^-scale exactly: every double is a finite decimal. */
function exactDecimal(x: number): { digits: bigint; scale: number } {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, Math.abs(x));
  const bits = view.getBigUint64(0);
  const expBits = Number((bits >> 52n) & 0x7ffn);
  let mantissa = bits & ((1n << 52n) - 1n);
  let exp2: number;
  if (expBits === 0) {
    exp2 = -1074;
  } else {
    mantissa |= 1n << 52n;
    exp2 = expBits - 1075;
  }
  if (exp2 >= 0) {
    return { digits: mantissa << BigInt(exp2), scale: 0 };
  }
  return { digits: mantissa * 5n ** BigInt(-exp2), scale: -exp2 };
}

/** digits × 10^-scale rounded half-even to `fraction` decimals, as an integer of 10^-fraction units. */
function roundHalfEven(digits: bigint, scale: number, fraction: number): bigint {
  if (fraction >= scale) {
    return digits * 10n ** BigInt(fraction - scale);
  }
  const div = 10n ** BigInt(scale - fraction);
  const q = digits / div;
  const r = digits % div;
  const twice = r * 2n;
  if (twice > div || (twice === div && q % 2n === 1n)) {
    return q + 1n;
  }
  return q;
}

function isNegative(x: number): boolean {
  return x < 0 || Object.is(x, -0);
}

function specialFloat(x: number): string | undefined {
  if (Number.isNaN(x)) {
    return 'nan';
  }
  if (x === Infinity) {
    return 'inf';
  }
  if (x === -Infinity) {
    return '-inf';
  }
  return undefined;
}

/** Python's '%.Nf' (correctly rounded, ties to even). */
export function formatFixed(x: number, fraction: number): string {
  const special = specialFloat(x);
  if (special !== undefined) {
    return special;
  }
  const { digits, scale } = exactDecimal(x);
  const q = roundHalfEven(digits, scale, fraction)
    .toString()
    .padStart(fraction + 1, '0');
  const int = q.slice(0, q.length - fraction);
  const frac = q.slice(q.length - fraction);
  return (isNegative(x) ? '-' : '') + int + (fraction > 0 ? '.' + frac : '');
}

/** Python's round(x, n) for a float. */
export function pyRound(x: number, n: number): number {
  if (!Number.isFinite(x)) {
    return x;
  }
  // toFixed rounds the exact value too, but ties away from zero where Python rounds to even; below
  // 2^32 the scaled value is accurate to 5e-7, enough to tell that x is nowhere near a tie.
  const scaled = Math.abs(x) * 10 ** n;
  if (scaled < 2 ** 32 && Math.abs(scaled - Math.floor(scaled) - 0.5) > 1e-6) {
    return Number(x.toFixed(n));
  }
  return Number(formatFixed(x, n));
}

/** Python's '%g': 6 significant digits, trailing zeros dropped, exponent from 1e-5 and 1e6 on. */
export function formatG(x: number, precision = 6): string {
  const special = specialFloat(x);
  if (special !== undefined) {
    return special;
  }
  const sign = isNegative(x) ? '-' : '';
  if (x === 0) {
    return sign + '0';
  }
  const { digits, scale } = exactDecimal(x);
  const exp0 = digits.toString().length - 1 - scale;
  let q = roundHalfEven(digits, scale, precision - 1 - exp0).toString();
  let exp = exp0;
  if (q.length > precision) {
    // Rounding carried into a new leading digit (999999.5 -> 1000000).
    exp++;
    q = q.slice(0, precision);
  }
  if (exp >= -4 && exp < precision) {
    let s: string;
    if (exp >= 0) {
      s = q.slice(0, exp + 1) + '.' + q.slice(exp + 1);
    } else {
      s = '0.' + '0'.repeat(-exp - 1) + q;
    }
    return sign + stripZeros(s);
  }
  const mantissa = stripZeros(q[0] + '.' + q.slice(1));
  return sign + mantissa + 'e' + (exp < 0 ? '-' : '+') + String(Math.abs(exp)).padStart(2, '0');
}

function stripZeros(s: string): string {
  if (!s.includes('.')) {
    return s;
  }
  return s.replace(/0+$/, '').replace(/\.$/, '');
}

/** Python's str() of a float: shortest round-trip digits, '.0' on whole numbers, e-notation past 1e16. */
export function pyFloatStr(x: number): string {
  const special = specialFloat(x);
  if (special !== undefined) {
    return special;
  }
  const sign = isNegative(x) ? '-' : '';
  const [mant, expStr] = Math.abs(x).toExponential().split('e') as [string, string];
  const digits = mant.replace('.', '');
  const exp = Number(expStr);
  if (exp >= -4 && exp < 16) {
    if (exp >= 0) {
      const int = digits.slice(0, exp + 1).padEnd(exp + 1, '0');
      const frac = digits.slice(exp + 1);
      return sign + int + '.' + (frac === '' ? '0' : frac);
    }
    return sign + '0.' + '0'.repeat(-exp - 1) + digits;
  }
  const m = digits.length > 1 ? digits[0] + '.' + digits.slice(1) : digits;
  return sign + m + 'e' + (exp < 0 ? '-' : '+') + String(Math.abs(exp)).padStart(2, '0');
}

/**
 * Python's str() of a number argument that graphite-web passes through unconverted (parameters of
 * type any or intOrInterval): whole numbers print as ints, since the target parser cannot tell us
 * whether `5` or `5.0` was written.
 */
export function pyNumStr(x: number): string {
  return Number.isInteger(x) && Math.abs(x) < 1e16 ? String(x) : pyFloatStr(x);
}

/** Python's str.capitalize(). */
export function pyCapitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1).toLowerCase();
}

// ---------------------------------------------------------------------------------------------
// Python regular expressions (exclude, grep, aliasSub) in JavaScript's dialect.

/** Compiles a Python `re` pattern: named groups, leading inline flags and \A, \Z translated. */
export function pyRegExp(pattern: string, global = false): RegExp {
  let flags = global ? 'g' : '';
  let source = pattern;
  const inline = /^\(\?([aiLmsux]+)\)/.exec(source);
  if (inline) {
    for (const f of inline[1]!) {
      if (f === 'i' || f === 'm' || f === 's') {
        flags += f;
      } else if (f !== 'u' && f !== 'a') {
        throw new QueryError(`Unsupported regular expression flag (?${f}) in ${pattern}`);
      }
    }
    source = source.slice(inline[0].length);
  }
  let out = '';
  for (let i = 0; i < source.length; i++) {
    const c = source[i]!;
    if (c === '\\' && i + 1 < source.length) {
      const n = source[i + 1]!;
      out += n === 'A' ? '(?<![\\s\\S])' : n === 'Z' ? '(?![\\s\\S])' : c + n;
      i++;
    } else if (source.startsWith('(?P<', i)) {
      out += '(?<';
      i += 3;
    } else if (source.startsWith('(?P=', i)) {
      const close = source.indexOf(')', i);
      out += '\\k<' + source.slice(i + 4, close) + '>';
      i = close;
    } else {
      out += c;
    }
  }
  try {
    return new RegExp(out, flags);
  } catch (e) {
    throw new QueryError(`Invalid regular expression ${JSON.stringify(pattern)}: ${(e as Error).message}`);
  }
}

type TemplatePart = { literal: string } | { group: number | string };

const TEMPLATE_ESCAPES: Record<string, string> = {
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  '\\': '\\',
};

/** A Python re.sub replacement template: \1, \g<1>, \g<name>, character escapes. */
function parseTemplate(template: string, groupCount: number, names: readonly string[]): TemplatePart[] {
  const parts: TemplatePart[] = [];
  let lit = '';
  const pushGroup = (ref: string): void => {
    if (/^\d+$/.test(ref) ? Number(ref) > groupCount : !names.includes(ref)) {
      throw new QueryError(`invalid group reference ${ref} in replacement ${JSON.stringify(template)}`);
    }
    if (lit !== '') {
      parts.push({ literal: lit });
      lit = '';
    }
    parts.push({ group: /^\d+$/.test(ref) ? Number(ref) : ref });
  };
  for (let i = 0; i < template.length; i++) {
    const c = template[i]!;
    if (c !== '\\' || i + 1 >= template.length) {
      lit += c;
      continue;
    }
    const rest = template.slice(i + 1);
    const named = /^g<([^>]*)>/.exec(rest);
    const octal = /^(?:0[0-7]{0,2}|[0-7]{3})/.exec(rest);
    const digits = /^\d{1,2}/.exec(rest);
    const n = rest[0]!;
    if (named) {
      pushGroup(named[1]!);
      i += named[0].length;
    } else if (octal) {
      lit += String.fromCharCode(parseInt(octal[0], 8));
      i += octal[0].length;
    } else if (digits) {
      pushGroup(digits[0]);
      i += digits[0].length;
    } else if (TEMPLATE_ESCAPES[n] !== undefined) {
      lit += TEMPLATE_ESCAPES[n];
      i++;
    } else if (/[A-Za-z]/.test(n)) {
      throw new QueryError(`bad escape \\${n} in replacement ${JSON.stringify(template)}`);
    } else {
      // Python keeps the backslash of an escape it does not know.
      lit += c + n;
      i++;
    }
  }
  if (lit !== '') {
    parts.push({ literal: lit });
  }
  return parts;
}

/** Python's re.sub(pattern, template, ·): every match replaced, unmatched groups as ''. */
export function pyReplacer(pattern: string, template: string): (s: string) => string {
  const re = pyRegExp(pattern, true);
  const groupCount = new RegExp(re.source + '|').exec('')!.length - 1;
  const names = [...re.source.matchAll(/\(\?<([A-Za-z_]\w*)>/g)].map((m) => m[1]!);
  const parts = parseTemplate(template, groupCount, names);
  const replace = (...m: unknown[]): string => {
    const last = m[m.length - 1];
    const groups = (typeof last === 'object' && last !== null ? last : {}) as Record<string, string | undefined>;
    let out = '';
    for (const p of parts) {
      if ('literal' in p) {
        out += p.literal;
      } else if (typeof p.group === 'number') {
        out += (m[p.group] as string | undefined) ?? '';
      } else {
        out += groups[p.group] ?? '';
      }
    }
    return out;
  };
  return (s) => s.replace(re, replace);
}

// ---------------------------------------------------------------------------------------------
// Nodes and tags of series names

/**
 * The first metric path inside a function-style name (`sumSeries(a.b.c)` -> `a.b.c`), following
 * first arguments inward as graphite-web's _getFirstPathExpression does; undefined when the first
 * argument is not a path (a string, a number, seriesByTag(...)).
 */
export function firstPathExpression(name: string): string | undefined {
  const call = /\s*[A-Za-z_][A-Za-z0-9_]*\s*\(/y;
  let pos = 0;
  for (;;) {
    call.lastIndex = pos;
    const m = call.exec(name);
    if (!m) {
      break;
    }
    pos = call.lastIndex;
  }
  while (name[pos] === ' ') {
    pos++;
  }
  let depth = 0;
  let end = pos;
  for (; end < name.length; end++) {
    const c = name[end]!;
    if (c === '{' || c === '[') {
      depth++;
    } else if (c === '}' || c === ']') {
      depth--;
    } else if (depth === 0 && (c === ',' || c === ')' || c === '|' || c === ' ')) {
      break;
    }
  }
  const token = name.slice(pos, end);
  if (token === '' || /^["']/.test(token) || /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(token)) {
    return undefined;
  }
  if (token === 'true' || token === 'false' || token === 'None' || token.endsWith('(')) {
    return undefined;
  }
  return token;
}

/**
 * Node `n` (0-based, negative from the end) of the series' path, or, when n is not an integer or
 * out of range, the value of tag `n` ('' if absent), as graphite-web's getNodeOrTag.
 */
export function nodeOrTag(series: Series, n: number | string, pathExpression?: string): string {
  if (typeof n === 'number' && Number.isInteger(n)) {
    const parts = (pathExpression || series.name).split(';')[0]!.split('.');
    const i = n < 0 ? parts.length + n : n;
    if (i >= 0 && i < parts.length) {
      return parts[i]!;
    }
  }
  return series.tags[String(n)] ?? '';
}

/** The group key of a series for aliasByNode, groupByNodes, asPercent: its nodes or tags joined by dots. */
export function aggKey(series: Series, nodes: ReadonlyArray<number | string>): string {
  const path = series.name.endsWith(')') ? firstPathExpression(series.name) : undefined;
  return nodes.map((n) => nodeOrTag(series, n, path)).join('.');
}

function validateTag(path: string, tag: string, value: string): void {
  if (tag === '' || /[;!^=]/.test(tag)) {
    throw new QueryError(`Cannot parse path ${path}: invalid tag "${tag}"`);
  }
  if (value === '') {
    throw new QueryError(`Cannot parse path ${path}: value for tag "${tag}" may not be empty`);
  }
  if (value.includes(';') || value.startsWith('~')) {
    throw new QueryError(`Cannot parse path ${path}: invalid value "${value}" of tag "${tag}"`);
  }
}

/**
 * The tags of a series path in carbon's `name;k=v;...` or OpenMetrics' `name{k="v",...}` form,
 * `name` included, as graphite-web's TaggedSeries.parse.
 */
export function parseTaggedName(path: string): Record<string, string> {
  const tags: Record<string, string> = {};
  let metric: string;
  if (path.endsWith('"}') && path.includes('{')) {
    const brace = path.indexOf('{');
    metric = path.slice(0, brace);
    let raw = path.slice(brace + 1, -1);
    while (raw.length > 0) {
      const m = /^([^=]+)="((?:\\["\\]|[^"\\])+)"(:?,|$)/.exec(raw);
      if (!m) {
        throw new QueryError(`Cannot parse path ${path}, invalid segment ${raw}`);
      }
      const value = m[2]!.replace(/\\"/g, '"').replace(/\\\\/g, '\\');
      validateTag(path, m[1]!, value);
      tags[m[1]!] = value;
      raw = raw.slice(m[0].length);
    }
  } else {
    const segments = path.split(';');
    metric = segments[0]!;
    for (const seg of segments.slice(1)) {
      const eq = seg.indexOf('=');
      if (eq <= 0) {
        throw new QueryError(`Cannot parse path ${path}, invalid segment ${seg}`);
      }
      validateTag(path, seg.slice(0, eq), seg.slice(eq + 1));
      tags[seg.slice(0, eq)] = seg.slice(eq + 1);
    }
  }
  const name = metric.replace(/^~+/, '');
  if (metric === '' || name === '') {
    throw new QueryError(`Cannot parse path ${path}, no metric found`);
  }
  tags.name = name;
  return tags;
}
