/**
 * Series name and label rules shared by every ingest path, so that a series written over HTTP can also be
 * written as tagged Graphite plaintext and queried with seriesByTag.
 *
 * The rules are carbon 1.1's (`TaggedSeries.validateTagAndValue`), plus two of our own: no whitespace or
 * control characters anywhere, because Graphite plaintext cannot carry whitespace and control characters
 * only ever come from corrupted input; and no tag named `__proto__`, which a label object cannot hold as
 * an ordinary key (assigning it changes the object's prototype instead).
 *
 * The checks return a constant message (never an allocated string) or undefined when valid, and work on a
 * range of a larger string so the plaintext parser can check tags without slicing them first.
 */
import type { Labels } from '../store/types';

/**
 * ASCII and Unicode whitespace (what Python's `str.split()` splits on), C0 and C1 controls and DEL.
 * Written so the printable ASCII range costs two comparisons.
 */
export function isSpaceOrControl(c: number): boolean {
  if (c > 0x20 && c < 0x7f) {
    return false;
  }
  if (c <= 0xa0) {
    return true;
  }
  return (
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000
  );
}

const SEMICOLON = 0x3b;
const TILDE = 0x7e;
const EQUALS = 0x3d;
const BANG = 0x21;
const CARET = 0x5e;

export function checkMetricName(s: string, start = 0, end = s.length): string | undefined {
  if (end <= start) {
    return 'must not be empty';
  }
  if (s.charCodeAt(start) === TILDE) {
    return 'must not start with "~"';
  }
  for (let i = start; i < end; i++) {
    const c = s.charCodeAt(i);
    if (c === SEMICOLON) {
      return 'must not contain ";" (put tags in labels)';
    }
    if (isSpaceOrControl(c)) {
      return 'must not contain whitespace or control characters';
    }
  }
  return undefined;
}

export function checkTagName(s: string, start = 0, end = s.length): string | undefined {
  if (end <= start) {
    return 'tag name must not be empty';
  }
  if (end - start === 9 && s.startsWith('__proto__', start)) {
    return 'tag name "__proto__" is reserved';
  }
  for (let i = start; i < end; i++) {
    const c = s.charCodeAt(i);
    if (c === SEMICOLON || c === BANG || c === CARET || c === EQUALS) {
      return 'tag name must not contain ";", "!", "^" or "="';
    }
    if (isSpaceOrControl(c)) {
      return 'tag name must not contain whitespace or control characters';
    }
  }
  return undefined;
}

export function checkTagValue(s: string, start = 0, end = s.length): string | undefined {
  if (end <= start) {
    return 'tag value must not be empty';
  }
  if (s.charCodeAt(start) === TILDE) {
    return 'tag value must not start with "~"';
  }
  for (let i = start; i < end; i++) {
    const c = s.charCodeAt(i);
    if (c === SEMICOLON) {
      return 'tag value must not contain ";"';
    }
    if (isSpaceOrControl(c)) {
      return 'tag value must not contain whitespace or control characters';
    }
  }
  return undefined;
}

/**
 * Orders tag names as carbon orders its `;tag=value` segments: Python compares strings by code point, and
 * because "=" cannot occur in a tag name, comparing `tag + "="` decides the same order (so "a.b" sorts
 * before "a", since "." < "=").
 */
export function compareTagNames(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) {
      return codePointRank(x) - codePointRank(y);
    }
  }
  if (a.length === b.length) {
    return 0;
  }
  return a.length < b.length ? EQUALS - codePointRank(b.charCodeAt(n)) : codePointRank(a.charCodeAt(n)) - EQUALS;
}

/** UTF-16 order differs from code point order only where surrogates meet U+E000..U+FFFF. */
function codePointRank(unit: number): number {
  return unit >= 0xd800 && unit <= 0xdfff ? unit + 0x10000 : unit;
}

/** The canonical Graphite path of a series, as carbon 1.1 stores it: `name;a=1;b=2`, tags sorted. */
export function formatTaggedPath(name: string, labels: Labels): string {
  const tags = Object.keys(labels).filter((k) => k !== 'name');
  if (tags.length === 0) {
    return name;
  }
  tags.sort(compareTagNames);
  let path = name;
  for (const tag of tags) {
    path += ';' + tag + '=' + labels[tag];
  }
  return path;
}
