/**
 * The worker process: opens the catalog and the store, starts the statsd, Graphite and HTTP
 * listeners, and handles signals. SIGHUP re-reads the configuration and keeps the last good
 * one when the new one is invalid; SIGTERM and SIGINT flush statsd, checkpoint the store and exit.
 */
import pino from 'pino';
import type { ReadyResponse } from '../shared/api';
import { AlertingService } from './alerting/service';
import { ProvisioningError } from './alerting/provisioning';
import { engineQuery } from './alerting/query-adapter';
import { openCatalog } from './catalog/db';
import { EventStore } from './catalog/events';
import { KeyVerifier } from './catalog/keys';
import type { RunWorkerOptions } from './cli';
import { ConfigError } from './config/load';
import { compileStorageRules, type WorkerConfig } from './config/schema';
import { GraphiteServer } from './ingest/graphite/server';
import { createMailer } from './notify/mailer';
import { InventoryService } from './inventory/service';
import { AliasWorkflow } from './inventory/workflow';
import { StatsdServer } from './ingest/statsd/server';
import { DemoFeeder } from './demo/feeder';
import { WorkerMetrics } from './selfmetrics';
import { SelfReporter } from './selfreport';
import { buildHttpServer } from './server/http';
import { TimeSeriesStore } from './store/db';

export interface RunningWorker {
  http: { host: string; port: number };
  statsd: { udpPort?: number; tcpPort?: number };
  graphite: { udpPort?: number; tcpPort?: number };
  store: TimeSeriesStore;
  stop(): Promise<void>;
}

/** Starts every part and resolves once all listeners are bound. */
export async function startWorker(config: WorkerConfig, opts: RunWorkerOptions): Promise<RunningWorker> {
  const logger = pino({ level: config.logLevel, base: { svc: 'mission-control' } });
  const metrics = new WorkerMetrics();
  const db = openCatalog(config.dataDir);
  let rules = compileStorageRules(config.storage);
  const store = await TimeSeriesStore.open({
    dataDir: config.dataDir,
    db,
    rules,
    metrics,
    logger,
    checkpointIntervalMs: config.storage.checkpointIntervalMs,
    maxPendingBytes: config.limits.maxPendingWriteBytes,
    maxSeries: config.limits.maxSeries,
  });
  store.start();
  let current = config;

  const statsd = new StatsdServer(
    {
      host: config.statsd.listen.host,
      port: config.statsd.listen.port,
      udp: config.statsd.udp,
      tcp: config.statsd.tcp,
      recvBufferSize: config.statsd.recvBufferSize,
      flushIntervalMs: config.statsd.flushIntervalMs,
      percentiles: config.statsd.percentiles,
      deleteIdleStats: config.statsd.deleteIdleStats,
      maxKeys: config.statsd.maxKeys,
    },
    metrics,
    store,
    logger
  );
  const graphite = new GraphiteServer(
    {
      host: config.graphite.listen.host,
      port: config.graphite.listen.port,
      tcp: config.graphite.tcp,
      udp: config.graphite.udp,
      maxLineLength: config.graphite.maxLineLength,
      recvBufferSize: config.statsd.recvBufferSize,
    },
    metrics,
    store,
    logger
  );
  const keys = new KeyVerifier(db);
  const ready = (): ReadyResponse => {
    const overloaded = store.overloaded();
    return {
      status: overloaded ? 'degraded' : 'ready',
      checks: {
        store: { ok: true, message: `${store.catalog.size} series` },
        ingest: { ok: !overloaded, message: overloaded ? 'write backlog above its limit: shedding load' : 'accepting' },
      },
    };
  };
  const mailer = createMailer(config.smtp);
  const alerting = await openAlerting(
    () => {
      const query = engineQuery({
        reader: store,
        schemas: { schemaFor: (n) => rules.schemaFor(n), methodFor: (n) => rules.methodFor(n) },
        limits: config.limits,
      });
      return new AlertingService({ db, query, config: config.alerting, logger, mailer, registry: metrics.registry });
    },
    async () => {
      await store.close();
      db.close();
    }
  );
  const inventoryService = new InventoryService(db);
  const inventory = {
    service: inventoryService,
    // Read at each use: a reload's hostmaster address applies to the next request.
    workflow: new AliasWorkflow(
      inventoryService,
      () => ({ mailer, hostmasterEmail: current.inventory.hostmasterEmail }),
      logger
    ),
  };
  const http = buildHttpServer({
    sink: store,
    reader: store,
    keys,
    metrics,
    logger,
    ready,
    limits: { maxSeriesPerQuery: config.limits.maxSeriesPerQuery, maxPointsPerQuery: config.limits.maxPointsPerQuery },
    query: {
      schemas: { schemaFor: (n) => rules.schemaFor(n), methodFor: (n) => rules.methodFor(n) },
      events: new EventStore(db),
    },
    alerting,
    inventory,
  });

  const statsdPorts = await statsd.start();
  const graphitePorts = await graphite.start();
  await http.listen({ host: config.http.listen.host, port: config.http.listen.port });
  const addr = http.server.address();
  const httpPort = typeof addr === 'object' && addr ? addr.port : config.http.listen.port;
  alerting.start();
  const selfReport = new SelfReporter({ registry: metrics.registry, sink: store, logger });
  const applySelfReport = (c: WorkerConfig['selfReport']): void => {
    if (c.enabled) selfReport.start(c.intervalMs);
    else void selfReport.stop();
  };
  applySelfReport(config.selfReport);
  logger.info(
    {
      dataDir: config.dataDir,
      http: httpPort,
      statsd: statsdPorts,
      graphite: graphitePorts,
      series: store.catalog.size,
    },
    'mission control worker started'
  );

  const demo = opts.demo
    ? new DemoFeeder(
        {
          statsd: { host: config.statsd.listen.host, port: statsdPorts.udpPort ?? config.statsd.listen.port },
          graphite: { host: config.graphite.listen.host, port: graphitePorts.tcpPort ?? config.graphite.listen.port },
        },
        logger
      )
    : undefined;
  demo?.start();

  const reload = (): void => {
    try {
      const next = opts.reloadConfig();
      rules = compileStorageRules(next.storage);
      store.setRules(rules);
      try {
        alerting.reload(next.alerting);
      } catch (e) {
        logger.error({ error: (e as Error).message }, 'alerting provisioning refused; keeping the last good rules');
      }
      const restartNeeded = ['http', 'statsd', 'graphite', 'dataDir'].filter(
        (k) => JSON.stringify(next[k as keyof WorkerConfig]) !== JSON.stringify(current[k as keyof WorkerConfig])
      );
      applySelfReport(next.selfReport);
      logger.level = next.logLevel;
      current = next;
      logger.info({ restartNeeded }, 'configuration reloaded');
    } catch (e) {
      const detail = e instanceof ConfigError ? e.message : String(e);
      logger.error({ error: detail }, 'configuration reload refused; keeping the last good configuration');
    }
  };
  process.on('SIGHUP', reload);

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopping ??= (async () => {
      process.off('SIGHUP', reload);
      demo?.stop();
      await selfReport.stop();
      await alerting.stop();
      mailer?.close();
      await statsd.stop();
      await graphite.stop();
      await http.close();
      await store.close();
      db.close();
      logger.info('mission control worker stopped');
      logger.flush();
    })());

  return {
    http: { host: config.http.listen.host, port: httpPort },
    statsd: statsdPorts,
    graphite: graphitePorts,
    store,
    stop,
  };
}

/** Builds alerting, which reads its provisioning folder; a wrong file fails the start like a wrong config file. */
async function openAlerting(build: () => AlertingService, cleanUp: () => Promise<void>): Promise<AlertingService> {
  try {
    return build();
  } catch (e) {
    await cleanUp();
    if (e instanceof ProvisioningError) throw new ConfigError(e.problems.map((p) => ({ reason: p, message: p })));
    throw e;
  }
}

/** The `serve` command: runs until SIGTERM or SIGINT. */
export async function runWorker(config: WorkerConfig, opts: RunWorkerOptions): Promise<void> {
  const worker = await startWorker(config, opts);
  await new Promise<void>((resolve) => {
    const onSignal = (): void => {
      process.off('SIGTERM', onSignal);
      process.off('SIGINT', onSignal);
      void worker.stop().then(resolve);
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
  });
}
