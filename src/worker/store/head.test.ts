import { Head, HeadSeries } from './head';

describe('HeadSeries', () => {
  it('gives its samples back sorted by time, the last write of a time winning, past its first capacity', () => {
    const s = new HeadSeries();
    const times = [50, 10, 30, 10, 70, 20, 90, 30, 60, 40, 80, 100];
    times.forEach((t, i) => s.push(t, i));
    expect(s.timeRange()).toEqual({ min: 10, max: 100 });
    const rows = s.sorted();
    expect(Array.from(rows.t)).toEqual([10, 20, 30, 40, 50, 60, 70, 80, 90, 100]);
    // 10 was written as samples 1 and 3, 30 as 2 and 7: the later ones count.
    expect(Array.from(rows.v)).toEqual([3, 5, 7, 9, 0, 8, 4, 10, 6, 11]);
  });

  it('keeps samples that arrive in order as they came', () => {
    const s = new HeadSeries();
    for (let i = 0; i < 20; i++) s.push(1000 + i * 10, i / 10);
    expect(s.timeRange()).toEqual({ min: 1000, max: 1190 });
    const rows = s.sorted();
    expect(rows.n).toBe(20);
    expect(Array.from(rows.v)).toEqual(Array.from({ length: 20 }, (_, i) => i / 10));
  });
});

describe('Head', () => {
  it('counts samples and lists the series it holds', () => {
    const head = new Head();
    head.append(7, 10, 1);
    head.append(3, 10, 2);
    head.append(7, 20, 3);
    expect(head.samples).toBe(3);
    expect(head.size).toBe(2);
    expect([...head.entries()].map(([id, s]) => [id, s.n])).toEqual([
      [7, 2],
      [3, 1],
    ]);
  });
});
