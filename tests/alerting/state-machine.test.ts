/**
 * The alert state machine, the notification policy and the engine around them, on a clock the test moves: pending
 * periods, hysteresis, no data and too few series, Hound's back-off to the minute, query errors, paused rules,
 * silences, acknowledgements, the global throttle and a restart in the middle of a firing episode.
 */
import pino from 'pino';

import { HOUND_BACKOFF_MS } from '../../src/worker/alerting/policy';
import { Limiter, Scheduler } from '../../src/worker/alerting/scheduler';
import { Harness, HOUR, MINUTE, T0, series } from './harness';

let h: Harness;
afterEach(() => h.close());

/**
 * f(m) is what the evaluation at minute m (after T0) sees: rules here look at the last minute, so the points of
 * minute m - 1 carry it.
 */
const byMinute =
  (f: (minute: number) => number | null) =>
  (t: number): number | null =>
    f(Math.floor((t * 1000 - T0) / MINUTE) + 1);

describe('pending and alerting', () => {
  it('stays pending for `for`, then alerts and notifies once', async () => {
    h = new Harness();
    h.query.values('cpu', { 'servers.web1.cpu': () => 95 });
    h.rule({ uid: 'cpu', target: 'cpu', condition: { op: 'above', threshold: 90 }, for: '5min' });
    const key = 'name="servers.web1.cpu"';

    await h.evaluate();
    expect(h.state('cpu', key)).toBe('pending');
    h.now = T0 + 4 * MINUTE;
    await h.evaluate();
    expect(h.state('cpu', key)).toBe('pending');
    expect(h.sent).toHaveLength(0);

    h.now = T0 + 5 * MINUTE;
    await h.evaluate();
    expect(h.state('cpu', key)).toBe('alerting');
    expect(h.sentMinutes()).toEqual([5]);
    expect(h.sent[0]!.alerts[0]).toMatchObject({ status: 'firing', state: 'alerting', value: 95, key });

    const history = h.history.transitions({ ruleUid: 'cpu', key }).reverse();
    expect(history.map((t) => [t.from, t.to, (t.at - T0) / MINUTE])).toEqual([
      ['ok', 'pending', 0],
      ['pending', 'alerting', 5],
    ]);
  });

  it('goes back to OK from pending without a message when the condition stops', async () => {
    h = new Harness();
    h.query.values('cpu', { a: byMinute((m) => (m < 2 ? 95 : 10)) });
    h.rule({ uid: 'cpu', target: 'cpu', condition: { op: 'above', threshold: 90 }, for: '5min' });
    await h.runUntil(T0 + 10 * MINUTE);
    expect(h.state('cpu', 'name="a"')).toBe('ok');
    expect(h.sent).toHaveLength(0);
  });

  it('keeps firing for keepFiringFor after the condition stops', async () => {
    h = new Harness();
    h.query.values('cpu', { a: byMinute((m) => (m < 3 ? 95 : 10)) });
    h.rule({ uid: 'cpu', target: 'cpu', condition: { op: 'above', threshold: 90 }, keepFiringFor: '5min' });
    await h.runUntil(T0 + 20 * MINUTE);
    // Last breach at minute 2: still alerting until minute 7, then resolved.
    const t = h.history.transitions({ ruleUid: 'cpu', key: 'name="a"' }).reverse();
    expect(t.map((x) => [x.to, (x.at - T0) / MINUTE])).toEqual([
      ['alerting', 0],
      ['ok', 7],
    ]);
    expect(h.sentMinutes('recovered')).toEqual([7]);
  });
});

describe('recovery threshold', () => {
  // Around the threshold: 95, 85, 92, 85, 88, 91, 86, then well below.
  const wobble = [95, 85, 92, 85, 88, 91, 86, 70, 70];
  const values = byMinute((m) => wobble[Math.min(m, wobble.length - 1)]!);

  it('without one, a value wandering around the threshold flaps', async () => {
    h = new Harness();
    h.query.values('lat', { a: values });
    h.rule({ uid: 'lat', target: 'lat', condition: { op: 'above', threshold: 90 } });
    await h.runUntil(T0 + 8 * MINUTE);
    expect(h.sentMinutes('firing')).toEqual([0, 2, 5]);
    expect(h.sentMinutes('recovered')).toEqual([1, 3, 6]);
  });

  it('with one, the instance stays alerting until the value is past it: one alert, one recovery', async () => {
    h = new Harness();
    h.query.values('lat', { a: values });
    h.rule({ uid: 'lat', target: 'lat', condition: { op: 'above', threshold: 90, recoveryThreshold: 80 } });
    await h.runUntil(T0 + 8 * MINUTE);
    // One episode: the message at 5 is its first re-notification on the back-off, not a new alert.
    expect(h.sentMinutes('firing')).toEqual([0, 5]);
    expect(h.sent.map((s) => s.alerts[0]!.notification)).toEqual([1, 2, 2]);
    expect(h.sentMinutes('recovered')).toEqual([7]);
    expect(h.sent.find((s) => s.kind === 'recovered')!.alerts[0]).toMatchObject({ status: 'resolved', value: 70 });
  });

  it('works the other way round for "below"', async () => {
    h = new Harness();
    const free = [5, 12, 8, 30];
    h.query.values('disk', { a: byMinute((m) => free[Math.min(m, free.length - 1)]!) });
    h.rule({ uid: 'disk', target: 'disk', condition: { op: 'below', threshold: 10, recoveryThreshold: 20 } });
    await h.runUntil(T0 + 3 * MINUTE);
    expect(h.sentMinutes('firing')).toEqual([0]);
    expect(h.sentMinutes('recovered')).toEqual([3]);
  });
});

describe('no data and too few series', () => {
  it('no data for the window fires on the rule and resolves when data returns', async () => {
    h = new Harness();
    h.query.values('app', { 'app.requests': byMinute((m) => (m >= 3 && m < 6 ? null : 5)) });
    h.rule({ uid: 'app', target: 'app', condition: { op: 'above', threshold: 100 } });
    await h.runUntil(T0 + 8 * MINUTE);
    const rule = h.history.transitions({ ruleUid: 'app', key: '' }).reverse();
    expect(rule.map((t) => [t.to, (t.at - T0) / MINUTE])).toEqual([
      ['nodata', 3],
      ['ok', 6],
    ]);
    expect(h.sent.map((s) => [s.kind, s.alerts[0]!.key, (s.at - T0) / MINUTE])).toEqual([
      ['firing', '', 3],
      ['recovered', '', 6],
    ]);
    // The series' own instance shows no data (grey) but sends nothing: the rule's instance spoke for it.
    const seriesStates = h.history.transitions({ ruleUid: 'app', key: 'name="app.requests"' }).map((t) => t.to);
    expect(seriesStates).toContain('nodata');
  });

  it('a rule without a condition watches only for data', async () => {
    h = new Harness();
    h.query.set('beacons', () => []);
    h.rule({ uid: 'beacons', target: 'beacons', noDataState: 'nodata' });
    await h.evaluate();
    expect(h.state('beacons')).toBe('nodata');
    expect(h.sent[0]!.alerts[0]).toMatchObject({ state: 'nodata', reason: 'no series has data in the last 1min' });
  });

  it('fewer than minSeries reporting fires, after `for`, and resolves when they are back', async () => {
    h = new Harness();
    const reporting = (host: number) => byMinute((m) => (m >= 2 && m < 8 && host === 3 ? null : 1));
    h.query.values('load', {
      'servers.web1.load': reporting(1),
      'servers.web2.load': reporting(2),
      'servers.web3.load': reporting(3),
    });
    h.rule({ uid: 'load', target: 'load', condition: { op: 'above', threshold: 50 }, minSeries: 3, for: '2min' });
    await h.runUntil(T0 + 10 * MINUTE);
    const rule = h.history.transitions({ ruleUid: 'load', key: '' }).reverse();
    expect(rule.map((t) => [t.to, (t.at - T0) / MINUTE])).toEqual([
      ['pending', 2],
      ['alerting', 4],
      ['ok', 8],
    ]);
    expect(h.sent.filter((s) => s.alerts[0]!.key === '').map((s) => [s.kind, (s.at - T0) / MINUTE])).toEqual([
      ['firing', 4],
      ['recovered', 8],
    ]);
    expect(h.sent.find((s) => s.kind === 'firing')!.alerts[0]!.reason).toBe('2 series reporting, expected at least 3');
  });
});

describe("Hound's back-off", () => {
  it('notifies at once, then 5min, 30min, 1h, 2h, 4h, 8h after the previous one, then every 24h', async () => {
    h = new Harness();
    h.query.values('q', { a: () => 1 });
    h.rule({ uid: 'q', target: 'q', condition: { op: 'above', threshold: 0 } });
    await h.runUntil(T0 + 3 * 24 * HOUR);
    const expected = [0];
    for (let i = 0; expected.at(-1)! + 24 * 60 <= 3 * 24 * 60; i++) {
      expected.push(expected.at(-1)! + HOUND_BACKOFF_MS[Math.min(i, HOUND_BACKOFF_MS.length - 1)]! / MINUTE);
    }
    expect(h.sentMinutes()).toEqual(expected);
    expect(h.sentMinutes()).toEqual([0, 5, 35, 95, 215, 455, 935, 2375, 3815]);
    expect(h.sent.map((s) => s.alerts[0]!.notification)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('or repeats at a fixed interval, or never', async () => {
    h = new Harness();
    h.query.values('q', { a: () => 1 });
    h.rule({ uid: 'fixed', target: 'q', condition: { op: 'above', threshold: 0 }, repeat: '1h' });
    h.rule({ uid: 'once', target: 'q', condition: { op: 'above', threshold: 0 }, repeat: 'never' });
    await h.runUntil(T0 + 3 * HOUR);
    const at = (uid: string) => h.sent.filter((s) => s.alerts[0]!.ruleUid === uid).map((s) => (s.at - T0) / MINUTE);
    expect(at('fixed')).toEqual([0, 60, 120, 180]);
    expect(at('once')).toEqual([0]);
  });

  it('starts over with a new episode after a recovery', async () => {
    h = new Harness();
    h.query.values('q', { a: byMinute((m) => (m === 10 ? 0 : 1)) });
    h.rule({ uid: 'q', target: 'q', condition: { op: 'above', threshold: 1 } });
    await h.runUntil(T0 + 20 * MINUTE);
    expect(h.sentMinutes()).toEqual([0, 5, 11, 16]);
    expect(h.sentMinutes('recovered')).toEqual([10]);
  });

  it('retries a notification no notifier accepted at the next evaluation', async () => {
    h = new Harness();
    h.query.values('q', { a: () => 1 });
    h.rule({ uid: 'q', target: 'q', condition: { op: 'above', threshold: 0 } });
    h.failing.add('hook');
    await h.runUntil(T0 + 2 * MINUTE);
    h.failing.clear();
    h.now += MINUTE;
    await h.runUntil(T0 + 8 * MINUTE);
    expect(h.sentMinutes()).toEqual([3, 8]);
    const log = h.history.notifications({ ruleUid: 'q' }).reverse();
    expect(log.map((n) => n.ok)).toEqual([false, false, false, true, true]);
  });
});

describe('errors and paused rules', () => {
  it('a failing query puts the rule in error, keeps its series as they were, and recovers', async () => {
    h = new Harness();
    let broken = false;
    h.query.set('q', (from, until) => {
      if (broken) throw new Error('graphite is down');
      return [series('a', from, until, () => 95)];
    });
    h.rule({ uid: 'q', target: 'q', condition: { op: 'above', threshold: 90 } });
    await h.evaluate();
    broken = true;
    h.now += MINUTE;
    await h.evaluate();
    expect(h.state('q')).toBe('error');
    expect(h.state('q', 'name="a"')).toBe('alerting');
    expect(h.engine.lastEvaluation('q')?.error).toBe('query failed: graphite is down');
    expect(h.sent.map((s) => [s.alerts[0]!.key, s.alerts[0]!.state])).toEqual([
      ['name="a"', 'alerting'],
      ['', 'error'],
    ]);
    broken = false;
    h.now += MINUTE;
    await h.evaluate();
    expect(h.state('q')).toBe('ok');
    expect(h.sent.at(-1)).toMatchObject({ kind: 'recovered', alerts: [{ key: '', status: 'resolved' }] });
  });

  it('a query slower than the timeout is an error too', async () => {
    h = new Harness({ queryTimeoutMs: 50 });
    h.query.set('slow', () => new Promise(() => undefined));
    h.rule({ uid: 'slow', target: 'slow', condition: { op: 'above', threshold: 1 } });
    await h.evaluate();
    expect(h.state('slow')).toBe('error');
    expect(h.engine.lastEvaluation('slow')?.error).toMatch(/took longer than/);
  });

  it('a paused rule is not evaluated and sends nothing; unpaused, it picks up', async () => {
    h = new Harness();
    h.query.values('q', { a: () => 95 });
    h.rule({ uid: 'q', target: 'q', condition: { op: 'above', threshold: 90 }, paused: true });
    await h.runUntil(T0 + 10 * MINUTE);
    expect(h.query.calls).toBe(0);
    expect(h.sent).toHaveLength(0);
    expect(h.engine.instancesOf('q')).toHaveLength(0);

    h.rule({ uid: 'q', target: 'q', condition: { op: 'above', threshold: 90 }, paused: false });
    h.now += MINUTE;
    await h.evaluate();
    expect(h.sent).toHaveLength(1);
  });

  it('pausing a firing rule holds its re-notifications', async () => {
    h = new Harness();
    h.query.values('q', { a: () => 95 });
    h.rule({ uid: 'q', target: 'q', condition: { op: 'above', threshold: 90 } });
    await h.evaluate();
    h.rule({ uid: 'q', target: 'q', condition: { op: 'above', threshold: 90 }, paused: true });
    h.now += MINUTE;
    await h.runUntil(T0 + 2 * HOUR);
    expect(h.sentMinutes()).toEqual([0]);
  });
});

describe('silences, acknowledgements and the throttle', () => {
  it('a silence matching the labels keeps an instance quiet, recovery included', async () => {
    h = new Harness();
    h.query.values('q', {
      'servers.web1.cpu': byMinute((m) => (m < 20 ? 95 : 1)),
      'servers.web2.cpu': byMinute((m) => (m < 20 ? 95 : 1)),
    });
    h.rule({ uid: 'q', target: 'q', condition: { op: 'above', threshold: 90 } });
    h.silences.create({
      matchers: [{ name: 'name', op: '=~', value: 'servers\\.web1\\..*' }],
      endsAt: (T0 + 30 * MINUTE) / 1000,
      author: 'ops',
      comment: 'reboot',
    });
    await h.runUntil(T0 + 25 * MINUTE);
    const keys = new Set(h.sent.map((s) => s.alerts[0]!.key));
    expect([...keys]).toEqual(['name="servers.web2.cpu"']);
    expect(h.sentMinutes('recovered')).toEqual([20]);
  });

  it('an instance still firing when its silence ends is notified then', async () => {
    h = new Harness();
    h.query.values('q', { a: () => 95 });
    h.rule({ uid: 'q', target: 'q', condition: { op: 'above', threshold: 90 } });
    h.silences.create({
      matchers: [{ name: 'alertname', op: '=', value: 'q' }],
      endsAt: (T0 + 10 * MINUTE) / 1000,
      author: 'ops',
      comment: 'deploy',
    });
    await h.runUntil(T0 + 12 * MINUTE);
    expect(h.sentMinutes()).toEqual([10]);
  });

  it('an acknowledgement holds re-notifications until it expires; the recovery still goes out', async () => {
    h = new Harness();
    h.query.values('q', { a: byMinute((m) => (m < 200 ? 95 : 1)) });
    h.rule({ uid: 'q', target: 'q', condition: { op: 'above', threshold: 90 } });
    await h.evaluate();
    h.acks.create({ ruleUid: 'q', key: 'name="a"', expiresAt: (T0 + 2 * HOUR) / 1000, author: 'alice' }, () => true);
    h.now += MINUTE;
    await h.runUntil(T0 + 4 * HOUR);
    // Held from 5 until the ack expired at 120, then the back-off goes on from there (+30min).
    expect(h.sentMinutes()).toEqual([0, 120, 150]);
    expect(h.sentMinutes('recovered')).toEqual([200]);
  });

  it('the global throttle sends one "throttled" message instead of a flood', async () => {
    h = new Harness({ throttle: { max: 3, perMs: 10 * MINUTE } });
    const hosts: Record<string, () => number> = {};
    for (let i = 1; i <= 40; i++) hosts[`servers.web${i}.up`] = () => 0;
    h.query.values('up', hosts);
    h.rule({ uid: 'up', target: 'up', condition: { op: 'below', threshold: 0 } });
    await h.evaluate();
    expect(h.sent.filter((s) => s.kind === 'firing')).toHaveLength(3);
    const throttled = h.sent.filter((s) => s.kind === 'throttled');
    expect(throttled).toHaveLength(1);
    expect(throttled[0]!.alerts).toHaveLength(37);
    // Held messages count as sent for the back-off: nothing floods out in the next minutes.
    h.now += MINUTE;
    await h.runUntil(T0 + 4 * MINUTE);
    expect(h.sent).toHaveLength(4);
  });
});

describe('restart', () => {
  it('resumes from the stored states: no duplicate notification, no lost recovery, pending keeps its start', async () => {
    h = new Harness();
    h.query.values('q', { a: byMinute((m) => (m < 30 ? 95 : 1)), b: byMinute((m) => (m >= 3 ? 95 : 1)) });
    h.rule({ uid: 'q', target: 'q', condition: { op: 'above', threshold: 90 }, for: '4min' });
    await h.runUntil(T0 + 5 * MINUTE);
    expect(h.sentMinutes()).toEqual([4]);

    h.restart();
    h.now = T0 + 6 * MINUTE;
    await h.runUntil(T0 + 40 * MINUTE);
    // a: alerting at 4, re-notified on the back-off at 9, recovered at 30. b: pending from 3 (before the restart),
    // alerting at 7, re-notified at 12; the next is due at 42.
    const at = (key: string, kind: string) =>
      h.sent.filter((s) => s.kind === kind && s.alerts[0]!.key === key).map((s) => (s.at - T0) / MINUTE);
    expect(at('name="a"', 'firing')).toEqual([4, 9]);
    expect(at('name="a"', 'recovered')).toEqual([30]);
    expect(at('name="b"', 'firing')).toEqual([7, 12]);
  });

  it('sends after a restart the recovery that was owed when the worker stopped', async () => {
    h = new Harness();
    h.query.values('q', { a: byMinute((m) => (m < 2 ? 95 : 1)) });
    h.rule({ uid: 'q', target: 'q', condition: { op: 'above', threshold: 90 } });
    await h.evaluate();
    h.failing.add('hook');
    h.now = T0 + 2 * MINUTE;
    await h.evaluate();
    expect(h.sentMinutes('recovered')).toEqual([]);
    h.restart();
    h.failing.clear();
    h.now = T0 + 3 * MINUTE;
    await h.evaluate();
    expect(h.sentMinutes('recovered')).toEqual([3]);
  });
});

describe('scheduler', () => {
  it('a group whose query hangs is in error each round and never holds up another group', async () => {
    h = new Harness({ queryTimeoutMs: 300 });
    h.query.set('hangs', () => new Promise(() => undefined));
    h.query.values('fine', { a: () => 1 });
    h.rule({ uid: 'slow', target: 'hangs', condition: { op: 'above', threshold: 5 } }, { name: 'g', interval: '1s' });
    h.definitions.putGroup({ name: 'other', interval: '1s', notifiers: ['hook'] });
    h.definitions.putRule({
      uid: 'fast',
      title: 'fast',
      group: 'other',
      target: 'fine',
      window: '1min',
      condition: { op: 'above', threshold: 5 },
    });
    const rounds: Record<string, number[]> = { g: [], other: [] };
    const scheduler = new Scheduler({
      groups: () => h.definitions.groups().map((g) => g.value),
      evaluateGroup: async (name, now) => {
        rounds[name]!.push(now);
        await h.engine.evaluateGroup(name, now);
      },
      logger: pino({ level: 'silent' }),
      clock: Date.now,
    });
    scheduler.sync();
    await new Promise((r) => setTimeout(r, 3500));
    await scheduler.stop();
    expect(rounds.other!.length).toBeGreaterThanOrEqual(3);
    expect(rounds.g!.length).toBeGreaterThanOrEqual(3);
    // Rounds are stamped with the interval's multiples, whatever the other group is doing.
    for (const t of [...rounds.g!, ...rounds.other!]) expect(t % 1000).toBe(0);
    expect(h.state('slow')).toBe('error');
    expect(h.state('fast')).toBe('ok');
  });

  it('the limiter runs at most N queries at once', async () => {
    const limiter = new Limiter(2);
    let running = 0;
    let peak = 0;
    await Promise.all(
      Array.from({ length: 10 }, () =>
        limiter.run(async () => {
          running++;
          peak = Math.max(peak, running);
          await new Promise((r) => setTimeout(r, 10));
          running--;
        })
      )
    );
    expect(peak).toBe(2);
  });
});
