import type { DataSourceInstanceSettings, DataSourcePluginMeta } from '@grafana/data';

import type { ErrorResponse, HealthResponse, ReadResponse, ReadyResponse, WhoAmIResponse } from '../shared/api';
import type { MissionControlOptions } from '../datasource/types';
import { DATASOURCE_ID } from '../constants';

/**
 * Worker answers for tests. Those marked "recorded" were taken from the worker of this repository (serve with a fresh
 * data directory, keys made with `mission-control keys create`); the others are states the contract allows that are
 * hard to provoke on a test machine. All are typed against shared/api.ts, so a contract change breaks them first.
 */

/** Recorded: GET /healthz. */
export const health: HealthResponse = { status: 'ok' };

/** Recorded: GET /readyz, 200. */
export const ready: ReadyResponse = {
  status: 'ready',
  checks: { store: { ok: true, message: '0 series' }, ingest: { ok: true, message: 'accepting' } },
};

/** GET /readyz, 503, while the write backlog is over its limit (the worker's own wording). */
export const degraded: ReadyResponse = {
  status: 'degraded',
  checks: {
    store: { ok: true, message: '48211 series' },
    ingest: { ok: false, message: 'write backlog above its limit: shedding load' },
  },
};

/** GET /readyz, 503, for a worker that answers HTTP before its store has opened. */
export const starting: ReadyResponse = {
  status: 'starting',
  checks: {
    store: { ok: false, message: 'replaying write-ahead log, segment 412 of 1280' },
    ingest: { ok: true, message: 'accepting' },
  },
};

/** Recorded: whoami with a key made with `--scopes read`. */
export const readerKey: WhoAmIResponse = { keyId: 'ef73ac322b94b4a2', scopes: ['read'] };

/** Recorded: whoami with a key made with `--scopes ingest`. */
export const ingestOnlyKey: WhoAmIResponse = { keyId: '152982d9205fa0f7', scopes: ['ingest'] };

/** Recorded: 401 for a key the worker does not know. */
export const unknownKey: ErrorResponse = { error: 'unknown or revoked API key' };

/** Recorded: 401 for `Authorization: Bearer ` with nothing after it, which the proxy sends when no key is saved. */
export const missingKey: ErrorResponse = {
  error: 'missing API key: send "Authorization: Bearer <key>" (create one with `mission-control keys create`)',
};

/** Recorded: 400 for a read whose first target has an empty glob. */
export const emptyGlob: ErrorResponse = { error: 'glob must be a non-empty string', field: 'targets[0].glob' };

/** Recorded: POST /api/v1/read of `servers.*.cpu.load` over a minute at step 10, after writing three samples. */
export const twoSeries: ReadResponse = {
  results: [
    {
      refId: 'A',
      series: [
        {
          name: 'servers.web1.cpu.load',
          labels: { host: 'web1' },
          start: 1795324430,
          step: 10,
          values: [null, null, null, 0.5, null, 0.75, null],
        },
        {
          name: 'servers.web2.cpu.load',
          labels: { host: 'web2' },
          start: 1795324430,
          step: 10,
          values: [null, null, null, null, null, null, null],
        },
      ],
    },
  ],
};

/** Recorded: a target whose glob does not parse fails alone, inside a 200. */
export const unclosedBrace: ReadResponse = {
  results: [{ refId: 'B', series: [], error: 'unclosed \'{\' in "servers.{web"' }],
};

export const WORKER_URL = 'http://mission-control.internal:8686';

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
