/**
 * The scheduler: one timer per rule group, firing at multiples of the group's interval. A group whose previous round
 * is still running skips the tick rather than queueing a second round behind it, and queries from all groups share a
 * limiter, so at most `maxConcurrent` run at once. Together with the per-query timeout this bounds how late any
 * group can be: a slow or failing query makes its own rule an error and never stalls another group.
 */
import type { Logger } from 'pino';
import type { AlertGroup } from './rules';

/** A counting semaphore: run() waits for a free slot. */
export class Limiter {
  private active = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(private readonly max: number) {}

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.active >= this.max) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.active++;
    try {
      return await task();
    } finally {
      // Hand the slot straight to the next waiter, so a steady stream of new arrivals cannot starve it.
      const next = this.waiting.shift();
      if (next) next();
      else this.active--;
    }
  }
}

export interface SchedulerDeps {
  groups(): AlertGroup[];
  evaluateGroup(name: string, now: number): Promise<void>;
  logger: Logger;
  clock: () => number;
}

interface GroupTimer {
  intervalMs: number;
  timer: NodeJS.Timeout | undefined;
  running: Promise<void> | undefined;
}

export class Scheduler {
  private readonly timers = new Map<string, GroupTimer>();
  private stopped = false;

  constructor(private readonly deps: SchedulerDeps) {}

  /** Starts, stops or re-times group timers to match the groups that exist now. Call after every change. */
  sync(): void {
    if (this.stopped) return;
    const groups = new Map(this.deps.groups().map((g) => [g.name, g]));
    for (const [name, t] of this.timers) {
      const g = groups.get(name);
      if (!g || g.intervalMs !== t.intervalMs) {
        clearTimeout(t.timer);
        this.timers.delete(name);
      }
    }
    for (const g of groups.values()) {
      if (!this.timers.has(g.name)) {
        const t: GroupTimer = { intervalMs: g.intervalMs, timer: undefined, running: undefined };
        this.timers.set(g.name, t);
        this.arm(g.name, t);
      }
    }
  }

  /** Stops the timers and waits for rounds in flight. */
  async stop(): Promise<void> {
    this.stopped = true;
    const running = [...this.timers.values()].map((t) => {
      clearTimeout(t.timer);
      return t.running;
    });
    this.timers.clear();
    await Promise.all(running);
  }

  /**
   * Timers may fire a millisecond before the clock reaches their due time, so the next round is counted from the one
   * just due, not from the clock: otherwise an early tick would re-arm for the same multiple and run it twice.
   */
  private arm(name: string, t: GroupTimer, lastRound = -Infinity): void {
    const now = this.deps.clock();
    const next = Math.max(Math.floor(now / t.intervalMs) * t.intervalMs + t.intervalMs, lastRound + t.intervalMs);
    t.timer = setTimeout(() => this.tick(name, t, next), Math.max(0, next - now));
    t.timer.unref();
  }

  /**
   * A round is stamped with an interval's multiple, as Prometheus stamps a rule evaluation: the one it was due at,
   * or, when the timer fired late, the latest one that has passed; the rounds in between are skipped, not run late.
   */
  private tick(name: string, t: GroupTimer, due: number): void {
    if (this.stopped || this.timers.get(name) !== t) return;
    const round = Math.max(due, Math.floor(this.deps.clock() / t.intervalMs) * t.intervalMs);
    this.arm(name, t, round);
    if (t.running) {
      this.deps.logger.warn(
        { group: name },
        'alert group evaluation still running at its next interval; skipping a round'
      );
      return;
    }
    t.running = this.deps
      .evaluateGroup(name, round)
      .catch((e: unknown) => this.deps.logger.error({ group: name, err: e }, 'alert group evaluation failed'))
      .finally(() => {
        t.running = undefined;
      });
  }
}
