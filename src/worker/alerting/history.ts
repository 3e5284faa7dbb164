/**
 * What happened, in the catalog database: each alert instance's current state and notification record (what a
 * restart resumes from), every state transition (time, value, reason), and every notification attempt. Transitions
 * and notifications older than the configured retention are pruned.
 *
 * Times are ms here, as everywhere inside the worker; the API converts to seconds.
 */
import type { AlertNotificationKind, AlertState } from '../../shared/api';
import type { Catalog } from '../catalog/db';
import type { NotifyRecord } from './policy';
import type { InstanceState } from './states';

export interface StoredInstance {
  ruleUid: string;
  key: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  state: InstanceState;
  record: NotifyRecord;
}

export interface TransitionRow {
  at: number;
  ruleUid: string;
  key: string;
  labels: Record<string, string>;
  from: AlertState;
  to: AlertState;
  value: number | null;
  reason: string;
}

export interface NotificationRow {
  at: number;
  ruleUid: string | null;
  key: string | null;
  notifier: string;
  kind: AlertNotificationKind;
  state: AlertState | null;
  ok: boolean;
  error?: string;
}

export interface RangeQuery {
  ruleUid?: string;
  key?: string;
  from?: number;
  until?: number;
  limit?: number;
}

interface InstanceRow {
  rule_uid: string;
  key: string;
  labels: string;
  annotations: string;
  state: AlertState;
  since: number;
  last_breach_at: number | null;
  value: number | null;
  reason: string;
  notified_state: AlertState | null;
  notify_count: number;
  last_notified_at: number | null;
}

const DEFAULT_LIMIT = 1000;

export class AlertHistory {
  private readonly upsert;
  private readonly remove;
  private readonly insertTransition;
  private readonly insertNotification;
  private readonly updateRecord;

  constructor(private readonly db: Catalog) {
    this.upsert = db.prepare(`
      INSERT INTO alert_instances (rule_uid, key, labels, annotations, state, since, last_breach_at, value, reason,
        notified_state, notify_count, last_notified_at, updated_at)
      VALUES (@ruleUid, @key, @labels, @annotations, @state, @since, @lastBreachAt, @value, @reason,
        @notifiedState, @count, @lastNotifiedAt, @now)
      ON CONFLICT (rule_uid, key) DO UPDATE SET labels = excluded.labels, annotations = excluded.annotations,
        state = excluded.state, since = excluded.since, last_breach_at = excluded.last_breach_at, value = excluded.value,
        reason = excluded.reason, notified_state = excluded.notified_state, notify_count = excluded.notify_count,
        last_notified_at = excluded.last_notified_at, updated_at = excluded.updated_at`);
    this.remove = db.prepare('DELETE FROM alert_instances WHERE rule_uid = ? AND key = ?');
    this.insertTransition = db.prepare(`
      INSERT INTO alert_transitions (at, rule_uid, key, labels, from_state, to_state, value, reason)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?)`);
    this.insertNotification = db.prepare(`
      INSERT INTO alert_notifications (at, rule_uid, key, notifier, kind, state, ok, error)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?)`);
    this.updateRecord = db.prepare(`
      UPDATE alert_instances SET notified_state = ?, notify_count = ?, last_notified_at = ?, updated_at = ?
      WHERE rule_uid = ? AND key = ?`);
  }

  loadInstances(): StoredInstance[] {
    const rows = this.db.prepare('SELECT * FROM alert_instances ORDER BY rule_uid, key').all() as InstanceRow[];
    return rows.map((r) => ({
      ruleUid: r.rule_uid,
      key: r.key,
      labels: JSON.parse(r.labels) as Record<string, string>,
      annotations: JSON.parse(r.annotations) as Record<string, string>,
      state: {
        state: r.state,
        since: r.since,
        lastBreachAt: r.last_breach_at,
        value: r.value,
        reason: r.reason,
      },
      record: { notifiedState: r.notified_state, count: r.notify_count, lastNotifiedAt: r.last_notified_at },
    }));
  }

  /** One evaluation's outcome, in one transaction: changed instances, instances gone, and the transitions. */
  saveEvaluation(
    changes: { save: StoredInstance[]; remove: Array<{ ruleUid: string; key: string }>; transitions: TransitionRow[] },
    now: number
  ): void {
    if (changes.save.length === 0 && changes.remove.length === 0 && changes.transitions.length === 0) return;
    this.db.transaction(() => {
      for (const i of changes.save) {
        this.upsert.run({
          ruleUid: i.ruleUid,
          key: i.key,
          labels: JSON.stringify(i.labels),
          annotations: JSON.stringify(i.annotations),
          state: i.state.state,
          since: i.state.since,
          lastBreachAt: i.state.lastBreachAt,
          value: i.state.value,
          reason: i.state.reason,
          notifiedState: i.record.notifiedState,
          count: i.record.count,
          lastNotifiedAt: i.record.lastNotifiedAt,
          now,
        });
      }
      for (const r of changes.remove) this.remove.run(r.ruleUid, r.key);
      for (const t of changes.transitions) {
        this.insertTransition.run(t.at, t.ruleUid, t.key, JSON.stringify(t.labels), t.from, t.to, t.value, t.reason);
      }
    })();
  }

  /** Right after a notification went out: a restart must see it, or it would send it again. */
  saveRecord(ruleUid: string, key: string, record: NotifyRecord, now: number): void {
    this.updateRecord.run(record.notifiedState, record.count, record.lastNotifiedAt, now, ruleUid, key);
  }

  logNotification(n: NotificationRow): void {
    this.insertNotification.run(n.at, n.ruleUid, n.key, n.notifier, n.kind, n.state, n.ok ? 1 : 0, n.error ?? null);
  }

  /** Forgets a deleted rule's instances (its history stays until pruned). */
  removeRule(ruleUid: string): void {
    this.db.prepare('DELETE FROM alert_instances WHERE rule_uid = ?').run(ruleUid);
  }

  transitions(q: RangeQuery): TransitionRow[] {
    const { where, params } = range(q);
    const rows = this.db
      .prepare(`SELECT * FROM alert_transitions ${where} ORDER BY at DESC, id DESC LIMIT ?`)
      .all(...params, q.limit ?? DEFAULT_LIMIT) as Array<{
      at: number;
      rule_uid: string;
      key: string;
      labels: string;
      from_state: AlertState;
      to_state: AlertState;
      value: number | null;
      reason: string;
    }>;
    return rows.map((r) => ({
      at: r.at,
      ruleUid: r.rule_uid,
      key: r.key,
      labels: JSON.parse(r.labels) as Record<string, string>,
      from: r.from_state,
      to: r.to_state,
      value: r.value,
      reason: r.reason,
    }));
  }

  notifications(q: RangeQuery): NotificationRow[] {
    const { where, params } = range(q);
    const rows = this.db
      .prepare(`SELECT * FROM alert_notifications ${where} ORDER BY at DESC, id DESC LIMIT ?`)
      .all(...params, q.limit ?? DEFAULT_LIMIT) as Array<{
      at: number;
      rule_uid: string | null;
      key: string | null;
      notifier: string;
      kind: AlertNotificationKind;
      state: AlertState | null;
      ok: number;
      error: string | null;
    }>;
    return rows.map((r) => ({
      at: r.at,
      ruleUid: r.rule_uid,
      key: r.key,
      notifier: r.notifier,
      kind: r.kind,
      state: r.state,
      ok: r.ok === 1,
      ...(r.error === null ? {} : { error: r.error }),
    }));
  }

  /** Drops transitions and notifications older than `before` (ms). */
  prune(before: number): { transitions: number; notifications: number } {
    return {
      transitions: this.db.prepare('DELETE FROM alert_transitions WHERE at < ?').run(before).changes,
      notifications: this.db.prepare('DELETE FROM alert_notifications WHERE at < ?').run(before).changes,
    };
  }
}

function range(q: RangeQuery): { where: string; params: Array<string | number> } {
  const clauses: string[] = [];
  const params: Array<string | number> = [];
  if (q.ruleUid !== undefined) {
    clauses.push('rule_uid = ?');
    params.push(q.ruleUid);
  }
  if (q.key !== undefined) {
    clauses.push('key = ?');
    params.push(q.key);
  }
  if (q.from !== undefined) {
    clauses.push('at >= ?');
    params.push(q.from);
  }
  if (q.until !== undefined) {
    clauses.push('at < ?');
    params.push(q.until);
  }
  return { where: clauses.length > 0 ? `WHERE ${clauses.join(' AND ')}` : '', params };
}
