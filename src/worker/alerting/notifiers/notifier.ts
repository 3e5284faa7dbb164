/**
 * The one interface every notifier implements, and the message they all receive. A notifier turns a Notification
 * into its own wire format (a mail, a JSON body, an SMS) and delivers it, resolving once the receiver accepted it and
 * throwing with the receiver's answer otherwise. The "send test" action is the same call with a test notification.
 */
import type { AlertNotifierType, AlertState, AlertThresholdCondition } from '../../../shared/api';
import type { FieldError } from '../rules';
import type { Mailer } from '../../notify/mailer';

/** One alert instance as receivers see it. Times are ms since the epoch. */
export interface AlertItem {
  status: 'firing' | 'resolved';
  ruleUid: string;
  ruleTitle: string;
  group: string;
  type: 'alert' | 'notice';
  /** '' for the rule's own instance. */
  key: string;
  labels: Record<string, string>;
  /** The labels that tell this instance from the rule's others: its series' own, without the rule's labels. */
  seriesLabels: Record<string, string>;
  annotations: Record<string, string>;
  state: AlertState;
  value: number | null;
  reason: string;
  target: string;
  condition?: AlertThresholdCondition;
  runbookUrl?: string;
  /** When the instance entered its firing state. */
  startsAt: number;
  /**
   * Resolved: when it recovered. Firing: when a receiver that expects alerts to be re-sent (Alertmanager) should
   * consider it over if it hears nothing more.
   */
  endsAt: number;
  /** 1 for the first message of a firing episode, 2 for the first re-notification, ... */
  notification: number;
}

export interface Notification {
  kind: 'firing' | 'recovered' | 'throttled' | 'test';
  /** ms */
  at: number;
  alerts: AlertItem[];
  /** Throttled: how many messages the global throttle held back (they are listed in `alerts`). */
  held?: number;
}

export interface Notifier {
  readonly name: string;
  readonly type: AlertNotifierType;
  /**
   * Receivers that do their own grouping, repetition and expiry (Alertmanager) want every firing alert on every
   * evaluation, as Prometheus sends them, rather than our back-off schedule.
   */
  readonly resendsEveryEvaluation: boolean;
  send(notification: Notification): Promise<void>;
}

/** A notification that exercises a notifier end to end without any rule. */
export function testNotification(notifier: string, now: number): Notification {
  return {
    kind: 'test',
    at: now,
    alerts: [
      {
        status: 'firing',
        ruleUid: 'test',
        ruleTitle: 'Test notification',
        group: 'test',
        type: 'notice',
        key: '',
        labels: { alertname: 'Test notification', rule_uid: 'test', notifier },
        seriesLabels: {},
        annotations: { summary: `A test of the "${notifier}" notifier from Mission Control` },
        state: 'alerting',
        value: null,
        reason: 'sent with "send test"',
        target: '',
        startsAt: now,
        endsAt: now + 5 * 60_000,
        notification: 1,
      },
    ],
  };
}

/** A notifier type: which settings are secret, how they are checked, and how a notifier is made from them. */
export interface NotifierDefinition {
  type: AlertNotifierType;
  /** Settings never shown back by the API. */
  secrets: readonly string[];
  /** Problems with the settings, each naming its field (`settings.url`). */
  check(settings: Record<string, unknown>): FieldError[];
  create(name: string, settings: Record<string, unknown>, deps: NotifierDeps): Notifier;
}

/** What notifiers may need from the worker. */
export interface NotifierDeps {
  /** The worker's mailer (its `smtp` configuration); absent when none is configured. */
  mailer?: Mailer;
  /** The 24 h and 7 d graphs of an alert's target, as PNG, with the threshold drawn. */
  graphs(item: AlertItem): Promise<{ day: Buffer; week: Buffer }>;
}
