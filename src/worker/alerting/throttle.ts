/**
 * The global throttle (Hound's GlobalThrottle): at most `max` messages in any fixed window of `windowMs`, across all
 * rules. What is held back is collected per notifier, and each notifier that lost messages gets one "throttled"
 * message listing them once per window, instead of a flood when a whole network goes down at once.
 *
 * Held-back messages count as sent for the back-off (as in Hound), so the flood does not simply resume when the window
 * turns over. The throttle lives in memory: a restart starts a fresh window.
 */
export class Throttle<T> {
  private windowStart = Number.NEGATIVE_INFINITY;
  private sentInWindow = 0;
  private summarySentInWindow = false;
  private readonly held = new Map<string, T[]>();

  constructor(
    private readonly max: number,
    private readonly windowMs: number
  ) {}

  /** Whether one more message may go out now; if so it is counted. */
  admit(now: number): boolean {
    this.roll(now);
    if (this.sentInWindow >= this.max) return false;
    this.sentInWindow++;
    return true;
  }

  hold(notifier: string, item: T): void {
    const list = this.held.get(notifier) ?? [];
    list.push(item);
    this.held.set(notifier, list);
  }

  /** What was held back, per notifier, when a summary may go out now (once per window); undefined otherwise. */
  takeSummary(now: number): Map<string, T[]> | undefined {
    this.roll(now);
    if (this.held.size === 0 || this.summarySentInWindow) return undefined;
    this.summarySentInWindow = true;
    const out = new Map(this.held);
    this.held.clear();
    return out;
  }

  private roll(now: number): void {
    if (now - this.windowStart >= this.windowMs) {
      this.windowStart = now;
      this.sentInWindow = 0;
      this.summarySentInWindow = false;
    }
  }
}
