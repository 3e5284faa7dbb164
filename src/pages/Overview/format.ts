import { formattedValueToString, getValueFormat } from '@grafana/data';

/** How the Overview page writes the worker's figures. */

const short = getValueFormat('short');
const bytes = getValueFormat('bytes');

/** 12, 1.23 K, 4.5 Mil: counts big enough to need grouping. */
export function formatCount(n: number): string {
  return Number.isInteger(n) && Math.abs(n) < 1000 ? String(n) : formattedValueToString(short(n));
}

export function formatRate(perSecond: number): string {
  if (perSecond === 0) {
    return '0/s';
  }
  return perSecond < 10 ? `${perSecond.toFixed(1)}/s` : `${formatCount(Math.round(perSecond))}/s`;
}

export function formatBytes(n: number): string {
  return formattedValueToString(bytes(n, 1));
}

/** A span of seconds in its largest whole units: 42 s, 5 min, 3 h 12 min, 2 d 4 h. */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  if (s < 60) {
    return `${s} s`;
  }
  const minutes = Math.floor(s / 60);
  if (minutes < 60) {
    return `${minutes} min`;
  }
  const hours = Math.floor(minutes / 60);
  if (hours < 24) {
    return minutes % 60 === 0 ? `${hours} h` : `${hours} h ${minutes % 60} min`;
  }
  const days = Math.floor(hours / 24);
  return hours % 24 === 0 ? `${days} d` : `${days} d ${hours % 24} h`;
}

/**
 * How old a source's newest sample is, measured on the worker's clock (the answer's `time`) so that a browser whose
 * clock is off does not make fresh data look stale. A sample slightly in the future (a sender ahead of the worker)
 * counts as now.
 */
export function formatAge(lastSeen: number, now: number): string {
  const age = now - lastSeen;
  return age < 1 ? 'just now' : `${formatDuration(age)} ago`;
}

/** Whether a source looks healthy: statsd and Graphite senders report every 10 to 60 s. */
export type Freshness = 'fresh' | 'late' | 'stale';

export function freshness(lastSeen: number, now: number): Freshness {
  const age = now - lastSeen;
  if (age <= 120) {
    return 'fresh';
  }
  return age <= 15 * 60 ? 'late' : 'stale';
}
