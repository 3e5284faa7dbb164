import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import pino from 'pino';

import { openCatalog, type Catalog } from '../catalog/db';
import type { Series } from '../query/types';
import { AckStore } from './acks';
import { Definitions } from './definitions';
import { Dispatcher } from './dispatcher';
import { AlertEngine } from './engine';
import { AlertHistory } from './history';
import type { AlertItem, Notification } from './notifiers/notifier';
import { Limiter } from './scheduler';
import { SilenceStore } from './silences';
import { Throttle } from './throttle';

const MINUTE = 60_000;
const T0 = Date.UTC(2026, 0, 5);
const KEY = 'name="servers.web1.cpu"';

/** The engine and dispatcher on a temporary catalog, one series whose value the test sets, notifiers that record. */
function setup() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mc-dispatcher-'));
  const db: Catalog = openCatalog(dir);
  let now = T0;
  let value = 95;
  const clock = () => now;
  const logger = pino({ level: 'silent' });
  const definitions = new Definitions(db, clock);
  const history = new AlertHistory(db);
  const acks = new AckStore(db, clock);
  const sent: Notification[] = [];
  const engine = new AlertEngine({
    definitions,
    history,
    dispatcher: new Dispatcher({
      history,
      silences: new SilenceStore(db, clock),
      acks,
      throttle: new Throttle<AlertItem>(1000, MINUTE),
      notifier: (name) =>
        definitions.notifier(name)
          ? {
              name,
              type: 'webhook',
              resendsEveryEvaluation: false,
              send: async (n) => {
                sent.push(n);
              },
            }
          : undefined,
      logger,
    }),
    query: {
      async query(target: string, from: number): Promise<Series[]> {
        const start = Math.floor(from / 10) * 10;
        const name = 'servers.web1.cpu';
        return [
          {
            name,
            tags: { name },
            pathExpression: target,
            start,
            end: start + 10,
            step: 10,
            values: [value],
            consolidationFunc: 'average',
          },
        ];
      },
    },
    limiter: new Limiter(1),
    queryTimeoutMs: 5_000,
    logger,
    clock,
  });
  return {
    definitions,
    engine,
    history,
    acks,
    sent,
    instance: () => engine.instancesOf('cpu').find((i) => i.key === KEY)!,
    /** Evaluates group g at the current time, then moves the clock a minute on. */
    async evaluate(next: number) {
      value = next;
      await engine.evaluateGroup('g', now);
      now += MINUTE;
    },
    now: () => now,
    close() {
      db.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

type Setup = ReturnType<typeof setup>;

function rule(s: Setup, notifiers: string[]) {
  s.definitions.putGroup({ name: 'g', interval: '1min', notifiers });
  s.definitions.putRule({
    uid: 'cpu',
    title: 'CPU',
    group: 'g',
    target: 'servers.*.cpu',
    window: '1min',
    condition: { op: 'above', threshold: 90 },
  });
}

describe('dispatcher', () => {
  let s: Setup;
  beforeEach(() => {
    s = setup();
  });
  afterEach(() => s.close());

  it('counts a notification only when a notifier exists to send it', async () => {
    rule(s, []);
    await s.evaluate(95);
    await s.evaluate(95);
    expect(s.instance().state.state).toBe('alerting');
    expect(s.instance().record).toEqual({ notifiedState: null, count: 0, lastNotifiedAt: null });
    expect(s.history.notifications({})).toEqual([]);

    // A notifier added while the instance fires hears of it at once, as the first notification of the episode.
    s.definitions.putNotifier({ name: 'hook', type: 'webhook', settings: { url: 'http://127.0.0.1:9/' } });
    rule(s, ['hook']);
    const at = s.now();
    await s.evaluate(95);
    expect(s.sent.map((n) => n.kind)).toEqual(['firing']);
    expect(s.instance().record).toEqual({ notifiedState: 'alerting', count: 1, lastNotifiedAt: at });
  });

  it('ends an instance’s acknowledgement when it recovers without ever having been notified', async () => {
    rule(s, []);
    await s.evaluate(95);
    s.acks.create({ ruleUid: 'cpu', key: KEY, expiresAt: s.now() / 1000 + 3600, author: 'ana' }, () => true);
    expect(s.acks.covering('cpu', KEY, s.now())).toBeDefined();

    await s.evaluate(95);
    expect(s.acks.covering('cpu', KEY, s.now())).toBeDefined();
    await s.evaluate(20);
    expect(s.instance().state.state).toBe('ok');
    expect(s.acks.covering('cpu', KEY, s.now())).toBeUndefined();
  });
});
