import {
  formatWallClock,
  parseATTime,
  parseTimeOffset,
  parseTimeParam,
  parseTimeRange,
  resolveTimeZone,
} from './attime';
import { QueryError } from './types';

// Wednesday 2026-11-25 15:47:13.5 UTC. Expected values are graphite-web 1.1.8's parseATTime answers.
const NOW = 1795621633.5;

describe('parseATTime', () => {
  it.each([
    ['now', NOW],
    ['', NOW],
    ['-24h', 1795535233.5],
    ['-7d', 1795016833.5],
    ['now-7d', 1795016833.5],
    ['-1mon', 1793029633.5],
    ['-1y', 1764085633.5],
    ['-1w', 1795016833.5],
    ['-5min', 1795621333.5],
    ['-30s', 1795621603.5],
    ['+1h', 1795625233.5],
    ['now+1d', 1795708033.5],
    ['-1h30min', 1795616233.5],
    ['now-', NOW],
    ['12:30_20261121', 1795264200],
    ['20261121', 1795219200],
    ['11/21/26', 1795219200],
    ['01/02/69', 3124310400],
    ['1763800000', 1763800000],
    ['today', 1795564800],
    ['yesterday', 1795478400],
    ['tomorrow', 1795651200],
    ['midnight', 1795564800],
    ['noon', 1795608000],
    ['noon yesterday', 1795521600],
    ['teatime', 1795622400],
    ['6pm today', 1795629600],
    ['8am', 1795593600],
    ['3:15pm', 1795619700],
    ['13:00pm', 1795568400],
    ['midnight+1h', 1795568400],
    ['monday', 1795392000],
    ['wed', 1795564800],
    ['sun', 1795305600],
    ['jan1', 1767225600],
    ['nov 21', 1795219200],
    ['december31', 1798675200],
    ['16:00_yesterday', 1795536000],
    ['12:30', 1795609800],
    ['20261121-1d', 1795132800],
    ['NOW-1D', 1795535233.5],
  ])('%j', (s, expected) => {
    expect(parseATTime(s, { now: NOW })).toBe(expected);
  });

  it.each([
    ['midnight', 1795582800],
    ['20261101', 1793505600],
    ['20261101+2h', 1793512800],
    ['02:30_20260308', 1772955000], // skipped by the spring change: standard time, as pytz
    ['01:30_20261101', 1793514600], // twice on the autumn change: standard time, as pytz
    ['noon yesterday', 1795539600],
    ['-1d', 1795535233.5],
  ])('%j in America/New_York', (s, expected) => {
    expect(parseATTime(s, { now: NOW, tz: 'America/New_York' })).toBe(expected);
  });

  it.each(['-1x', '-h', 'foo', '-1', '1:70', '20260230', 'jan', '25:00'])('refuses %j', (s) => {
    expect(() => parseATTime(s, { now: NOW })).toThrow();
  });
});

describe('parseTimeOffset', () => {
  it('reads units by graphite-web prefixes, signs and sums', () => {
    expect(parseTimeOffset('1h')).toBe(3600);
    expect(parseTimeOffset('-1h')).toBe(-3600);
    expect(parseTimeOffset('+2d')).toBe(172800);
    expect(parseTimeOffset('10sec')).toBe(10);
    expect(parseTimeOffset('5minutes')).toBe(300);
    expect(parseTimeOffset('1mon')).toBe(30 * 86400);
    expect(parseTimeOffset('2years')).toBe(730 * 86400);
    expect(parseTimeOffset('1w2d')).toBe(9 * 86400);
    expect(parseTimeOffset('')).toBe(0);
  });

  it('refuses what graphite-web refuses', () => {
    expect(() => parseTimeOffset('1m')).toThrow(/unit 'm'/);
    expect(() => parseTimeOffset('1H')).toThrow(/unit 'H'/);
    expect(() => parseTimeOffset('h')).toThrow();
    expect(() => parseTimeOffset('*1h')).toThrow();
  });
});

describe('time parameters', () => {
  it('takes numbers as Unix seconds and names the parameter at fault', () => {
    expect(parseTimeParam('from', 1763800000.25, { now: NOW })).toBe(1763800000.25);
    let err: unknown;
    try {
      parseTimeParam('until', 'yesterdayish', { now: NOW });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(QueryError);
    expect(err).toMatchObject({ field: 'until', message: expect.stringContaining("invalid until 'yesterdayish'") });
  });

  it('reads a range as render does: defaults, swapped bounds, no empty range', () => {
    expect(parseTimeRange({}, NOW)).toEqual({ startTime: NOW - 86400, endTime: NOW, now: NOW });
    expect(parseTimeRange({ from: 'now', until: '-1h' }, NOW)).toMatchObject({ startTime: NOW - 3600, endTime: NOW });
    expect(parseTimeRange({ now: '1763800000', from: '-1h' }, NOW)).toMatchObject({
      startTime: 1763796400,
      now: 1763800000,
    });
    expect(parseTimeRange({ tz: 'Nowhere/Atlantis', from: 'midnight' }, NOW)).toMatchObject({ startTime: 1795564800 });
    expect(() => parseTimeRange({ from: '-1h', until: '-60min' }, NOW)).toThrow(/empty time range/);
  });

  it('knows time zones and prints wall-clock times in them', () => {
    expect(resolveTimeZone('Europe/Berlin')).toBe('Europe/Berlin');
    expect(resolveTimeZone('Nowhere/Atlantis')).toBeUndefined();
    expect(formatWallClock(1795264200)).toBe('2026-11-21 12:30:00');
    expect(formatWallClock(1795264200, 'Europe/Berlin')).toBe('2026-11-21 13:30:00');
  });
});
