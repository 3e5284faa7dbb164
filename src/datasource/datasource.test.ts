import { dateTime, type DataQueryRequest } from '@grafana/data';

import { API_PATHS, type ReadRequest } from '../shared/api';
import * as fixtures from '../test/fixtures';
import { FakeWorker } from '../test/fakeWorker';
import { MissionControlDataSource } from './datasource';
import type { MissionControlQuery } from './types';

let mockWorker: FakeWorker;

jest.mock('@grafana/runtime', () => ({
  ...jest.requireActual('@grafana/runtime'),
  getBackendSrv: () => mockWorker,
  getTemplateSrv: () => ({ replace: (text: string) => text.replace('$host', 'web1') }),
}));

function healthyWorker(): FakeWorker {
  return new FakeWorker('mc-prod')
    .answer(API_PATHS.health, 200, fixtures.health)
    .answer(API_PATHS.whoami, 200, fixtures.readerKey)
    .answer(API_PATHS.ready, 200, fixtures.ready);
}

function datasource(url: string | undefined = fixtures.WORKER_URL) {
  return new MissionControlDataSource(fixtures.datasourceSettings({ jsonData: { url } }));
}

describe('testDatasource', () => {
  it('succeeds when the worker answers, the key may read and the store is ready', async () => {
    mockWorker = healthyWorker();

    const result = await datasource().testDatasource();

    expect(result.status).toBe('success');
    expect(result.message).toContain(`The worker at ${fixtures.WORKER_URL} is up.`);
    expect(result.message).toContain('The key "ef73ac322b94b4a2" is valid');
    expect(result.message).toContain('The store accepts writes and serves reads.');
  });

  it('asks for the worker URL before trying anything', async () => {
    mockWorker = healthyWorker();

    const result = await datasource('').testDatasource();

    expect(result).toMatchObject({ status: 'error', message: 'No worker URL is set.' });
    expect(result.details?.message).toMatch(/Enter the URL at which the Grafana server reaches the worker/);
    expect(mockWorker.requests).toHaveLength(0);
  });

  it('says the worker is unreachable, and how to fix that, when the proxy cannot connect', async () => {
    mockWorker = healthyWorker().stop();

    const result = await datasource().testDatasource();

    expect(result.status).toBe('error');
    expect(result.message).toBe(
      `Worker: Grafana cannot reach the worker at ${fixtures.WORKER_URL}: ` +
        'Grafana could not connect to the worker (HTTP 502 on /healthz).'
    );
    expect(result.details?.message).toMatch(/Start the worker, or correct the Worker URL/);
    expect(result.details?.message).toMatch(/from the Grafana host/);
  });

  it('says the key was rejected, quoting the worker', async () => {
    mockWorker = healthyWorker().answer(API_PATHS.whoami, 401, fixtures.unknownKey);

    const result = await datasource().testDatasource();

    expect(result.status).toBe('error');
    expect(result.message).toBe(
      'API key: The worker rejected the API key: unknown or revoked API key (HTTP 401 on /api/v1/auth/whoami).'
    );
    expect(result.details?.message).toMatch(/Paste a valid worker API key with the "read" scope/);
  });

  it('says which scope the key lacks', async () => {
    mockWorker = healthyWorker().answer(API_PATHS.whoami, 200, fixtures.ingestOnlyKey);

    const result = await datasource().testDatasource();

    expect(result.status).toBe('error');
    expect(result.message).toBe('API key: The key "152982d9205fa0f7" has the scopes ingest, but queries need "read".');
    expect(result.details?.message).toMatch(/Create a worker key with the "read" scope/);
  });

  it('says the store is still starting and names the check that is not done', async () => {
    mockWorker = healthyWorker().answer(API_PATHS.ready, 503, fixtures.starting);

    const result = await datasource().testDatasource();

    expect(result.status).toBe('error');
    expect(result.message).toBe(
      'Store: The store is still starting: store (replaying write-ahead log, segment 412 of 1280).'
    );
    expect(result.details?.message).toMatch(/Wait until the worker has finished starting/);
  });

  it('reports every failing part at once', async () => {
    mockWorker = healthyWorker()
      .answer(API_PATHS.whoami, 401, fixtures.missingKey)
      .answer(API_PATHS.ready, 503, fixtures.degraded);

    const result = await datasource().testDatasource();

    expect(result.message).toMatch(/^API key: The worker rejected the API key: missing API key: send "Authorization/);
    expect(result.message).toMatch(
      /Store: The store is degraded: ingest \(write backlog above its limit: shedding load\)\.$/
    );
  });

  it('tells a different server at the URL apart from a worker', async () => {
    mockWorker = new FakeWorker('mc-prod');

    const result = await datasource().testDatasource();

    expect(result.message).toMatch(/Something answered at .* but not the Mission Control worker/);
  });

  it('reaches the worker only through the data source proxy route, without Grafana error toasts', async () => {
    mockWorker = healthyWorker();

    await datasource().testDatasource();

    const urls = mockWorker.requests.map((request) => request.url);
    expect(urls).toEqual(
      expect.arrayContaining([
        '/api/datasources/proxy/uid/mc-prod/worker/healthz',
        '/api/datasources/proxy/uid/mc-prod/worker/api/v1/auth/whoami',
        '/api/datasources/proxy/uid/mc-prod/worker/readyz',
      ])
    );
    expect(mockWorker.requests.every((request) => request.showErrorAlert === false)).toBe(true);
  });
});

describe('query', () => {
  function request(targets: MissionControlQuery[]): DataQueryRequest<MissionControlQuery> {
    return {
      requestId: 'Q1',
      targets,
      range: { from: dateTime(1700000000000), to: dateTime(1700003600000), raw: { from: 'now-1h', to: 'now' } },
      intervalMs: 10000,
      scopedVars: {},
    } as unknown as DataQueryRequest<MissionControlQuery>;
  }

  it('reads the visible, non-empty globs with variables replaced, in seconds', async () => {
    mockWorker = new FakeWorker('mc-prod').answer(API_PATHS.read, 200, fixtures.twoSeries);

    await datasource().query(
      request([
        { refId: 'A', glob: 'servers.$host.cpu.load' },
        { refId: 'B', glob: '  ' },
        { refId: 'C', glob: 'servers.*.mem', hide: true },
      ])
    );

    expect(mockWorker.requests).toHaveLength(1);
    expect(mockWorker.requests[0]).toMatchObject({ method: 'POST', requestId: 'Q1' });
    const body: ReadRequest = mockWorker.requests[0].data;
    expect(body).toEqual({
      targets: [{ refId: 'A', glob: 'servers.web1.cpu.load' }],
      from: 1700000000,
      until: 1700003600,
      step: 10,
    });
  });

  it('returns one frame per series', async () => {
    mockWorker = new FakeWorker('mc-prod').answer(API_PATHS.read, 200, fixtures.twoSeries);

    const response = await datasource().query(request([{ refId: 'A', glob: 'servers.*.cpu.load' }]));

    expect(response.data.map((frame) => frame.name)).toEqual(['servers.web1.cpu.load', 'servers.web2.cpu.load']);
  });

  it('does not call the worker when no query has a glob', async () => {
    mockWorker = new FakeWorker('mc-prod');

    const response = await datasource().query(request([{ refId: 'A', glob: '' }]));

    expect(response.data).toEqual([]);
    expect(mockWorker.requests).toHaveLength(0);
  });

  it('fails with the worker’s reason when the read is refused', async () => {
    mockWorker = new FakeWorker('mc-prod').answer(API_PATHS.read, 403, {
      error: "this key lacks the 'read' scope (it has: ingest)",
    });

    await expect(datasource().query(request([{ refId: 'A', glob: 'servers.*' }]))).rejects.toThrow(
      "this key lacks the 'read' scope (it has: ingest) (HTTP 403 on /api/v1/read)"
    );
  });

  it('reports a target the worker could not parse under its refId', async () => {
    mockWorker = new FakeWorker('mc-prod').answer(API_PATHS.read, 200, fixtures.unclosedBrace);

    const response = await datasource().query(request([{ refId: 'B', glob: 'servers.{web' }]));

    expect(response.errors).toEqual([{ refId: 'B', message: 'unclosed \'{\' in "servers.{web"' }]);
  });
});
