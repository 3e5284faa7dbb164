/**
 * Graphite's time expressions, as graphite-web's render/attime.py reads them: `from`, `until` and
 * `now` of the render API (`-24h`, `now-7d`, `12:30_20261121`, `20261121`, `11/21/26`, `midnight`,
 * `noon yesterday`, `monday`, `jan1`, Unix seconds, ...) and the offsets of functions such as
 * timeShift and summarize (`1h`, `-7d`, `5min`, `1mon` = 30 days, `1y` = 365 days).
 *
 * Times are Unix seconds. Wall-clock references (midnight, dates) are read in UTC, or in an IANA
 * time zone when one is given, as graphite-web reads them in its TIME_ZONE or the `tz` parameter.
 */
import { QueryError } from './types';

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const DAY = 86_400;

export interface TimeOptions {
  /** Unix seconds that "now" means (fractions allowed). */
  now: number;
  /** IANA time zone for wall-clock references; UTC when absent. */
  tz?: string;
}

/** Seconds in a Graphite offset such as `-1h30min`; throws an Error saying what is wrong. */
export function parseTimeOffset(offset: string): number {
  if (offset === '') {
    return 0;
  }
  let sign = 1;
  let rest = offset;
  if (!isDigit(rest.charCodeAt(0))) {
    if (rest[0] === '-') {
      sign = -1;
    } else if (rest[0] !== '+') {
      throw new Error(`invalid offset '${offset}'`);
    }
    rest = rest.slice(1);
  }
  let total = 0;
  while (rest !== '') {
    const digits = /^\d*/.exec(rest)![0];
    if (digits === '') {
      throw new Error(`invalid offset '${offset}': expected a number before '${rest}'`);
    }
    rest = rest.slice(digits.length);
    const unit = /^[a-z]*/i.exec(rest)![0];
    rest = rest.slice(unit.length);
    total += sign * Number(digits) * unitSeconds(unit, offset);
  }
  return total;
}

/** graphite-web's prefixes, tried in its order: `s` before `min`, so `sec` is seconds and `m` is nothing. */
function unitSeconds(unit: string, offset: string): number {
  if (unit.startsWith('s')) return 1;
  if (unit.startsWith('min')) return 60;
  if (unit.startsWith('h')) return 3600;
  if (unit.startsWith('d')) return DAY;
  if (unit.startsWith('w')) return 7 * DAY;
  if (unit.startsWith('mon')) return 30 * DAY;
  if (unit.startsWith('y')) return 365 * DAY;
  throw new Error(`invalid offset unit '${unit}' in '${offset}' (use s, min, h, d, w, mon or y)`);
}

/** Unix seconds for a Graphite time expression; throws an Error saying what is wrong. */
export function parseATTime(input: string, opts: TimeOptions): number {
  const s = input.trim().toLowerCase().replace(/[_, ]/g, '');
  if (/^\d+$/.test(s)) {
    const looksLikeDate =
      s.length === 8 && Number(s.slice(0, 4)) > 1900 && Number(s.slice(4, 6)) < 13 && Number(s.slice(6)) < 32;
    if (!looksLikeDate) {
      return Number(s);
    }
  }
  let ref = s;
  let offset = '';
  const cut = s.includes('+') ? s.indexOf('+') : s.indexOf('-');
  if (cut >= 0) {
    ref = s.slice(0, cut);
    offset = s.slice(cut);
  }
  return parseTimeReference(ref, opts) + parseTimeOffset(offset);
}

function parseTimeReference(ref: string, opts: TimeOptions): number {
  if (ref === '' || ref === 'now') {
    return opts.now;
  }
  let hour = 0;
  let minute = 0;
  let rest = ref;
  let i = rest.indexOf(':');
  if (i > 0 && i < 3) {
    hour = toInt(rest.slice(0, i), ref);
    minute = toInt(rest.slice(i + 1, i + 3), ref);
    rest = rest.slice(i + 3);
    if (rest.startsWith('am')) {
      rest = rest.slice(2);
    } else if (rest.startsWith('pm')) {
      hour = (hour + 12) % 24;
      rest = rest.slice(2);
    }
  }
  i = rest.indexOf('am');
  if (i > 0 && i < 3) {
    hour = toInt(rest.slice(0, i), ref);
    rest = rest.slice(i + 2);
  }
  i = rest.indexOf('pm');
  if (i > 0 && i < 3) {
    hour = (toInt(rest.slice(0, i), ref) + 12) % 24;
    rest = rest.slice(i + 2);
  }
  if (rest.startsWith('noon')) {
    [hour, minute, rest] = [12, 0, rest.slice(4)];
  } else if (rest.startsWith('midnight')) {
    [hour, minute, rest] = [0, 0, rest.slice(8)];
  } else if (rest.startsWith('teatime')) {
    [hour, minute, rest] = [16, 0, rest.slice(7)];
  }
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59) {
    throw new Error(`invalid time of day in '${ref}'`);
  }

  // Dates are worked out on the wall clock (as naive UTC milliseconds), then placed in the zone.
  const today = wallClock(opts.now, opts.tz);
  let wall = Date.UTC(today.year, today.month - 1, today.day, hour, minute);
  if (rest === 'yesterday') {
    wall -= DAY * 1000;
  } else if (rest === 'tomorrow') {
    wall += DAY * 1000;
  } else if (rest === 'today') {
    // the day of `now`, as already set
  } else if (rest.split('/').length === 3) {
    const [m, d, y] = rest.split('/').map((p) => toInt(p, ref)) as [number, number, number];
    let year = y < 1900 ? y + 1900 : y;
    if (year < 1970) year += 100;
    wall = civil(year, m, d, hour, minute, ref);
  } else if (/^\d{8}$/.test(rest)) {
    wall = civil(Number(rest.slice(0, 4)), Number(rest.slice(4, 6)), Number(rest.slice(6)), hour, minute, ref);
  } else if (MONTHS.includes(rest.slice(0, 3))) {
    const day = /\d{1,2}$/.exec(rest);
    if (!day) {
      throw new Error(`day of month required after month name in '${ref}'`);
    }
    wall = civil(today.year, MONTHS.indexOf(rest.slice(0, 3)) + 1, Number(day[0]), hour, minute, ref);
  } else if (WEEKDAYS.includes(rest.slice(0, 3))) {
    let back = new Date(wall).getUTCDay() - WEEKDAYS.indexOf(rest.slice(0, 3));
    if (back < 0) back += 7;
    wall -= back * DAY * 1000;
  } else if (rest !== '') {
    throw new Error(`unknown day reference '${ref}'`);
  }
  return localize(wall, opts.tz) / 1000;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function toInt(s: string, ref: string): number {
  if (!/^[+-]?\d+$/.test(s)) {
    throw new Error(`invalid number '${s}' in '${ref}'`);
  }
  return Number(s);
}

/** A calendar date as naive UTC milliseconds, refusing what Python's datetime refuses (Feb 30th). */
function civil(year: number, month: number, day: number, hour: number, minute: number, ref: string): number {
  const t = Date.UTC(year, month - 1, day, hour, minute);
  const d = new Date(t);
  if (year < 1 || year > 9999 || d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day) {
    throw new Error(`invalid date in '${ref}'`);
  }
  return t;
}

export interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(tz, f);
  }
  return f;
}

/** The calendar date and time of day at Unix second `t`, in `tz` (UTC when absent). */
export function wallClock(t: number, tz?: string): WallClock {
  const ms = Math.floor(t) * 1000;
  if (!tz || tz === 'UTC') {
    const d = new Date(ms);
    return {
      year: d.getUTCFullYear(),
      month: d.getUTCMonth() + 1,
      day: d.getUTCDate(),
      hour: d.getUTCHours(),
      minute: d.getUTCMinutes(),
      second: d.getUTCSeconds(),
    };
  }
  const parts: Record<string, number> = {};
  for (const p of formatterFor(tz).formatToParts(new Date(ms))) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  return {
    year: parts.year!,
    month: parts.month!,
    day: parts.day!,
    hour: parts.hour!,
    minute: parts.minute!,
    second: parts.second!,
  };
}

/** `tz`'s offset from UTC at instant `ms`, in milliseconds. */
function offsetAt(ms: number, tz: string): number {
  const w = wallClock(ms / 1000, tz);
  return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second) - Math.floor(ms / 1000) * 1000;
}

/**
 * The instant a wall-clock time names in `tz`. Where the clock is set back and the time occurs
 * twice, and where it is set forward and the time never occurs, the zone's standard offset is
 * used, as pytz's localize does by default.
 */
function localize(wallMs: number, tz?: string): number {
  if (!tz || tz === 'UTC') {
    return wallMs;
  }
  const candidates = [...new Set([offsetAt(wallMs - DAY * 1000, tz), offsetAt(wallMs + DAY * 1000, tz)])];
  const valid = candidates.filter((o) => offsetAt(wallMs - o, tz) === o);
  const pick = valid.length === 1 ? valid[0]! : Math.min(...candidates);
  return wallMs - pick;
}

/** The zone if the runtime knows it, else undefined (graphite-web ignores an unknown `tz`). */
export function resolveTimeZone(tz: string | undefined): string | undefined {
  if (!tz) {
    return undefined;
  }
  try {
    formatterFor(tz);
    return tz;
  } catch {
    return undefined;
  }
}

/** `YYYY-MM-DD HH:MM:SS` at Unix second `t` in `tz`, as render's csv format prints timestamps. */
export function formatWallClock(t: number, tz?: string): string {
  const w = wallClock(t, tz);
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${String(w.year).padStart(4, '0')}-${p(w.month)}-${p(w.day)} ${p(w.hour)}:${p(w.minute)}:${p(w.second)}`;
}

/**
 * A request's time parameter: Unix seconds as a number, or a Graphite time expression.
 * Throws a QueryError naming the parameter.
 */
export function parseTimeParam(name: string, value: string | number, opts: TimeOptions): number {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) {
      throw new QueryError(`invalid ${name}: ${value} is not a time`, undefined, name);
    }
    return value;
  }
  try {
    return parseATTime(value, opts);
  } catch (e) {
    throw new QueryError(`invalid ${name} '${value}': ${(e as Error).message}`, undefined, name);
  }
}

export interface TimeRange {
  startTime: number;
  endTime: number;
  now: number;
  tz?: string;
}

/**
 * A request's range as graphite-web's render reads it: `now` (default: the clock), `until`
 * (default now) and `from` (default -1d), swapped when given the wrong way round; an empty range
 * is refused.
 */
export function parseTimeRange(
  p: { from?: string | number; until?: string | number; now?: string | number; tz?: string },
  clockSeconds: number
): TimeRange {
  const tz = resolveTimeZone(p.tz);
  const now = p.now !== undefined ? parseTimeParam('now', p.now, { now: clockSeconds, tz }) : clockSeconds;
  const until = parseTimeParam('until', p.until ?? 'now', { now, tz });
  const from = parseTimeParam('from', p.from ?? '-1d', { now, tz });
  if (from === until) {
    throw new QueryError('invalid empty time range: from and until are the same time', undefined, 'from');
  }
  const range: TimeRange = { startTime: Math.min(from, until), endTime: Math.max(from, until), now };
  if (tz) range.tz = tz;
  return range;
}
