import { formatAge, formatBytes, formatCount, formatDuration, formatRate, freshness } from './format';

describe('formatting the worker’s figures', () => {
  it('writes counts and rates short', () => {
    expect(formatCount(57)).toBe('57');
    expect(formatCount(3171)).toBe('3.17 K');
    expect(formatCount(2_500_000)).toBe('2.50 Mil');
    expect(formatRate(0)).toBe('0/s');
    expect(formatRate(0.049)).toBe('0.0/s');
    expect(formatRate(4.17)).toBe('4.2/s');
    expect(formatRate(155.6)).toBe('156/s');
    expect(formatRate(12_400)).toBe('12.4 K/s');
    expect(formatBytes(10_055)).toBe('9.8 KiB');
  });

  it('writes spans in their largest whole units', () => {
    expect(formatDuration(42.9)).toBe('42 s');
    expect(formatDuration(300)).toBe('5 min');
    expect(formatDuration(3 * 3600 + 12 * 60)).toBe('3 h 12 min');
    expect(formatDuration(2 * 86400)).toBe('2 d');
    expect(formatDuration(2 * 86400 + 4 * 3600 + 59)).toBe('2 d 4 h');
  });

  it('says how old a sample is, and whether that is late or stale', () => {
    expect(formatAge(1000, 1000.4)).toBe('just now');
    expect(formatAge(1010, 1000)).toBe('just now');
    expect(formatAge(1000, 1090)).toBe('1 min ago');
    expect(freshness(1000, 1100)).toBe('fresh');
    expect(freshness(1000, 1000 + 600)).toBe('late');
    expect(freshness(1000, 1000 + 3600)).toBe('stale');
  });
});
