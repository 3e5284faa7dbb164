/**
 * One statsd line, `key:value|type[|@rate][|#tag:v,tag2:v2]`, read the way etsy statsd 0.9 reads it
 * (stats.js `handlePacket`, lib/helpers.js `is_valid_packet`), except where etsy keeps nonsense:
 *
 * - A line may carry several values, `key:1|c:2|ms`, each with its own type and rate; tags apply to all.
 *   Where etsy applies the good values of a line and drops the bad ones, we reject the whole line, so that
 *   every line is either accepted or rejected.
 * - Types are c, g, ms, h and s. `h` (DogStatsD histogram) is a timer; etsy counts `h` and any unknown
 *   type, even an empty one, as a counter — we reject unknown types as `bad_type`.
 * - Values are decimal numbers (sign, fraction, exponent). etsy's `Number()` also takes hex, surrounding
 *   blanks and "Infinity"; we reject those and anything that overflows as `bad_value`, because one
 *   infinite value poisons every sum it reaches. Timer values must not be negative (as etsy).
 * - A gauge value written with a sign adjusts the current gauge (etsy: only when the gauge exists, else
 *   it sets it to the signed value — which is the same number).
 * - The rate is `@` and an unsigned decimal without exponent (etsy validates with `Number()` but then reads
 *   only the leading digits and dots, so `@1e-3` means 1 there); it must be above 0. Fields after the
 *   rate are ignored, as etsy does.
 * - Set members are the raw value text (an empty one is "0", as etsy).
 * - Keys are sanitized as etsy's `sanitizeKeyName`: runs of whitespace become "_", "/" becomes "-", and
 *   every character outside [A-Za-z0-9_.;=-] is dropped. An empty key is rejected (etsy keeps it).
 * - Tags become labels. Graphite-style tags in the key (`key;env=prod`, which etsy passes through to its
 *   Graphite output) and DogStatsD tags after `|#` are both read; DogStatsD tags end at the next "|"
 *   (later DogStatsD fields such as `|c:` and `|T` are ignored). Tag names keep [A-Za-z0-9_.-], values
 *   also "=", after the same whitespace and "/" rewriting, ";" becomes "_" (etsy rewrites the first).
 *   A tag without a value, or whose name or value sanitizes to nothing, is dropped (as Prometheus's
 *   statsd_exporter does; carbon cannot store an empty tag value). A `name` tag is dropped, as carbon
 *   does, because the name is the series name. A repeated tag keeps its last value.
 *
 * Hot path: one forward pass with charCodeAt, no regex, no split, and no allocation beyond the result
 * object and the key string for the common untagged single-value line. Tagged keys are resolved once and
 * cached, so lines with the same key and tags share one labels object: treat labels as read-only.
 */
import type { Labels } from '../../store/types';
import { compareTagNames, formatTaggedPath } from '../labels';

export type StatsdType = 'c' | 'g' | 'ms' | 'h' | 's';

export type StatsdRejectReason =
  'missing_value' | 'missing_type' | 'bad_type' | 'bad_value' | 'bad_rate' | 'empty_key' | 'line_too_long';

export const STATSD_REJECT_REASONS: readonly StatsdRejectReason[] = [
  'missing_value',
  'missing_type',
  'bad_type',
  'bad_value',
  'bad_rate',
  'empty_key',
  'line_too_long',
];

export interface StatsdValue {
  type: StatsdType;
  /** The number; 0 for sets. */
  value: number;
  /** Gauges only: written with a leading sign, so it adjusts the gauge instead of setting it. */
  delta: boolean;
  /** Sample rate from `@rate`; 1 without one. */
  rate: number;
  /** Sets only: the member. */
  member: string | undefined;
}

export interface StatsdLine extends StatsdValue {
  /** Sanitized key without its tags. */
  name: string;
  labels: Labels | undefined;
  /** The key with its tags in canonical order (`name;a=1;b=2`): identifies one series per type. */
  id: string;
  /** Further values of a multi-value line, same key and tags. */
  more: StatsdValue[] | undefined;
}

const COLON = 0x3a;
const PIPE = 0x7c;
const HASH = 0x23;
const AT = 0x40;
const COMMA = 0x2c;
const SEMICOLON = 0x3b;
const EQUALS = 0x3d;
const SLASH = 0x2f;
const DOT = 0x2e;
const PLUS = 0x2b;
const MINUS = 0x2d;

/** [A-Za-z0-9_.-]: key characters that need no sanitizing. */
const CLEAN = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const ch = String.fromCharCode(c);
  if (/[A-Za-z0-9_.-]/.test(ch)) {
    CLEAN[c] = 1;
  }
}
/** What etsy's sanitizer keeps in a key: CLEAN plus ";" and "=". */
const KEY_KEEP = CLEAN.slice();
KEY_KEEP[SEMICOLON] = 1;
KEY_KEEP[EQUALS] = 1;
const TAG_VALUE_KEEP = CLEAN.slice();
TAG_VALUE_KEEP[EQUALS] = 1;

/** JavaScript's `\s`, which etsy's `/\s+/g` turns into "_". */
function isJsSpace(c: number): boolean {
  if (c < 0x80) {
    return c === 0x20 || (c >= 0x09 && c <= 0x0d);
  }
  return (
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000 ||
    c === 0xfeff
  );
}

/**
 * etsy's three replacements in one pass: the whitespace runs are decided on the raw text, before any
 * character is dropped, as with etsy's sequential regexes.
 */
function sanitize(s: string, start: number, end: number, keep: Uint8Array, semicolonToUnderscore: boolean): string {
  let out = '';
  let inSpace = false;
  for (let i = start; i < end; i++) {
    const c = s.charCodeAt(i);
    if (isJsSpace(c)) {
      if (!inSpace) {
        out += '_';
        inSpace = true;
      }
      continue;
    }
    inSpace = false;
    if (c === SLASH) {
      out += '-';
    } else if (c < 128 && keep[c] === 1) {
      out += s[i];
    } else if (c === SEMICOLON && semicolonToUnderscore) {
      out += '_';
    }
  }
  return out;
}

function isClean(s: string, start: number, end: number, keep: Uint8Array): boolean {
  for (let i = start; i < end; i++) {
    const c = s.charCodeAt(i);
    if (c >= 128 || keep[c] !== 1) {
      return false;
    }
  }
  return true;
}

function cleanRange(s: string, start: number, end: number, keep: Uint8Array): string {
  return isClean(s, start, end, keep) ? s.slice(start, end) : sanitize(s, start, end, keep, true);
}

function addLabel(labels: Labels, name: string, value: string): void {
  if (name !== '' && value !== '' && name !== 'name') {
    if (name === '__proto__') {
      // Assigning "__proto__" to a plain object would set its prototype instead of creating a key.
      Object.defineProperty(labels, name, { value, enumerable: true, writable: true, configurable: true });
    } else {
      labels[name] = value;
    }
  }
}

/** The same labels with keys in carbon's tag order, so that the object lists them as the series path does. */
function canonicalOrder(labels: Labels, keys: string[]): Labels {
  keys.sort(compareTagNames);
  const sorted: Labels = {};
  for (const k of keys) {
    addLabel(sorted, k, labels[k]!);
  }
  return sorted;
}

/**
 * Decimal number with optional sign, fraction and exponent; NaN when the syntax is anything else or the
 * value is not finite. Integers of up to 15 digits are exact when accumulated; the rest goes to
 * `Number()`, which rounds correctly and is what etsy uses.
 */
export function parseDecimal(s: string, start: number, end: number): number {
  if (start >= end) {
    return NaN;
  }
  let i = start;
  let c = s.charCodeAt(i);
  const negative = c === MINUS;
  if (negative || c === PLUS) {
    i++;
  }
  let v = 0;
  let digits = 0;
  for (; i < end; i++) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) {
      break;
    }
    v = v * 10 + d;
    digits++;
  }
  if (i === end && digits > 0 && digits <= 15) {
    return negative ? -v : v;
  }
  if (i < end && s.charCodeAt(i) === DOT) {
    for (i++; i < end; i++) {
      c = s.charCodeAt(i);
      if (c < 48 || c > 57) {
        break;
      }
      digits++;
    }
  }
  if (digits === 0) {
    return NaN;
  }
  if (i < end) {
    c = s.charCodeAt(i);
    if (c !== 0x65 && c !== 0x45) {
      return NaN;
    }
    i++;
    if (i < end) {
      c = s.charCodeAt(i);
      if (c === PLUS || c === MINUS) {
        i++;
      }
    }
    const expStart = i;
    for (; i < end; i++) {
      c = s.charCodeAt(i);
      if (c < 48 || c > 57) {
        return NaN;
      }
    }
    if (i === expStart) {
      return NaN;
    }
  }
  const x = Number(s.slice(start, end));
  return x - x === 0 ? x : NaN;
}

/** `@` and an unsigned decimal above 0; NaN otherwise. */
function parseRate(s: string, start: number, end: number): number {
  if (end - start < 2 || s.charCodeAt(start) !== AT) {
    return NaN;
  }
  let digits = 0;
  let dots = 0;
  for (let i = start + 1; i < end; i++) {
    const c = s.charCodeAt(i);
    if (c === DOT) {
      dots++;
    } else if (c >= 48 && c <= 57) {
      digits++;
    } else {
      return NaN;
    }
  }
  if (digits === 0 || dots > 1) {
    return NaN;
  }
  const r = Number(s.slice(start + 1, end));
  return r > 0 && r - r === 0 ? r : NaN;
}

function typeOf(s: string, start: number, end: number): StatsdType | undefined {
  const n = end - start;
  const c = s.charCodeAt(start);
  if (n === 1) {
    return c === 0x63 ? 'c' : c === 0x67 ? 'g' : c === 0x73 ? 's' : c === 0x68 ? 'h' : undefined;
  }
  return n === 2 && c === 0x6d && s.charCodeAt(start + 1) === 0x73 ? 'ms' : undefined;
}

/**
 * What `readPiece` read from one `value|type[|@rate]...` piece. Module state instead of a returned object, so
 * the common single-value line allocates nothing for it; parsing is synchronous, so nothing sees it half set.
 */
let pieceType: StatsdType = 'c';
let pieceValue = 0;
let pieceDelta = false;
let pieceRate = 1;
let pieceMember: string | undefined;
/** Index of the character that ended the piece: ":", the "|" of "|#", or the line end. */
let pieceEnd = 0;

function readPiece(s: string, start: number, end: number): StatsdRejectReason | undefined {
  let i = start;
  for (; i < end; i++) {
    const c = s.charCodeAt(i);
    if (c === PIPE) {
      break;
    }
    if (c === COLON) {
      return 'missing_type';
    }
  }
  if (i >= end || (i + 1 < end && s.charCodeAt(i + 1) === HASH)) {
    return 'missing_type';
  }
  const valueEnd = i;
  const typeStart = ++i;
  for (; i < end; i++) {
    const c = s.charCodeAt(i);
    if (c === PIPE || c === COLON) {
      break;
    }
  }
  const type = typeOf(s, typeStart, i);
  if (type === undefined) {
    return 'bad_type';
  }
  let rate = 1;
  let field = 0;
  while (i < end && s.charCodeAt(i) === PIPE) {
    if (i + 1 < end && s.charCodeAt(i + 1) === HASH) {
      break;
    }
    const fieldStart = ++i;
    for (; i < end; i++) {
      const c = s.charCodeAt(i);
      if (c === PIPE || c === COLON) {
        break;
      }
    }
    if (field++ === 0) {
      rate = parseRate(s, fieldStart, i);
      if (rate !== rate) {
        return 'bad_rate';
      }
    }
  }
  pieceEnd = i;
  pieceType = type;
  pieceRate = rate;
  pieceDelta = false;
  pieceMember = undefined;
  if (type === 's') {
    pieceValue = 0;
    pieceMember = valueEnd === start ? '0' : s.slice(start, valueEnd);
    return undefined;
  }
  if (valueEnd === start) {
    return 'missing_value';
  }
  const v = parseDecimal(s, start, valueEnd);
  if (v !== v || ((type === 'ms' || type === 'h') && v < 0)) {
    return 'bad_value';
  }
  pieceValue = v;
  if (type === 'g') {
    const c = s.charCodeAt(start);
    pieceDelta = c === PLUS || c === MINUS;
  }
  return undefined;
}

/** Graphite-style `;tag=value` segments of an already sanitized key. */
function keyTags(key: string, from: number, labels: Labels): void {
  let pos = from;
  while (pos <= key.length) {
    let next = key.indexOf(';', pos);
    if (next < 0) {
      next = key.length;
    }
    const eq = key.indexOf('=', pos);
    if (eq >= 0 && eq < next) {
      addLabel(labels, key.slice(pos, eq), key.slice(eq + 1, next));
    }
    pos = next + 1;
  }
}

function dogTags(s: string, start: number, end: number, labels: Labels): void {
  let pos = start;
  while (pos < end) {
    let next = pos;
    let colon = -1;
    for (; next < end; next++) {
      const c = s.charCodeAt(next);
      if (c === COMMA) {
        break;
      }
      if (c === COLON && colon < 0) {
        colon = next;
      }
    }
    if (colon >= 0) {
      addLabel(labels, cleanRange(s, pos, colon, CLEAN), cleanRange(s, colon + 1, next, TAG_VALUE_KEEP));
    }
    pos = next + 1;
  }
}

/**
 * Parses the line `s[start, end)` (no newline in it). A trailing "\r" is the caller's to strip. Never throws.
 */
export function parseLine(s: string, start = 0, end = s.length): StatsdLine | StatsdRejectReason {
  let i = start;
  let clean = true;
  for (; i < end; i++) {
    const c = s.charCodeAt(i);
    if (c === COLON) {
      break;
    }
    if (c >= 128 || CLEAN[c] !== 1) {
      if (c === PIPE && i + 1 < end && s.charCodeAt(i + 1) === HASH) {
        return 'missing_value';
      }
      clean = false;
    }
  }
  if (i >= end) {
    return 'missing_value';
  }
  const keyEnd = i;

  let reason = readPiece(s, keyEnd + 1, end);
  if (reason !== undefined) {
    return reason;
  }
  const type = pieceType;
  const value = pieceValue;
  const delta = pieceDelta;
  const rate = pieceRate;
  const member = pieceMember;
  let more: StatsdValue[] | undefined;
  while (pieceEnd < end && s.charCodeAt(pieceEnd) === COLON) {
    reason = readPiece(s, pieceEnd + 1, end);
    if (reason !== undefined) {
      return reason;
    }
    const v: StatsdValue = {
      type: pieceType,
      value: pieceValue,
      delta: pieceDelta,
      rate: pieceRate,
      member: pieceMember,
    };
    if (more === undefined) {
      more = [v];
    } else {
      more.push(v);
    }
  }

  // pieceEnd is now at the end or at the "|" of "|#"; the tags run to the next "|".
  if (clean && pieceEnd === end) {
    if (keyEnd === start) {
      return 'empty_key';
    }
    const name = s.slice(start, keyEnd);
    return { type, value, delta, rate, member, name, labels: undefined, id: name, more };
  }
  let tagsStart = end;
  let tagsEnd = end;
  if (pieceEnd < end) {
    tagsStart = pieceEnd + 2;
    tagsEnd = tagsStart;
    while (tagsEnd < end && s.charCodeAt(tagsEnd) !== PIPE) {
      tagsEnd++;
    }
  }
  // "|#" cannot occur in the key, so it separates the two parts unambiguously.
  const raw = s.slice(start, keyEnd) + '|#' + s.slice(tagsStart, tagsEnd);
  let series = seriesCache.get(raw);
  if (series === undefined) {
    series = resolveSeries(s, start, keyEnd, clean, tagsStart, tagsEnd);
    if (raw.length <= SERIES_CACHE_MAX_KEY) {
      if (seriesCache.size >= SERIES_CACHE_SIZE) {
        seriesCache.clear();
      }
      seriesCache.set(raw, series);
    }
  }
  if (series === 'empty_key') {
    return series;
  }
  return { type, value, delta, rate, member, name: series.name, labels: series.labels, id: series.id, more };
}

interface Series {
  name: string;
  labels: Labels | undefined;
  id: string;
}

/**
 * Tagged or unclean keys, resolved once: sanitizing, reading and ordering the tags costs several times the
 * rest of the line, and clients repeat the same few key and tag combinations. Lines of one combination
 * therefore share their labels object.
 */
const seriesCache = new Map<string, Series | 'empty_key'>();
const SERIES_CACHE_SIZE = 10_000;
/** Longer keys are resolved every time, so the cache stays small whatever clients send. */
const SERIES_CACHE_MAX_KEY = 1024;

function resolveSeries(
  s: string,
  start: number,
  keyEnd: number,
  clean: boolean,
  tagsStart: number,
  tagsEnd: number
): Series | 'empty_key' {
  let name: string;
  let labels: Labels | undefined;
  if (clean) {
    name = s.slice(start, keyEnd);
  } else {
    const key = sanitize(s, start, keyEnd, KEY_KEEP, false);
    const semicolon = key.indexOf(';');
    if (semicolon < 0) {
      name = key;
    } else {
      name = key.slice(0, semicolon);
      labels = {};
      keyTags(key, semicolon + 1, labels);
    }
  }
  if (name === '') {
    return 'empty_key';
  }
  if (tagsStart < tagsEnd) {
    labels ??= {};
    dogTags(s, tagsStart, tagsEnd, labels);
  }
  if (labels === undefined) {
    return { name, labels, id: name };
  }
  const keys = Object.keys(labels);
  if (keys.length === 0) {
    return { name, labels: undefined, id: name };
  }
  if (keys.length > 1) {
    labels = canonicalOrder(labels, keys);
  }
  return { name, labels, id: formatTaggedPath(name, labels) };
}
