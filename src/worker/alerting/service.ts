/**
 * Alerting as the worker runs it: the stores, the engine, the dispatcher and the scheduler wired together, the
 * provisioning folder read at start and on reload, notifiers made from their specs, old history pruned, and the
 * actions the API offers beyond plain storage (preview, send test, graphs for mails).
 */
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { AlertNotifierTestResponse, AlertPreviewRequest, AlertPreviewResponse } from '../../shared/api';
import type { Catalog } from '../catalog/db';
import type { AlertingConfig } from '../config/schema';
import { AckStore } from './acks';
import { Definitions } from './definitions';
import { Dispatcher } from './dispatcher';
import { AlertEngine } from './engine';
import { instanceKey, observe, seriesLabels, withTimeout, type SeriesQuery } from './evaluator';
import { alertGraphs, type GraphSeries } from './graphs';
import { AlertHistory } from './history';
import { createNotifier } from './notifiers';
import { testNotification, type AlertItem, type Notifier } from './notifiers/notifier';
import type { Mailer } from '../notify/mailer';
import { AlertMetrics } from './metrics';
import { loadProvisioning } from './provisioning';
import { compileRule } from './rules';
import { Limiter, Scheduler } from './scheduler';
import { SilenceStore } from './silences';
import { initialState, nextState } from './states';
import { Throttle } from './throttle';

const DAY_SECONDS = 86_400;
const PRUNE_INTERVAL_MS = 60 * 60_000;
/** Series drawn at most in the graphs of a rule's own instance (no data, too few series). */
const MAX_GRAPH_SERIES = 20;

export interface AlertingServiceOptions {
  db: Catalog;
  query: SeriesQuery;
  config: AlertingConfig;
  logger: Logger;
  mailer?: Mailer;
  /** The worker's metrics registry, for alerting's own figures. */
  registry?: Registry;
  /** For `${NAME}` in provisioning files. */
  env?: Readonly<Record<string, string | undefined>>;
  clock?: () => number;
}

export class AlertingService {
  readonly definitions: Definitions;
  readonly history: AlertHistory;
  readonly silences: SilenceStore;
  readonly acks: AckStore;
  readonly engine: AlertEngine;
  readonly dispatcher: Dispatcher;
  private readonly scheduler: Scheduler;
  private readonly notifiers = new Map<string, { spec: string; notifier: Notifier }>();
  private readonly clock: () => number;
  private readonly logger: Logger;
  private config: AlertingConfig;
  private pruneTimer: NodeJS.Timeout | undefined;
  private started = false;

  /** Reads the provisioning folder; throws ProvisioningError when a file is wrong. */
  constructor(private readonly opts: AlertingServiceOptions) {
    this.clock = opts.clock ?? Date.now;
    this.logger = opts.logger.child({ component: 'alerting' });
    this.config = opts.config;
    this.definitions = new Definitions(opts.db, this.clock);
    this.history = new AlertHistory(opts.db);
    this.silences = new SilenceStore(opts.db, this.clock);
    this.acks = new AckStore(opts.db, this.clock);
    const metrics = opts.registry
      ? new AlertMetrics(opts.registry, () => this.engine.allInstances().map((i) => i.state.state))
      : undefined;
    this.dispatcher = new Dispatcher({
      history: this.history,
      silences: this.silences,
      acks: this.acks,
      throttle: new Throttle<AlertItem>(opts.config.throttle.maxNotifications, opts.config.throttle.perMs),
      notifier: (name) => this.notifier(name),
      logger: this.logger,
      metrics,
    });
    this.engine = new AlertEngine({
      definitions: this.definitions,
      history: this.history,
      dispatcher: this.dispatcher,
      query: opts.query,
      limiter: new Limiter(opts.config.maxConcurrentQueries),
      queryTimeoutMs: opts.config.queryTimeoutMs,
      logger: this.logger,
      clock: this.clock,
      metrics,
    });
    this.scheduler = new Scheduler({
      groups: () => this.definitions.groups().map((g) => g.value),
      evaluateGroup: (name, now) => this.engine.evaluateGroup(name, now),
      logger: this.logger,
      clock: this.clock,
    });
    this.provision(opts.config);
    this.definitions.onChange(() => this.sync());
  }

  /** Starts evaluating on schedule and pruning history. */
  start(): void {
    this.started = true;
    this.sync();
    this.prune();
    this.pruneTimer = setInterval(() => this.prune(), PRUNE_INTERVAL_MS);
    this.pruneTimer.unref();
  }

  /**
   * SIGHUP: reads the provisioning folder again and takes the new retention. Throws ProvisioningError and keeps the
   * current set when a file is wrong. The throttle, query timeout and concurrency are fixed until a restart.
   */
  reload(config: AlertingConfig): void {
    this.provision(config);
    this.config = {
      ...this.config,
      provisioningDir: config.provisioningDir,
      historyRetentionMs: config.historyRetentionMs,
    };
  }

  async stop(): Promise<void> {
    clearInterval(this.pruneTimer);
    await this.scheduler.stop();
  }

  /** Evaluates a rule that need not be saved, over the last `range` seconds, storing and sending nothing. */
  async preview(req: AlertPreviewRequest): Promise<AlertPreviewResponse> {
    const rule = compileRule(req.rule);
    const now = this.clock();
    const range = Math.max(req.range ?? DAY_SECONDS, rule.windowMs / 1000);
    const thresholds = { threshold: rule.condition?.threshold, recoveryThreshold: rule.condition?.recoveryThreshold };
    let series;
    try {
      series = await withTimeout(
        this.opts.query.query(rule.target, now / 1000 - range, now / 1000),
        this.config.queryTimeoutMs,
        () => new Error('the query timed out')
      );
    } catch (e) {
      return { series: [], instances: [], ...thresholds, error: `query failed: ${(e as Error).message}` };
    }
    const timing = { forMs: rule.forMs, keepFiringForMs: rule.keepFiringForMs };
    return {
      series: series.map((s) => ({
        name: s.name,
        labels: seriesLabels(s),
        start: s.start,
        step: s.step,
        values: s.values,
      })),
      ...thresholds,
      instances: observe(rule, series, now).map((o) => {
        const state = nextState(initialState(now), o.observation, timing, now);
        return { key: o.key, labels: o.labels, value: state.value, state: state.state, reason: state.reason };
      }),
    };
  }

  /** "Send test": a test notification through a saved notifier. */
  async testNotifier(name: string): Promise<AlertNotifierTestResponse | undefined> {
    const notifier = this.notifier(name);
    if (!notifier) return undefined;
    return this.dispatcher.test(notifier, testNotification(name, this.clock()));
  }

  /** The notifier of that name, made from its current spec (and made again when the spec changes). */
  notifier(name: string): Notifier | undefined {
    const spec = this.definitions.notifier(name)?.value;
    if (!spec) return undefined;
    const key = JSON.stringify(spec);
    const cached = this.notifiers.get(name);
    if (cached?.spec === key) return cached.notifier;
    const notifier = createNotifier(spec, { mailer: this.opts.mailer, graphs: (item) => this.graphs(item) });
    this.notifiers.set(name, { spec: key, notifier });
    return notifier;
  }

  /** The 24 h and 7 d graphs of one instance's series (all of the rule's for its own instance). */
  private async graphs(item: AlertItem): Promise<{ day: Buffer; week: Buffer }> {
    const now = this.clock() / 1000;
    const fetch = async (seconds: number): Promise<GraphSeries[]> => {
      try {
        const all = await withTimeout(
          this.opts.query.query(item.target, now - seconds, now),
          this.config.queryTimeoutMs,
          () => new Error('the query timed out')
        );
        return item.key === ''
          ? all.slice(0, MAX_GRAPH_SERIES)
          : all.filter((s) => instanceKey(seriesLabels(s)) === item.key);
      } catch (e) {
        // The mail matters more than its pictures: a rule in error still gets its message, with empty graphs.
        this.logger.warn({ rule: item.ruleUid, error: (e as Error).message }, 'could not query the graphs for a mail');
        return [];
      }
    };
    const [day, week] = await Promise.all([fetch(DAY_SECONDS), fetch(7 * DAY_SECONDS)]);
    return alertGraphs({
      day,
      week,
      now,
      threshold: item.condition?.threshold,
      recoveryThreshold: item.condition?.recoveryThreshold,
    });
  }

  private provision(config: AlertingConfig): void {
    const set = config.provisioningDir
      ? loadProvisioning(config.provisioningDir, this.opts.env ?? process.env, (n) =>
          this.definitions.notifiers().some((d) => !d.provisioned && d.value.name === n)
        )
      : { groups: [], rules: [], notifiers: [] };
    this.definitions.setProvisioned(set);
    this.logger.info(
      {
        dir: config.provisioningDir,
        groups: set.groups.length,
        rules: set.rules.length,
        notifiers: set.notifiers.length,
      },
      'alerting provisioning loaded'
    );
  }

  private sync(): void {
    if (this.started) this.scheduler.sync();
    this.engine.forgetRulesExcept(new Set(this.definitions.rules().map((r) => r.value.uid)));
  }

  private prune(): void {
    const now = this.clock();
    const before = now - this.config.historyRetentionMs;
    const pruned = this.history.prune(before);
    const silences = this.silences.prune(before);
    const acks = this.acks.prune(now);
    if (pruned.transitions + pruned.notifications + silences + acks > 0) {
      this.logger.info({ ...pruned, silences, acks }, 'alerting history pruned');
    }
  }
}
