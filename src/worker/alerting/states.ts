/**
 * The alert state machine: every state change of an alert instance happens here, in pure functions of the previous
 * state, one observation and the time, so that tests drive it with a clock they control.
 *
 *   ok ──breach──▶ pending ──breach for `for`──▶ alerting ──clear (after keepFiringFor)──▶ ok
 *    ▲                │ clear or hold                │ hold (between threshold and recovery threshold): stays
 *    └────────────────┘                              ▼
 *   any ──no data──▶ nodata        any ──query failed──▶ error        (both leave on the next value)
 *
 * With `for` = 0 a breach goes straight to alerting. "hold" is the band a recovery threshold opens: an alerting
 * instance stays alerting there, anything else is OK, which is what stops a value near the threshold from flapping.
 */
import type { AlertState } from '../../shared/api';

/** What one evaluation saw for one instance. */
export type Observation =
  /** The condition holds. */
  | { kind: 'breach'; value: number | null; reason: string }
  /** Past the threshold's recovery band but not over the threshold. */
  | { kind: 'hold'; value: number; reason: string }
  | { kind: 'clear'; value: number | null; reason: string }
  | { kind: 'nodata'; reason: string }
  | { kind: 'error'; reason: string };

export interface InstanceState {
  state: AlertState;
  /** When the instance entered `state` (ms): for pending, when the condition started to hold. */
  since: number;
  /** The last time the condition held (ms), for keepFiringFor. */
  lastBreachAt: number | null;
  value: number | null;
  reason: string;
}

export interface Timing {
  forMs: number;
  keepFiringForMs: number;
}

/** A new instance starts OK: it has not been seen breaching. */
export function initialState(now: number): InstanceState {
  return { state: 'ok', since: now, lastBreachAt: null, value: null, reason: 'new instance' };
}

/** The state after `obs` at `now`. Returns `prev` itself when nothing changed but the value and reason. */
export function nextState(prev: InstanceState, obs: Observation, timing: Timing, now: number): InstanceState {
  const value = obs.kind === 'nodata' || obs.kind === 'error' ? null : obs.value;
  const enter = (state: AlertState, lastBreachAt = prev.lastBreachAt): InstanceState => ({
    state,
    since: state === prev.state ? prev.since : now,
    lastBreachAt,
    value,
    reason: obs.reason,
  });

  switch (obs.kind) {
    case 'error':
      return enter('error');
    case 'nodata':
      return enter('nodata');
    case 'breach':
      if (prev.state === 'alerting') return enter('alerting', now);
      if (prev.state === 'pending') {
        return enter(now - prev.since >= timing.forMs ? 'alerting' : 'pending', now);
      }
      // From ok, nodata or error the pending period starts now.
      return enter(timing.forMs > 0 ? 'pending' : 'alerting', now);
    case 'hold':
      return prev.state === 'alerting' ? enter('alerting') : enter('ok');
    case 'clear':
      if (prev.state === 'alerting' && timing.keepFiringForMs > 0 && prev.lastBreachAt !== null) {
        if (now - prev.lastBreachAt < timing.keepFiringForMs) return enter('alerting');
      }
      return enter('ok');
  }
}
