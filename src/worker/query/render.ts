/**
 * Render's output formats, byte for byte where clients can tell:
 *
 * - json: `[{"target": name, "tags": {...}, "datapoints": [[value, timestamp], ...]}]`, after
 *   consolidation to maxDataPoints; NaN is written null and ±Infinity ±1e9999, as graphite-web
 *   writes them. With noNullPoints, null points are left out and so are series left empty.
 * - csv: `name,YYYY-MM-DD HH:MM:SS,value` rows (excel dialect, CRLF), every stored point, values
 *   as Python prints floats and empty for null.
 * - raw: `name,start,end,step|v1,v2,...` lines, None for null.
 */
import { formatWallClock } from './attime';
import type { RenderedSeries } from './consolidate';
import type { Series } from './types';

function jsonNumber(v: number | null): string {
  if (v === null || Number.isNaN(v)) return 'null';
  if (v === Infinity) return '1e9999';
  if (v === -Infinity) return '-1e9999';
  return String(v);
}

export function renderJson(list: RenderedSeries[], opts: { noNullPoints?: boolean } = {}): string {
  const parts: string[] = [];
  for (const s of list) {
    const points = datapoints(s, opts.noNullPoints ?? false);
    if (opts.noNullPoints && points === '[]') continue;
    parts.push(`{"target":${JSON.stringify(s.name)},"tags":${JSON.stringify(s.tags)},"datapoints":${points}}`);
  }
  return `[${parts.join(',')}]`;
}

/**
 * `[[value, timestamp], ...]`. JSON.stringify prints the numbers in native code, 1.6 times as fast as building the
 * text in JavaScript (a month of minute averages, 43,200 points); it writes NaN as null, as graphite-web does, but
 * ±Infinity as null too, so a series holding one is printed by hand.
 */
function datapoints(s: RenderedSeries, noNullPoints: boolean): string {
  const pairs: Array<[number | null, number]> = [];
  let infinite = false;
  for (let i = 0; i < s.values.length; i++) {
    const v = s.values[i]!;
    if (noNullPoints && (v === null || Number.isNaN(v))) continue;
    if (v === Infinity || v === -Infinity) infinite = true;
    pairs.push([v, s.start + i * s.step]);
  }
  if (!infinite) return JSON.stringify(pairs);
  return `[${pairs.map(([v, t]) => `[${jsonNumber(v)},${t}]`).join(',')}]`;
}

/** A float as Python's repr prints it: `1.0`, `0.1`, `1e-05`, `1e+16`, `nan`, `inf`. */
export function pythonFloat(v: number): string {
  if (Number.isNaN(v)) return 'nan';
  if (v === Infinity) return 'inf';
  if (v === -Infinity) return '-inf';
  if (v === 0) return Object.is(v, -0) ? '-0.0' : '0.0';
  const [mantissa, exp] = v.toExponential().split('e') as [string, string];
  const e = Number(exp);
  if (e < -4 || e >= 16) {
    return `${mantissa}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
  }
  // In this range String() is positional, as repr is; repr marks whole numbers as floats.
  const s = String(v);
  return s.includes('.') ? s : `${s}.0`;
}

function csvField(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function renderCsv(list: Series[], tz?: string): string {
  let out = '';
  for (const s of list) {
    const name = csvField(s.name);
    for (let i = 0; i < s.values.length; i++) {
      const v = s.values[i];
      const value = v === null || v === undefined ? '' : pythonFloat(v);
      out += `${name},${formatWallClock(s.start + i * s.step, tz)},${value}\r\n`;
    }
  }
  return out;
}

export function renderRaw(list: Series[]): string {
  let out = '';
  for (const s of list) {
    const values = s.values.map((v) => (v === null || v === undefined ? 'None' : pythonFloat(v)));
    out += `${s.name},${Math.trunc(s.start)},${Math.trunc(s.end)},${Math.trunc(s.step)}|${values.join(',')}\n`;
  }
  return out;
}
