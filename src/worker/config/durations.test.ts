import { DurationError, formatDuration, formatRetentions, parseDuration, parseRetentions } from './durations';

const S = 1000;
const MIN = 60 * S;
const H = 60 * MIN;
const D = 24 * H;

describe('parseDuration', () => {
  it.each([
    ['10s', 10 * S],
    ['1sec', S],
    ['2seconds', 2 * S],
    ['1m', MIN],
    ['5min', 5 * MIN],
    ['3minutes', 3 * MIN],
    ['1h', H],
    ['2hours', 2 * H],
    ['7d', 7 * D],
    ['1day', D],
    ['2w', 14 * D],
    ['1week', 7 * D],
    ['1mon', 30 * D],
    ['2months', 60 * D],
    ['1y', 365 * D],
    ['5years', 5 * 365 * D],
    ['250ms', 250],
    ['1h30min', 90 * MIN],
    ['0s', 0],
    [' 10s ', 10 * S],
  ])('%s', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each([
    ['', 'empty duration'],
    ['10', '"10" has no unit'],
    ['7x', 'unknown unit "x"'],
    ['10S', 'unknown unit "S"'],
    ['-1d', 'expected a number at "-1d"'],
    ['1.5h', 'use whole numbers and a smaller unit'],
    ['10 s', '"10" has no unit'],
    ['10s 5min', 'expected a number at " 5min"'],
    ['99999999999999y', 'too long'],
  ])('rejects %j', (text, message) => {
    expect(() => parseDuration(text)).toThrow(DurationError);
    expect(() => parseDuration(text)).toThrow(message);
  });
});

describe('parseRetentions', () => {
  it('parses carbon retentions, finest first', () => {
    expect(parseRetentions('10s:7d,1m:90d,1h:5y')).toEqual([
      { resolutionMs: 10 * S, retentionMs: 7 * D },
      { resolutionMs: MIN, retentionMs: 90 * D },
      { resolutionMs: H, retentionMs: 5 * 365 * D },
    ]);
  });

  it('reads the old secondsPerPoint:numberOfPoints form', () => {
    expect(parseRetentions('60:1440')).toEqual([{ resolutionMs: MIN, retentionMs: D }]);
    expect(parseRetentions('10:60, 60:1440')).toEqual([
      { resolutionMs: 10 * S, retentionMs: 10 * MIN },
      { resolutionMs: MIN, retentionMs: D },
    ]);
  });

  it('mixes both forms, as carbon does', () => {
    expect(parseRetentions('1m:1440')).toEqual([{ resolutionMs: MIN, retentionMs: D }]);
  });

  it.each([
    ['', 'no retention levels'],
    ['10s', '"10s" is not RESOLUTION:RETENTION'],
    ['10s:7d:1y', 'is not RESOLUTION:RETENTION'],
    ['10s:7x', 'unknown unit "x"'],
    ['10s:7d,1m:9x', 'in "1m:9x": unknown unit "x"'],
    ['500ms:1d', 'whole number of seconds'],
    ['0s:1d', 'at least 1s'],
    ['1m:30s', 'at least one point'],
    ['1m:1d,10s:7d', '"1m:1d" then "10s:7d": resolutions must strictly increase'],
    ['1m:1d,1m:7d', 'resolutions must strictly increase'],
    ['10s:1d,15s:7d', 'a multiple of the previous one'],
    ['10s:7d,1m:7d', 'kept longer'],
    ['10s:30s,1m:1d', 'cover at least one point'],
  ])('rejects %j', (text, message) => {
    expect(() => parseRetentions(text)).toThrow(DurationError);
    expect(() => parseRetentions(text)).toThrow(message);
  });
});

describe('formatDuration', () => {
  it.each([
    [0, '0s'],
    [250, '250ms'],
    [10 * S, '10s'],
    [MIN, '1min'],
    [90 * S, '1min30s'],
    [7 * D, '7d'],
    [90 * D, '90d'],
    [5 * 365 * D, '5y'],
    [D + 1, '1d1ms'],
  ])('%d ms is %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });

  it('reads back through parseDuration', () => {
    for (const ms of [1, 999, 61 * S, 25 * H + 7, 400 * D]) {
      expect(parseDuration(formatDuration(ms))).toBe(ms);
    }
  });

  it('refuses what is not a duration', () => {
    expect(() => formatDuration(-1)).toThrow(DurationError);
    expect(() => formatDuration(1.5)).toThrow(DurationError);
  });

  it('formats retentions so they parse back', () => {
    const levels = parseRetentions('10s:7d,1m:90d,1h:5y');
    expect(formatRetentions(levels)).toBe('10s:7d,1min:90d,1h:5y');
    expect(parseRetentions(formatRetentions(levels))).toEqual(levels);
  });
});
