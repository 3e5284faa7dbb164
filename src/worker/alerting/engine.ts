/**
 * The alert engine: evaluates a rule, runs every instance through the state machine, stores what changed, and hands
 * the rule to the dispatcher. It keeps every instance in memory (what the API and the status grid read) and in the
 * catalog (what a restart resumes from): on start it loads the stored instances, so the first evaluation after a
 * restart continues each pending period, firing episode and owed recovery where it was.
 *
 * Instances whose series the query no longer returns go to "no data" and are dropped once nothing is owed for them
 * (a recovery message for an instance that was notified). While a rule's query fails, its series instances keep
 * their states and only the rule's own instance shows the error.
 */
import type { Logger } from 'pino';
import type { AlertState } from '../../shared/api';
import type { Dispatcher } from './dispatcher';
import type { Definitions } from './definitions';
import { evaluateRule, type RuleEvaluation, type SeriesQuery } from './evaluator';
import type { AlertHistory, StoredInstance, TransitionRow } from './history';
import { EMPTY_RECORD } from './policy';
import type { AlertGroup, AlertRule } from './rules';
import type { AlertMetrics } from './metrics';
import type { Limiter } from './scheduler';
import { initialState, nextState, type Observation } from './states';
import { renderTemplate } from './templates';

export interface LiveInstance extends StoredInstance {
  ruleLevel: boolean;
  /** The query no longer returns this series: drop the instance once nothing is owed for it. */
  gone: boolean;
  /** When its last firing state began (ms), for the startsAt of a recovery; not kept across restarts. */
  firedAt?: number;
}

export interface RuleStatus {
  at: number;
  durationMs: number;
  error?: string;
}

export interface EngineDeps {
  definitions: Definitions;
  history: AlertHistory;
  dispatcher: Dispatcher;
  query: SeriesQuery;
  /** Bounds how many queries run at once across all groups. */
  limiter: Limiter;
  queryTimeoutMs: number;
  logger: Logger;
  clock: () => number;
  metrics?: AlertMetrics;
}

export class AlertEngine {
  private readonly instances = new Map<string, Map<string, LiveInstance>>();
  private readonly status = new Map<string, RuleStatus>();

  constructor(private readonly deps: EngineDeps) {
    for (const stored of deps.history.loadInstances()) {
      this.live(stored.ruleUid).set(stored.key, { ...stored, ruleLevel: stored.key === '', gone: false });
    }
  }

  /** Evaluates every unpaused rule of the group at `now` (ms); each rule finishes on its own, a slow one delays none. */
  async evaluateGroup(groupName: string, now: number): Promise<void> {
    const group = this.deps.definitions.group(groupName)?.value;
    if (!group) return;
    const rules = this.deps.definitions
      .rules()
      .map((r) => r.value)
      .filter((r) => r.group === groupName && !r.paused);
    await Promise.all(rules.map((rule) => this.evaluate(rule, group, now)));
    await this.deps.dispatcher.flushThrottled(now);
  }

  /** One rule: query (bounded by the limiter and the timeout), state machine, storage, notifications. */
  async evaluate(rule: AlertRule, group: AlertGroup, now: number): Promise<void> {
    const started = this.deps.clock();
    const evaluation = await this.deps.limiter.run(() =>
      evaluateRule(rule, this.deps.query, now, this.deps.queryTimeoutMs, this.deps.clock)
    );
    this.status.set(rule.uid, { at: now, durationMs: evaluation.durationMs, error: evaluation.error });
    if (evaluation.error)
      this.deps.logger.warn({ rule: rule.uid, error: evaluation.error }, 'alert rule evaluation failed');
    this.apply(rule, evaluation, now);
    const live = this.live(rule.uid);
    await this.deps.dispatcher.dispatch(rule, group, live, now);
    const remove = [...live.values()].filter((i) => i.gone && i.record.notifiedState === null);
    for (const i of remove) live.delete(i.key);
    this.deps.history.saveEvaluation({ save: [], remove, transitions: [] }, now);
    this.deps.metrics?.evaluated(group.name, this.deps.clock() - started);
  }

  /** Runs the observations through the state machine and stores changed instances and transitions in one go. */
  apply(rule: AlertRule, evaluation: RuleEvaluation, now: number): void {
    const live = this.live(rule.uid);
    const timing = { forMs: rule.forMs, keepFiringForMs: rule.keepFiringForMs };
    const save: StoredInstance[] = [];
    const transitions: TransitionRow[] = [];
    const seen = new Set<string>();
    const step = (
      inst: LiveInstance | undefined,
      key: string,
      labels: Record<string, string>,
      observation: Observation
    ) => {
      const prev = inst?.state ?? initialState(now);
      const next = nextState(prev, observation, timing, now);
      const updated: LiveInstance = {
        ruleUid: rule.uid,
        key,
        labels,
        annotations: renderAnnotations(rule, labels, next.value),
        state: next,
        record: inst?.record ?? EMPTY_RECORD,
        ruleLevel: key === '',
        gone: inst?.gone ?? false,
        firedAt: isProblem(next.state) && (!inst || next.state !== prev.state) ? now : inst?.firedAt,
      };
      live.set(key, updated);
      if (next.state !== prev.state) {
        transitions.push({
          at: now,
          ruleUid: rule.uid,
          key,
          labels,
          from: prev.state,
          to: next.state,
          value: next.value,
          reason: next.reason,
        });
      }
      if (!inst || next.state !== prev.state || next.since !== prev.since || next.lastBreachAt !== prev.lastBreachAt) {
        save.push(updated);
      }
    };
    for (const o of evaluation.instances) {
      seen.add(o.key);
      const inst = live.get(o.key);
      step(inst && { ...inst, gone: false }, o.key, o.labels, o.observation);
    }
    if (!evaluation.error) {
      for (const [key, inst] of live) {
        if (seen.has(key) || inst.gone) continue;
        step({ ...inst, gone: true }, key, inst.labels, {
          kind: 'nodata',
          reason: 'the query no longer returns this series',
        });
      }
    }
    this.deps.history.saveEvaluation({ save, remove: [], transitions }, now);
  }

  instancesOf(ruleUid: string): LiveInstance[] {
    return [...(this.instances.get(ruleUid)?.values() ?? [])];
  }

  allInstances(): LiveInstance[] {
    return [...this.instances.values()].flatMap((m) => [...m.values()]);
  }

  lastEvaluation(ruleUid: string): RuleStatus | undefined {
    return this.status.get(ruleUid);
  }

  /** Forgets instances of rules that no longer exist (deleted, or no longer provisioned). */
  forgetRulesExcept(uids: ReadonlySet<string>): void {
    for (const uid of [...this.instances.keys()]) {
      if (!uids.has(uid)) {
        this.instances.delete(uid);
        this.status.delete(uid);
        this.deps.history.removeRule(uid);
      }
    }
  }

  private live(ruleUid: string): Map<string, LiveInstance> {
    let m = this.instances.get(ruleUid);
    if (!m) {
      m = new Map();
      this.instances.set(ruleUid, m);
    }
    return m;
  }
}

function isProblem(state: AlertState): boolean {
  return state === 'alerting' || state === 'error' || state === 'nodata';
}

function renderAnnotations(
  rule: AlertRule,
  labels: Record<string, string>,
  value: number | null
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, text] of Object.entries(rule.annotations)) out[k] = renderTemplate(text, { labels, value });
  return out;
}
