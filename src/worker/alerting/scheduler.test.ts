import pino from 'pino';
import { Scheduler } from './scheduler';

afterEach(() => jest.useRealTimers());

function schedule(clock: () => number): { rounds: number[]; scheduler: Scheduler } {
  const rounds: number[] = [];
  const scheduler = new Scheduler({
    groups: () => [{ name: 'g', intervalMs: 1000 } as never],
    evaluateGroup: async (_name, now) => {
      rounds.push(now);
    },
    logger: pino({ level: 'silent' }),
    clock,
  });
  scheduler.sync();
  return { rounds, scheduler };
}

describe('Scheduler', () => {
  it('runs one round per interval, stamped with its multiple, when timers fire a millisecond early', async () => {
    jest.useFakeTimers({ now: 0 });
    // Node's timers can fire just before the clock shows their due time; this clock reads 1 ms behind on each multiple.
    const { rounds, scheduler } = schedule(() => {
      const t = Date.now();
      return t % 1000 === 0 ? t - 1 : t;
    });
    await jest.advanceTimersByTimeAsync(3500);
    await scheduler.stop();
    expect(rounds).toEqual([0, 1000, 2000, 3000]);
  });

  it('skips the rounds a late timer missed rather than running them back to back', async () => {
    jest.useFakeTimers({ now: 0 });
    let lag = 0;
    const { rounds, scheduler } = schedule(() => Date.now() + lag);
    await jest.advanceTimersByTimeAsync(1500);
    lag = 2200;
    await jest.advanceTimersByTimeAsync(1000);
    await scheduler.stop();
    expect(rounds).toEqual([1000, 4000]);
  });
});
