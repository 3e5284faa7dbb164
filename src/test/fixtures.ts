import type { DataSourceInstanceSettings, DataSourcePluginMeta } from '@grafana/data';

import type { ErrorResponse, HealthResponse, ReadResponse, ReadyResponse, WhoAmIResponse } from '../shared/api';
import type { MissionControlOptions } from '../datasource/types';
import { DATASOURCE_ID } from '../constants';

/**
 * Worker answers as the contract in shared/api.ts defines them, and the data source settings Grafana hands to the
 * plugin. Typed against the contract, so a change to it breaks these fixtures first.
 */

export const health: HealthResponse = { status: 'ok' };

export const ready: ReadyResponse = {
  status: 'ready',
  checks: { wal: { ok: true }, catalog: { ok: true }, blocks: { ok: true } },
};

export const starting: ReadyResponse = {
  status: 'starting',
  checks: {
    wal: { ok: false, message: 'replaying write-ahead log, segment 412 of 1280' },
    catalog: { ok: true },
    blocks: { ok: true },
  },
};

export const degraded: ReadyResponse = {
  status: 'degraded',
  checks: {
    wal: { ok: false, message: 'ENOSPC: no space left on device, write /var/lib/mission-control/wal/00000412' },
    catalog: { ok: true },
    blocks: { ok: true },
  },
};

export const readerKey: WhoAmIResponse = { keyId: 'grafana-reader', scopes: ['read'] };

export const ingestOnlyKey: WhoAmIResponse = { keyId: 'statsd-relay', scopes: ['ingest'] };

export const invalidKey: ErrorResponse = { error: 'invalid API key' };

export const missingKey: ErrorResponse = { error: 'missing bearer token' };

export const twoSeries: ReadResponse = {
  results: [
    {
      refId: 'A',
      series: [
        {
          name: 'servers.web1.cpu.load',
          labels: { host: 'web1' },
          start: 1700000000,
          step: 10,
          values: [0.5, null, 0.75],
        },
        {
          name: 'servers.web2.cpu.load',
          labels: { host: 'web2' },
          start: 1700000000,
          step: 10,
          values: [1, 1.25, 1.5],
        },
      ],
    },
  ],
};

export const WORKER_URL = 'http://mission-control.internal:8080';

export function datasourceSettings(
  overrides: Partial<DataSourceInstanceSettings<MissionControlOptions>> = {}
): DataSourceInstanceSettings<MissionControlOptions> {
  return {
    uid: 'mc-prod',
    name: 'Mission Control (prod)',
    type: DATASOURCE_ID,
    access: 'proxy',
    readOnly: false,
    jsonData: { url: WORKER_URL },
    meta: { id: DATASOURCE_ID, name: 'Mission Control' } as DataSourcePluginMeta,
    ...overrides,
  };
}
