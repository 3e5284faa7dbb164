/**
 * Alerting's real modules (definitions, history, silences, acks, dispatcher, engine) on a temporary catalog, with a
 * clock the test sets, a query the test scripts, and notifiers that record what they are sent.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import pino from 'pino';

import type { AlertGroupSpec, AlertRuleSpec } from '../../src/shared/api';
import { AckStore } from '../../src/worker/alerting/acks';
import { Definitions } from '../../src/worker/alerting/definitions';
import { Dispatcher } from '../../src/worker/alerting/dispatcher';
import { AlertEngine } from '../../src/worker/alerting/engine';
import type { SeriesQuery } from '../../src/worker/alerting/evaluator';
import { AlertHistory } from '../../src/worker/alerting/history';
import type { AlertItem, Notification, Notifier } from '../../src/worker/alerting/notifiers/notifier';
import { Limiter } from '../../src/worker/alerting/scheduler';
import { SilenceStore } from '../../src/worker/alerting/silences';
import { Throttle } from '../../src/worker/alerting/throttle';
import { openCatalog, type Catalog } from '../../src/worker/catalog/db';
import type { Series } from '../../src/worker/query/types';

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
/** A round start time (ms) so minute arithmetic reads plainly. */
export const T0 = Date.UTC(2026, 0, 5, 0, 0, 0);

export type ValueAt = (t: number) => number | null;

/** A series at a 10 s step over [from, until), value by time in seconds. */
export function series(
  name: string,
  from: number,
  until: number,
  value: ValueAt,
  tags: Record<string, string> = {}
): Series {
  const step = 10;
  const start = Math.floor(from / step) * step;
  const values: Array<number | null> = [];
  for (let t = start; t < until; t += step) values.push(value(t));
  return {
    name,
    tags: { name, ...tags },
    pathExpression: name,
    start,
    end: start + values.length * step,
    step,
    values,
    consolidationFunc: 'average',
  };
}

/** A scripted query: each target answers what its function returns for the range, or throws. */
export class FakeQuery implements SeriesQuery {
  readonly targets = new Map<string, (from: number, until: number) => Series[] | Promise<Series[]>>();
  calls = 0;

  set(target: string, answer: (from: number, until: number) => Series[] | Promise<Series[]>): void {
    this.targets.set(target, answer);
  }

  /** One series per name, each with a value by time (seconds). */
  values(target: string, byName: Record<string, ValueAt>): void {
    this.set(target, (from, until) => Object.entries(byName).map(([n, v]) => series(n, from, until, v)));
  }

  async query(target: string, from: number, until: number): Promise<Series[]> {
    this.calls++;
    const answer = this.targets.get(target);
    if (!answer) throw new Error(`no such target in the fake: ${target}`);
    return answer(from, until);
  }
}

export interface Sent {
  at: number;
  notifier: string;
  kind: Notification['kind'];
  alerts: AlertItem[];
}

export class Harness {
  readonly dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mc-alerting-'));
  readonly query = new FakeQuery();
  readonly sent: Sent[] = [];
  now = T0;
  db!: Catalog;
  definitions!: Definitions;
  history!: AlertHistory;
  silences!: SilenceStore;
  acks!: AckStore;
  engine!: AlertEngine;
  /** Notifier names whose send() throws. */
  readonly failing = new Set<string>();

  constructor(private readonly opts: { throttle?: { max: number; perMs: number }; queryTimeoutMs?: number } = {}) {
    this.open();
  }

  /** (Re)builds every module on the same database: what a restart does. */
  open(): void {
    const logger = pino({ level: 'silent' });
    const clock = () => this.now;
    this.db = openCatalog(this.dir);
    this.definitions = new Definitions(this.db, clock);
    this.history = new AlertHistory(this.db);
    this.silences = new SilenceStore(this.db, clock);
    this.acks = new AckStore(this.db, clock);
    const throttle = this.opts.throttle ?? { max: 1000, perMs: MINUTE };
    const dispatcher = new Dispatcher({
      history: this.history,
      silences: this.silences,
      acks: this.acks,
      throttle: new Throttle<AlertItem>(throttle.max, throttle.perMs),
      notifier: (name) => (this.definitions.notifier(name) ? this.recorder(name) : undefined),
      logger,
    });
    this.engine = new AlertEngine({
      definitions: this.definitions,
      history: this.history,
      dispatcher,
      query: this.query,
      limiter: new Limiter(4),
      queryTimeoutMs: this.opts.queryTimeoutMs ?? 5_000,
      logger,
      clock,
    });
  }

  restart(): void {
    this.db.close();
    this.open();
  }

  close(): void {
    this.db.close();
    fs.rmSync(this.dir, { recursive: true, force: true });
  }

  /** A group `g` every minute notifying `hook`, and the rule in it. */
  rule(spec: Partial<AlertRuleSpec> & { uid: string; target: string }, group: Partial<AlertGroupSpec> = {}): void {
    if (!this.definitions.notifier('hook')) {
      this.definitions.putNotifier({ name: 'hook', type: 'webhook', settings: { url: 'http://127.0.0.1:9/' } });
    }
    if (!this.definitions.group('g'))
      this.definitions.putGroup({ name: 'g', interval: '1min', notifiers: ['hook'], ...group });
    this.definitions.putRule({ title: spec.uid, group: 'g', window: '1min', reducer: 'last', ...spec });
  }

  async evaluate(group = 'g'): Promise<void> {
    await this.engine.evaluateGroup(group, this.now);
  }

  /** Evaluates every minute from now until `until` (inclusive), advancing the clock. */
  async runUntil(until: number, step = MINUTE): Promise<void> {
    while (this.now <= until) {
      await this.evaluate();
      this.now += step;
    }
    this.now -= step;
  }

  state(ruleUid: string, key = ''): string | undefined {
    return this.engine.instancesOf(ruleUid).find((i) => i.key === key)?.state.state;
  }

  /** Minutes after T0 at which messages of this kind were sent. */
  sentMinutes(kind: Notification['kind'] = 'firing'): number[] {
    return this.sent.filter((s) => s.kind === kind).map((s) => (s.at - T0) / MINUTE);
  }

  private recorder(name: string): Notifier {
    return {
      name,
      type: 'webhook',
      resendsEveryEvaluation: false,
      send: async (n) => {
        if (this.failing.has(name)) throw new Error('receiver down');
        this.sent.push({ at: n.at, notifier: name, kind: n.kind, alerts: n.alerts });
      },
    };
  }
}
