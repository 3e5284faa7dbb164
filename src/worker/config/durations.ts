/**
 * Graphite-style durations and retentions.
 *
 * A duration is one or more `<integer><unit>` terms (`10s`, `5min`, `1h30min`), summed, in
 * milliseconds. Units follow carbon's retentions and graphite-web's time offsets: `m` is a
 * minute (as in storage-schemas.conf, where `1m:90d` means one-minute points), a month is
 * `mon` and 30 days, a year `y` and 365 days — the same fixed lengths graphite-web uses.
 *
 * A retention string is carbon's storage-schemas `retentions` value: comma-separated
 * `resolution:retention` levels, finest first (`10s:7d,1m:90d,1h:5y`). As in carbon, a bare
 * number is seconds on the left and a number of points on the right (`60:1440` is one-minute
 * points for a day).
 */

export class DurationError extends Error {
  override name = 'DurationError';
}

/** One level of a retention schema: points every `resolutionMs`, kept for `retentionMs`. */
export interface RetentionLevel {
  resolutionMs: number;
  retentionMs: number;
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const WEEK = 7 * DAY;
const MONTH = 30 * DAY;
const YEAR = 365 * DAY;

const UNITS: ReadonlyMap<string, number> = new Map([
  ...names(1, 'ms', 'msec', 'millisecond', 'milliseconds'),
  ...names(SECOND, 's', 'sec', 'secs', 'second', 'seconds'),
  ...names(MINUTE, 'm', 'min', 'mins', 'minute', 'minutes'),
  ...names(HOUR, 'h', 'hour', 'hours'),
  ...names(DAY, 'd', 'day', 'days'),
  ...names(WEEK, 'w', 'week', 'weeks'),
  ...names(MONTH, 'mon', 'month', 'months'),
  ...names(YEAR, 'y', 'year', 'years'),
]);

const UNIT_HINT = 's, m or min, h, d, w, mon, y';

function names(ms: number, ...units: string[]): Array<[string, number]> {
  return units.map((u) => [u, ms]);
}

/** Parses `10s`, `5min`, `1h30min` into milliseconds. Every term needs a unit. */
export function parseDuration(text: string): number {
  const s = text.trim();
  if (s === '') {
    throw new DurationError('empty duration');
  }
  // Sticky: each term must start exactly where the previous one ended.
  const term = /(\d+)([A-Za-z]*)/y;
  let total = 0;
  while (term.lastIndex < s.length) {
    const at = term.lastIndex;
    const m = term.exec(s);
    if (!m) {
      throw new DurationError(`expected a number at "${s.slice(at)}" (durations look like 10s, 5min, 1h)`);
    }
    const [, count, unit] = m;
    if (unit === '' && s[term.lastIndex] === '.') {
      throw new DurationError(`"${s}": use whole numbers and a smaller unit (90min, not 1.5h)`);
    }
    if (unit === '') {
      throw new DurationError(`"${count}" has no unit (use ${UNIT_HINT})`);
    }
    const ms = UNITS.get(unit!);
    if (ms === undefined) {
      throw new DurationError(`unknown unit "${unit}" (use ${UNIT_HINT})`);
    }
    total += Number(count) * ms;
  }
  if (!Number.isSafeInteger(total)) {
    throw new DurationError(`"${s}" is too long`);
  }
  return total;
}

/** Parses a storage-schemas retention string into levels, finest first, and validates them. */
export function parseRetentions(text: string): RetentionLevel[] {
  const parts = text.split(',').map((p) => p.trim());
  if (parts.length === 1 && parts[0] === '') {
    throw new DurationError('no retention levels (expected e.g. "10s:7d,1m:90d,1h:5y")');
  }
  // Name the faulty level only when there is more than one to choose from.
  const levels = parts.map((part) => parseLevel(part, parts.length > 1 ? `in "${part}": ` : ''));
  validateLevels(levels, parts);
  return levels;
}

function parseLevel(part: string, context: string): RetentionLevel {
  const fields = part.split(':');
  if (fields.length !== 2 || fields[0] === '' || fields[1] === '') {
    throw new DurationError(`"${part}" is not RESOLUTION:RETENTION (e.g. "1m:90d")`);
  }
  const [res, ret] = fields as [string, string];
  const resolutionMs = inLevel(context, () => (/^\d+$/.test(res) ? Number(res) * SECOND : parseDuration(res)));
  if (resolutionMs <= 0 || resolutionMs % SECOND !== 0) {
    throw new DurationError(`${context}the resolution must be a whole number of seconds, at least 1s`);
  }
  // carbon: a bare number on the right is a count of points, not a time.
  const retentionMs = inLevel(context, () => (/^\d+$/.test(ret) ? Number(ret) * resolutionMs : parseDuration(ret)));
  if (retentionMs < resolutionMs) {
    throw new DurationError(`${context}the retention must hold at least one point`);
  }
  return { resolutionMs, retentionMs };
}

function inLevel(context: string, parse: () => number): number {
  try {
    return parse();
  } catch (e) {
    throw new DurationError(`${context}${(e as Error).message}`);
  }
}

/**
 * Whisper's rules for an archive list, which make every coarser level computable from the
 * finer one: resolutions strictly increase and each divides the next, retentions increase,
 * and each level keeps at least one point of the next resolution so rollups have input.
 */
function validateLevels(levels: RetentionLevel[], parts: string[]): void {
  for (let i = 1; i < levels.length; i++) {
    const fine = levels[i - 1]!;
    const coarse = levels[i]!;
    const pair = `"${parts[i - 1]}" then "${parts[i]}"`;
    if (coarse.resolutionMs <= fine.resolutionMs) {
      throw new DurationError(`${pair}: resolutions must strictly increase, finest first`);
    }
    if (coarse.resolutionMs % fine.resolutionMs !== 0) {
      throw new DurationError(`${pair}: each resolution must be a multiple of the previous one`);
    }
    if (coarse.retentionMs <= fine.retentionMs) {
      throw new DurationError(`${pair}: each coarser level must be kept longer than the finer one`);
    }
    if (fine.retentionMs < coarse.resolutionMs) {
      throw new DurationError(`${pair}: the finer level must cover at least one point of the coarser one`);
    }
  }
}

const DISPLAY_UNITS: Array<[string, number]> = [
  ['y', YEAR],
  ['d', DAY],
  ['h', HOUR],
  ['min', MINUTE],
  ['s', SECOND],
  ['ms', 1],
];

/**
 * Formats milliseconds exactly, largest units first (`90000` → `1min30s`), in a form that
 * parseDuration reads back. Months and weeks are not used: `90d` says more than `3mon`.
 * `min` rather than `m` so the text also means minutes to graphite-web, where `m` is invalid.
 */
export function formatDuration(ms: number): string {
  if (!Number.isSafeInteger(ms) || ms < 0) {
    throw new DurationError(`cannot format ${ms} ms as a duration`);
  }
  if (ms === 0) {
    return '0s';
  }
  let rest = ms;
  let out = '';
  for (const [unit, size] of DISPLAY_UNITS) {
    if (rest >= size) {
      out += `${Math.floor(rest / size)}${unit}`;
      rest %= size;
    }
  }
  return out;
}

function formatLevel(level: RetentionLevel): string {
  return `${formatDuration(level.resolutionMs)}:${formatDuration(level.retentionMs)}`;
}

/** The canonical retention string for levels (`10s:7d,1min:90d,1h:5y`). */
export function formatRetentions(levels: readonly RetentionLevel[]): string {
  return levels.map(formatLevel).join(',');
}
