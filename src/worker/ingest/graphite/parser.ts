/**
 * Graphite plaintext lines, `name value timestamp` and tagged `name;tag=value;... value timestamp`, parsed the
 * way carbon 1.1.7 reads them (protocols.py `line.strip().split()`, `float()`, util.py `TaggedSeries`):
 *
 * - exactly three fields separated by runs of whitespace;
 * - value and timestamp are Python floats: optional sign, digits with single "_" between them, fraction,
 *   exponent. A NaN value is dropped (carbon filters it silently; we count it as `nan_value`);
 *   infinities are rejected, because one infinite point poisons every sum and average it is rolled into;
 * - a timestamp whose integer part is -1 means "now" (carbon issue #54); other negative timestamps, NaN,
 *   infinities and anything after 9999-12-31 are rejected (a millisecond timestamp lands there);
 * - leading "~" are stripped from the name, a `name` tag is overridden by the name, a repeated tag keeps
 *   its last value; tag rules are in ../labels.ts.
 *
 * Where carbon keeps a line we reject (a tag it cannot parse is stored under the raw name; a name with
 * control characters becomes a file name), the line is rejected with a reason; control characters anywhere
 * in the first field, tags included, are `bad_name`. Whitespace-only lines are
 * skipped without being counted: clients send them between batches and they carry nothing.
 *
 * This is the hottest code of the worker (target: 1M lines/s per core including the store), hence the
 * hand-written scanning: no regex, no split, one pass over the characters, and a correctly rounded fast
 * path for short decimal numbers.
 */
import type { Labels, Sample } from '../../store/types';
import { checkTagName, checkTagValue, compareTagNames, isSpaceOrControl } from '../labels';

export type GraphiteRejectReason =
  | 'missing_fields'
  | 'too_many_fields'
  | 'empty_name'
  | 'bad_name'
  | 'bad_tag'
  | 'bad_value'
  | 'nan_value'
  | 'bad_timestamp'
  | 'line_too_long'
  /** Counted by the listeners, which see the bytes: a line that is not valid UTF-8. */
  | 'bad_encoding';

export const GRAPHITE_REJECT_REASONS: readonly GraphiteRejectReason[] = [
  'missing_fields',
  'too_many_fields',
  'empty_name',
  'bad_name',
  'bad_tag',
  'bad_value',
  'nan_value',
  'bad_timestamp',
  'line_too_long',
  'bad_encoding',
];

/** What `parseLines` saw; each call adds to it, so one object can total several calls. */
export interface ParseStats {
  /** Lines that were not blank: each one is either a sample or a rejection. */
  lines: number;
  rejected: Map<GraphiteRejectReason, number>;
}

export function newParseStats(): ParseStats {
  return { lines: 0, rejected: new Map() };
}

/** 9999-12-31T23:59:59Z. */
const MAX_TIMESTAMP_S = 253402300799;

const SEMICOLON = 0x3b;
const EQUALS = 0x3d;
const TILDE = 0x7e;
const UNDERSCORE = 0x5f;
const DOT = 0x2e;
const MINUS = 0x2d;
const PLUS = 0x2b;

/** Exact doubles: 10^22 is the largest power of ten a double holds exactly. */
const POW10 = Array.from({ length: 23 }, (_, i) => Number('1e' + i));

/**
 * Parses one line (a trailing "\r\n" is fine). A blank line is `missing_fields` here, since the caller
 * asked about it explicitly; `parseLines` skips blank lines instead.
 */
export function parseLine(line: string, nowMs: number, maxLineLength = Infinity): Sample | GraphiteRejectReason {
  return parseRange(line, 0, line.length, nowMs, maxLineLength) ?? 'missing_fields';
}

/**
 * Parses newline-separated lines (the last one may lack its newline), appending samples to `samples` and
 * counting lines and rejections into `stats`. Never throws.
 */
export function parseLines(
  text: string,
  nowMs: number,
  maxLineLength: number,
  samples: Sample[],
  stats: ParseStats
): void {
  const len = text.length;
  let pos = 0;
  while (pos < len) {
    let eol = text.indexOf('\n', pos);
    if (eol < 0) {
      eol = len;
    }
    const r = parseRange(text, pos, eol, nowMs, maxLineLength);
    pos = eol + 1;
    if (r === null) {
      continue;
    }
    stats.lines++;
    if (typeof r === 'string') {
      stats.rejected.set(r, (stats.rejected.get(r) ?? 0) + 1);
    } else {
      samples.push(r);
    }
  }
}

/** Python's `str.split()` ASCII whitespace: \t \n \v \f \r, \x1c-\x1f and space. */
function isSeparator(c: number): boolean {
  return c === 0x20 || (c >= 0x09 && c <= 0x0d) || (c >= 0x1c && c <= 0x1f);
}

/** null for a blank line. */
function parseRange(
  s: string,
  start: number,
  end: number,
  nowMs: number,
  maxLineLength: number
): Sample | GraphiteRejectReason | null {
  let i = start;
  while (i < end && isSeparator(s.charCodeAt(i))) {
    i++;
  }
  if (i === end) {
    return null;
  }
  if (end - start > maxLineLength) {
    return 'line_too_long';
  }

  const nameStart = i;
  let semicolon = -1;
  for (; i < end; i++) {
    const c = s.charCodeAt(i);
    if (c > 0x20 && c < 0x7f) {
      if (c === SEMICOLON && semicolon < 0) {
        semicolon = i;
      }
    } else if (isSeparator(c)) {
      break;
    } else if (isSpaceOrControl(c)) {
      return 'bad_name';
    }
  }
  const nameEnd = i;

  while (i < end && isSeparator(s.charCodeAt(i))) {
    i++;
  }
  const valueStart = i;
  while (i < end && !isSeparator(s.charCodeAt(i))) {
    i++;
  }
  const valueEnd = i;
  while (i < end && isSeparator(s.charCodeAt(i))) {
    i++;
  }
  const tsStart = i;
  while (i < end && !isSeparator(s.charCodeAt(i))) {
    i++;
  }
  const tsEnd = i;
  if (tsStart === tsEnd) {
    return 'missing_fields';
  }
  while (i < end && isSeparator(s.charCodeAt(i))) {
    i++;
  }
  if (i < end) {
    return 'too_many_fields';
  }

  const v = parseNumber(s, valueStart, valueEnd);
  if (v !== v) {
    return isNaNLiteral(s, valueStart, valueEnd) ? 'nan_value' : 'bad_value';
  }
  if (v === Infinity || v === -Infinity) {
    return 'bad_value';
  }

  const t = parseTimestamp(s, tsStart, tsEnd, nowMs);
  if (t < 0) {
    return 'bad_timestamp';
  }

  if (semicolon < 0) {
    let n = nameStart;
    while (n < nameEnd && s.charCodeAt(n) === TILDE) {
      n++;
    }
    if (n === nameEnd) {
      return 'empty_name';
    }
    return { name: s.slice(n, nameEnd), labels: NO_LABELS, t, v };
  }
  return parseTagged(s, nameStart, semicolon, nameEnd, t, v);
}

/** Every untagged line's labels: one object for all, not one to allocate and collect per line. */
const NO_LABELS: Readonly<Record<string, string>> = Object.freeze({});

/** Reused between tagged lines; parsing is synchronous, so nothing else sees them half filled. */
const tagNames: string[] = [];
const tagValues: string[] = [];

function parseTagged(
  s: string,
  nameStart: number,
  semicolon: number,
  nameEnd: number,
  t: number,
  v: number
): Sample | GraphiteRejectReason {
  let n = nameStart;
  while (n < semicolon && s.charCodeAt(n) === TILDE) {
    n++;
  }
  if (n === semicolon) {
    return 'empty_name';
  }
  let count = 0;
  let segStart = semicolon + 1;
  while (segStart <= nameEnd) {
    let segEnd = s.indexOf(';', segStart);
    if (segEnd < 0 || segEnd > nameEnd) {
      segEnd = nameEnd;
    }
    let eq = segStart;
    while (eq < segEnd && s.charCodeAt(eq) !== EQUALS) {
      eq++;
    }
    if (
      eq === segEnd ||
      checkTagName(s, segStart, eq) !== undefined ||
      checkTagValue(s, eq + 1, segEnd) !== undefined
    ) {
      return 'bad_tag';
    }
    const tag = s.slice(segStart, eq);
    if (tag !== 'name') {
      count = insertTag(count, tag, s.slice(eq + 1, segEnd));
    }
    segStart = segEnd + 1;
  }
  const labels: Labels = {};
  for (let k = 0; k < count; k++) {
    labels[tagNames[k]] = tagValues[k];
  }
  return { name: s.slice(n, semicolon), labels, t, v };
}

/**
 * Keeps tags in carbon's canonical order, so the label object's key order is the series path's order
 * (except integer-like names, which JavaScript objects always list first). Lines carry a handful of
 * tags, so insertion sort is the fastest choice.
 */
function insertTag(count: number, tag: string, value: string): number {
  let k = count;
  while (k > 0) {
    const cmp = compareTagNames(tagNames[k - 1], tag);
    if (cmp === 0) {
      tagValues[k - 1] = value;
      return count;
    }
    if (cmp < 0) {
      break;
    }
    k--;
  }
  for (let m = count; m > k; m--) {
    tagNames[m] = tagNames[m - 1];
    tagValues[m] = tagValues[m - 1];
  }
  tagNames[k] = tag;
  tagValues[k] = value;
  return count + 1;
}

/** Milliseconds, or -1 when invalid. */
function parseTimestamp(s: string, start: number, end: number, nowMs: number): number {
  if (end - start <= 12) {
    let n = 0;
    let i = start;
    for (; i < end; i++) {
      const d = s.charCodeAt(i) - 48;
      if (d < 0 || d > 9) {
        break;
      }
      n = n * 10 + d;
    }
    if (i === end) {
      return n <= MAX_TIMESTAMP_S ? n * 1000 : -1;
    }
  }
  const x = parseNumber(s, start, end);
  if (Math.trunc(x) === -1) {
    return nowMs;
  }
  if (!(x >= 0 && x <= MAX_TIMESTAMP_S)) {
    return -1;
  }
  // "+ 0" turns the -0 that "-0" or "-0.0" would give into 0.
  return Math.round(x * 1000) + 0;
}

/**
 * A Python float literal without the words (nan, inf): NaN when the syntax is invalid.
 * Up to 15 significant digits and a power of ten up to 22 are computed with one exact-operand
 * multiplication or division, which IEEE rounds correctly; anything else goes to `Number()`.
 */
function parseNumber(s: string, start: number, end: number): number {
  let i = start;
  if (start === end) {
    return NaN;
  }
  let c = s.charCodeAt(i);
  const negative = c === MINUS;
  if (negative || c === PLUS) {
    c = s.charCodeAt(++i);
  }
  let mantissa = 0;
  let digits = 0;
  let fractionDigits = 0;
  let underscores = false;
  while (i < end) {
    const d = c - 48;
    if (d >= 0 && d <= 9) {
      mantissa = mantissa * 10 + d;
      digits++;
    } else if (c === UNDERSCORE) {
      underscores = true;
    } else {
      break;
    }
    c = s.charCodeAt(++i);
  }
  if (i < end && c === DOT) {
    c = s.charCodeAt(++i);
    while (i < end) {
      const d = c - 48;
      if (d >= 0 && d <= 9) {
        mantissa = mantissa * 10 + d;
        digits++;
        fractionDigits++;
      } else if (c === UNDERSCORE) {
        underscores = true;
      } else {
        break;
      }
      c = s.charCodeAt(++i);
    }
  }
  if (digits === 0) {
    return NaN;
  }
  let exponent = 0;
  if (i < end && (c === 0x65 || c === 0x45)) {
    c = s.charCodeAt(++i);
    const negativeExponent = i < end && c === MINUS;
    if (negativeExponent || (i < end && c === PLUS)) {
      c = s.charCodeAt(++i);
    }
    let exponentDigits = 0;
    while (i < end) {
      const d = c - 48;
      if (d >= 0 && d <= 9) {
        if (exponent < 100000) {
          exponent = exponent * 10 + d;
        }
        exponentDigits++;
      } else if (c === UNDERSCORE) {
        underscores = true;
      } else {
        break;
      }
      c = s.charCodeAt(++i);
    }
    if (exponentDigits === 0) {
      return NaN;
    }
    if (negativeExponent) {
      exponent = -exponent;
    }
  }
  if (i !== end) {
    return NaN;
  }
  if (underscores) {
    return parseWithUnderscores(s, start, end);
  }
  if (digits <= 15) {
    const scale = exponent - fractionDigits;
    if (scale >= 0 && scale <= 22) {
      const x = mantissa * POW10[scale];
      return negative ? -x : x;
    }
    if (scale < 0 && scale >= -22) {
      const x = mantissa / POW10[-scale];
      return negative ? -x : x;
    }
  }
  return Number(s.slice(start, end));
}

/** Python allows one "_" between two digits, anywhere in the literal. The syntax is otherwise valid. */
function parseWithUnderscores(s: string, start: number, end: number): number {
  for (let i = start; i < end; i++) {
    if (
      s.charCodeAt(i) === UNDERSCORE &&
      !(i > start && i + 1 < end && isDigit(s.charCodeAt(i - 1)) && isDigit(s.charCodeAt(i + 1)))
    ) {
      return NaN;
    }
  }
  return Number(s.slice(start, end).replaceAll('_', ''));
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function isNaNLiteral(s: string, start: number, end: number): boolean {
  let i = start;
  const c = s.charCodeAt(i);
  if (c === MINUS || c === PLUS) {
    i++;
  }
  return (
    end - i === 3 &&
    (s.charCodeAt(i) | 0x20) === 0x6e &&
    (s.charCodeAt(i + 1) | 0x20) === 0x61 &&
    (s.charCodeAt(i + 2) | 0x20) === 0x6e
  );
}
