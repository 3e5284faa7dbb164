/**
 * The notification policy: given an instance's state and what it has been sent so far, whether to send now.
 *
 * Decisions are level-triggered, not edge-triggered: they compare the state with the persisted record of the last
 * notification, never with the previous evaluation. After a restart the same comparison is made against the same
 * record, so a notification already sent is not sent again and a recovery that was due is still sent.
 *
 * - A firing state that was never notified, or that changed (alerting → no data), is sent at once.
 * - Then again on the rule's repeat policy: Hound's back-off (5min, 30min, 1h, 2h, 4h, 8h after the previous one,
 *   then every 24h), a fixed interval, or never.
 * - Back to OK after a notification: one recovered message.
 * - Silenced instances send nothing, not even the recovery (whose record is then forgotten); acknowledged ones hold
 *   re-notifications but still send the recovery; paused rules send nothing and keep the record for later.
 */
import type { AlertState } from '../../shared/api';
import type { RepeatPolicy } from './rules';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** Delay before the 2nd, 3rd, ... notification of one firing episode; the last one repeats. */
export const HOUND_BACKOFF_MS: readonly number[] = [
  5 * MINUTE,
  30 * MINUTE,
  HOUR,
  2 * HOUR,
  4 * HOUR,
  8 * HOUR,
  24 * HOUR,
];

/** What has been sent for an instance's current firing episode. Persisted with the instance. */
export interface NotifyRecord {
  /** The firing state last notified, or null when nothing is owed a recovery. */
  notifiedState: AlertState | null;
  /** Notifications in this episode. */
  count: number;
  lastNotifiedAt: number | null;
}

export const EMPTY_RECORD: NotifyRecord = { notifiedState: null, count: 0, lastNotifiedAt: null };

export type Decision =
  | { action: 'fire' }
  | { action: 'recover' }
  /** Forget the record without sending (a recovery while silenced). */
  | { action: 'forget' }
  | { action: 'wait'; reason: 'paused' | 'silenced' | 'acknowledged' | 'repeat' | 'quiet' };

export interface DecisionInput {
  state: AlertState;
  /** Whether this instance's state is one to notify (a per-series "no data" is not; the rule's own instance speaks for it). */
  notifiable: boolean;
  record: NotifyRecord;
  repeat: RepeatPolicy;
  paused: boolean;
  silenced: boolean;
  acknowledged: boolean;
  now: number;
}

/** Firing states worth a message: alerting and error always, no data only for the rule's own instance. */
export function isNotifiable(state: AlertState, ruleLevel: boolean): boolean {
  return state === 'alerting' || state === 'error' || (state === 'nodata' && ruleLevel);
}

/** How long after the `sent`-th notification of an episode the next one is due; undefined: never. */
export function repeatDelay(repeat: RepeatPolicy, sent: number): number | undefined {
  switch (repeat.kind) {
    case 'never':
      return undefined;
    case 'interval':
      return repeat.ms;
    case 'backoff':
      return HOUND_BACKOFF_MS[Math.min(Math.max(sent, 1), HOUND_BACKOFF_MS.length) - 1];
  }
}

export function decide(input: DecisionInput): Decision {
  const { record } = input;
  if (input.paused) return { action: 'wait', reason: 'paused' };
  if (input.notifiable) {
    if (input.silenced) return { action: 'wait', reason: 'silenced' };
    if (input.acknowledged) return { action: 'wait', reason: 'acknowledged' };
    if (record.notifiedState !== input.state || record.lastNotifiedAt === null) return { action: 'fire' };
    const delay = repeatDelay(input.repeat, record.count);
    if (delay === undefined) return { action: 'wait', reason: 'repeat' };
    const dueAt = record.lastNotifiedAt + delay;
    return input.now >= dueAt ? { action: 'fire' } : { action: 'wait', reason: 'repeat' };
  }
  if (record.notifiedState !== null) return input.silenced ? { action: 'forget' } : { action: 'recover' };
  return { action: 'wait', reason: 'quiet' };
}

/** The record once a firing message for `state` has gone out (or was throttled, which Hound counts as sent). */
export function afterFiring(record: NotifyRecord, state: AlertState, now: number): NotifyRecord {
  const count = record.notifiedState === state ? record.count + 1 : 1;
  return { notifiedState: state, count, lastNotifiedAt: now };
}

/** The record once the recovery has gone out or been forgotten: nothing is owed. */
export function afterRecovery(record: NotifyRecord): NotifyRecord {
  return { notifiedState: null, count: 0, lastNotifiedAt: record.lastNotifiedAt };
}
