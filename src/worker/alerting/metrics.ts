/**
 * Alerting's own figures on the worker's /metrics (seed 001, lesson 1: monitor yourself): how long rule evaluations
 * take, how many instances are in each state, and how notifications fare per notifier.
 */
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { AlertState } from '../../shared/api';

const STATES: readonly AlertState[] = ['ok', 'pending', 'alerting', 'nodata', 'error'];

export class AlertMetrics {
  private readonly evaluation: Histogram<'group'>;
  private readonly notifications: Counter<'notifier' | 'kind' | 'outcome'>;

  constructor(registry: Registry, states: () => Iterable<AlertState>) {
    this.evaluation = new Histogram({
      name: 'mc_alert_rule_evaluation_seconds',
      help: 'Time to evaluate one alert rule (query, states, storage, notifications), per rule group.',
      labelNames: ['group'],
      buckets: [0.001, 0.005, 0.02, 0.1, 0.5, 2, 10, 30],
      registers: [registry],
    });
    this.notifications = new Counter({
      name: 'mc_alert_notifications_total',
      help: 'Notifications attempted, per notifier, kind (firing, recovered, throttled, test) and outcome.',
      labelNames: ['notifier', 'kind', 'outcome'],
      registers: [registry],
    });
    new Gauge({
      name: 'mc_alert_instances',
      help: 'Alert instances per state.',
      labelNames: ['state'],
      registers: [registry],
      collect() {
        const counts = new Map<AlertState, number>(STATES.map((s) => [s, 0]));
        for (const s of states()) counts.set(s, (counts.get(s) ?? 0) + 1);
        for (const [state, n] of counts) this.set({ state }, n);
      },
    });
  }

  evaluated(group: string, ms: number): void {
    this.evaluation.observe({ group }, ms / 1000);
  }

  notified(notifier: string, kind: string, outcome: 'sent' | 'failed' | 'held'): void {
    this.notifications.inc({ notifier, kind, outcome });
  }
}
