/**
 * Notification dispatch: after each evaluation of a rule, asks the policy (policy.ts) about every instance, sends
 * what is due to the rule's notifiers through the global throttle, and stores each instance's record as soon as its
 * message went out, so that a restart does not send it again.
 *
 * Delivery is at least once: the record is stored after the receiver accepted the message, never before, because a
 * record stored first and a crash before sending would lose the message, and a lost recovery is worse than a repeated
 * one. Only a crash in the moment between the receiver's answer and that write repeats a message.
 *
 * A message counts as delivered when one of its notifiers accepted it, or the throttle held it back; when every
 * notifier failed, the record stays as it was and the next evaluation tries again. Receivers that want every firing
 * alert on every evaluation (Alertmanager) get one batch per rule and evaluation instead.
 */
import type { Logger } from 'pino';
import type { AlertNotificationKind } from '../../shared/api';
import type { AckStore } from './acks';
import type { LiveInstance } from './engine';
import type { AlertHistory } from './history';
import type { AlertMetrics } from './metrics';
import type { AlertItem, Notification, Notifier } from './notifiers/notifier';
import { afterFiring, afterRecovery, decide, isNotifiable } from './policy';
import type { AlertGroup, AlertRule } from './rules';
import type { SilenceStore } from './silences';
import type { Throttle } from './throttle';

/** Alertmanager expires an alert this many evaluation intervals after it last heard of it (Prometheus uses 4). */
const RESEND_EXPIRY_INTERVALS = 4;

export interface DispatcherDeps {
  history: AlertHistory;
  silences: SilenceStore;
  acks: AckStore;
  throttle: Throttle<AlertItem>;
  /** The notifier of that name, or undefined when none exists (any more). */
  notifier(name: string): Notifier | undefined;
  logger: Logger;
  metrics?: AlertMetrics;
}

export class Dispatcher {
  constructor(private readonly deps: DispatcherDeps) {}

  async dispatch(rule: AlertRule, group: AlertGroup, instances: Map<string, LiveInstance>, now: number): Promise<void> {
    if (rule.paused) return;
    const names = rule.notifiers.length > 0 ? rule.notifiers : group.notifiers;
    const notifiers = names.map((n) => this.deps.notifier(n)).filter((n): n is Notifier => n !== undefined);
    const direct = notifiers.filter((n) => !n.resendsEveryEvaluation);
    const batched = notifiers.filter((n) => n.resendsEveryEvaluation);
    const batch: AlertItem[] = [];
    let batchChanged = false;
    const expiresAt = now + RESEND_EXPIRY_INTERVALS * group.intervalMs;

    for (const inst of instances.values()) {
      const silenced = this.deps.silences.silencing(inst.labels, now).length > 0;
      const notifiable = isNotifiable(inst.state.state, inst.ruleLevel);
      const decision = decide({
        state: inst.state.state,
        notifiable,
        record: inst.record,
        repeat: rule.repeat,
        paused: rule.paused,
        silenced,
        acknowledged: notifiable && this.deps.acks.covering(rule.uid, inst.key, now) !== undefined,
        now,
      });
      if (batched.length > 0 && notifiable && !silenced) {
        batch.push(item(rule, group, inst, 'firing', expiresAt, inst.record.count));
      }

      if (decision.action === 'fire') {
        batchChanged = true;
        const message = item(rule, group, inst, 'firing', expiresAt, inst.record.count + 1);
        // With no notifier at all nothing went out: a record would count a notification never sent and owe a recovery
        // nobody waits for.
        if (notifiers.length > 0 && (await this.deliver(direct, 'firing', message, now))) {
          this.saveRecord(inst, afterFiring(inst.record, inst.state.state, now), now);
        }
      } else if (decision.action === 'recover') {
        const message = item(rule, group, inst, 'resolved', now, inst.record.count);
        batch.push(message);
        batchChanged = true;
        if (await this.deliver(direct, 'recovered', message, now)) {
          this.saveRecord(inst, afterRecovery(inst.record), now);
          this.deps.acks.resolved(rule.uid, inst.key);
        }
      } else if (decision.action === 'forget') {
        this.saveRecord(inst, afterRecovery(inst.record), now);
      } else if (inst.state.state === 'ok') {
        // The episode is over even when it owed no recovery (never notified, or no notifier): its ack goes with it.
        this.deps.acks.resolved(rule.uid, inst.key);
      }
    }

    for (const n of batched) {
      // Re-sending what the receiver already knows is routine: logged only when it fails or carries a change.
      if (batch.length > 0) {
        await this.attempt(n, { kind: 'firing', at: now, alerts: batch }, now, rule.uid, null, batchChanged);
      }
    }
  }

  /** Sends one "throttled" message to each notifier that had messages held back, when the throttle allows. */
  async flushThrottled(now: number): Promise<void> {
    const held = this.deps.throttle.takeSummary(now);
    if (!held) return;
    for (const [name, alerts] of held) {
      const notifier = this.deps.notifier(name);
      if (notifier)
        await this.attempt(notifier, { kind: 'throttled', at: now, alerts, held: alerts.length }, now, null, null);
    }
  }

  /** Sends a test notification; the result is what the API's "send test" shows. */
  async test(notifier: Notifier, notification: Notification): Promise<{ ok: boolean; error?: string }> {
    return this.attempt(notifier, notification, notification.at, null, null);
  }

  private async deliver(
    notifiers: Notifier[],
    kind: 'firing' | 'recovered',
    message: AlertItem,
    now: number
  ): Promise<boolean> {
    if (notifiers.length === 0) return true;
    let delivered = false;
    for (const n of notifiers) {
      if (!this.deps.throttle.admit(now)) {
        this.deps.throttle.hold(n.name, message);
        this.deps.metrics?.notified(n.name, kind, 'held');
        this.log(now, message.ruleUid, message.key, n.name, kind, message, {
          ok: false,
          error: 'held back by the global throttle',
        });
        delivered = true;
        continue;
      }
      const result = await this.attempt(n, { kind, at: now, alerts: [message] }, now, message.ruleUid, message.key);
      delivered ||= result.ok;
    }
    return delivered;
  }

  private async attempt(
    n: Notifier,
    notification: Notification,
    now: number,
    ruleUid: string | null,
    key: string | null,
    logSuccess = true
  ): Promise<{ ok: boolean; error?: string }> {
    let result: { ok: boolean; error?: string };
    try {
      await n.send(notification);
      result = { ok: true };
    } catch (e) {
      result = { ok: false, error: (e as Error).message };
      this.deps.logger.warn(
        { notifier: n.name, kind: notification.kind, rule: ruleUid, error: result.error },
        'notification failed'
      );
    }
    this.deps.metrics?.notified(n.name, notification.kind, result.ok ? 'sent' : 'failed');
    if (!result.ok || logSuccess) {
      const only = notification.alerts.length === 1 ? notification.alerts[0] : undefined;
      this.log(now, ruleUid, key, n.name, notification.kind, only, result);
    }
    return result;
  }

  private log(
    now: number,
    ruleUid: string | null,
    key: string | null,
    notifier: string,
    kind: AlertNotificationKind,
    message: AlertItem | undefined,
    result: { ok: boolean; error?: string }
  ): void {
    this.deps.history.logNotification({
      at: now,
      ruleUid,
      key,
      notifier,
      kind,
      state: message?.state ?? null,
      ...result,
    });
  }

  private saveRecord(inst: LiveInstance, record: LiveInstance['record'], now: number): void {
    inst.record = record;
    this.deps.history.saveRecord(inst.ruleUid, inst.key, record, now);
  }
}

function item(
  rule: AlertRule,
  group: AlertGroup,
  inst: LiveInstance,
  status: 'firing' | 'resolved',
  endsAt: number,
  notification: number
): AlertItem {
  return {
    status,
    ruleUid: rule.uid,
    ruleTitle: rule.title,
    group: group.name,
    type: rule.type,
    key: inst.key,
    labels: inst.labels,
    seriesLabels: Object.fromEntries(
      Object.entries(inst.labels).filter(
        ([k]) => !Object.hasOwn(rule.labels, k) && k !== 'alertname' && k !== 'rule_uid'
      )
    ),
    annotations: inst.annotations,
    state: inst.state.state,
    value: inst.state.value,
    reason: inst.state.reason,
    target: rule.target,
    condition: rule.condition,
    runbookUrl: rule.runbookUrl,
    startsAt: status === 'firing' ? inst.state.since : (inst.firedAt ?? inst.record.lastNotifiedAt ?? inst.state.since),
    endsAt,
    notification,
  };
}
