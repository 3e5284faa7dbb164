import { lastValueFrom, type Observable } from 'rxjs';
import {
  dateTime,
  type AnnotationEvent,
  type DataQueryRequest,
  type DataQueryResponse,
  type ScopedVars,
} from '@grafana/data';

import { API_PATHS, STATS_PATHS, type QueryRequest } from '../shared/api';
import * as fixtures from '../test/fixtures';
import { FakeWorker } from '../test/fakeWorker';
import { MissionControlDataSource } from './datasource';
import type { MissionControlQuery, MissionControlVariableQuery } from './types';
import type { MissionControlVariableSupport } from './variables';

let mockWorker: FakeWorker;

/**
 * Grafana's template service, reduced to what the data source uses: $name and ${name} from the scoped variables, a
 * multi-value variable's values handed to a format function as an array.
 */
const mockVariables: ScopedVars = { host: { text: 'web1', value: 'web1' }, app: { text: 'shop', value: 'shop' } };
jest.mock('@grafana/runtime', () => ({
  ...jest.requireActual('@grafana/runtime'),
  getBackendSrv: () => mockWorker,
  getTemplateSrv: () => ({
    replace: (text: string, scoped: ScopedVars = {}, format?: (value: string | string[]) => string) =>
      text.replace(/\$\{?(\w+)\}?/g, (m: string, name: string) => {
        const variable = { ...mockVariables, ...scoped }[name];
        if (variable === undefined) {
          return m;
        }
        return typeof format === 'function' ? format(variable.value) : String(variable.value);
      }),
  }),
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
  const { from, until } = fixtures.queryRequest as { from: number; until: number };

  function request(
    targets: MissionControlQuery[],
    extra: Partial<DataQueryRequest<MissionControlQuery>> = {}
  ): DataQueryRequest<MissionControlQuery> {
    return {
      requestId: 'Q1',
      targets,
      range: { from: dateTime(from * 1000), to: dateTime(until * 1000), raw: { from: 'now-5m', to: 'now' } },
      maxDataPoints: 30,
      intervalMs: 10000,
      scopedVars: { __interval: { text: '10s', value: '10s' } },
      ...extra,
    } as unknown as DataQueryRequest<MissionControlQuery>;
  }

  const recordedQueries: MissionControlQuery[] = fixtures.queryRequest.targets.map(({ refId, target, hide }) => ({
    refId,
    target,
    hide,
  }));

  it('sends the panel’s targets, hidden ones marked, with the range, maxDataPoints and interval', async () => {
    mockWorker = new FakeWorker('mc-prod').answer(API_PATHS.query, 200, fixtures.queryResponse);

    await datasource().query(request(recordedQueries));

    expect(mockWorker.requests).toHaveLength(1);
    expect(mockWorker.requests[0]).toMatchObject({ method: 'POST', requestId: 'Q1', showErrorAlert: false });
    expect(mockWorker.requests[0].data).toEqual(fixtures.queryRequest);
  });

  it('answers the recorded series as frames, and each failed target as an error on its refId', async () => {
    mockWorker = new FakeWorker('mc-prod').answer(API_PATHS.query, 200, fixtures.queryResponse);

    const response = await datasource().query(request(recordedQueries));

    expect(response.data.map((frame) => frame.name)).toEqual([
      'db1',
      'web1',
      'web2',
      'web3',
      fixtures.queryResponse.results.E.series[0].name,
    ]);
    expect(response.errors?.map((error) => [error.refId, error.message])).toEqual([
      ['B', "expected ',' or ')' at position 28, found the end of the target"],
      ['C', "too many arguments for function 'movingAverage': it takes 3"],
    ]);
  });

  it('replaces variables, and $__interval in Graphite’s units', async () => {
    mockWorker = new FakeWorker('mc-prod').answer(API_PATHS.query, 200, { results: {} });

    await datasource().query(
      request([{ refId: 'A', target: "summarize(servers.$host.cpu.user, '$__interval', 'max')", alias: '{{1}}' }], {
        scopedVars: { __interval: { text: '1m', value: '1m' } },
      })
    );

    const body: QueryRequest = mockWorker.requests[0].data;
    expect(body.targets).toEqual([{ refId: 'A', target: "summarize(servers.web1.cpu.user, '1min', 'max')" }]);
  });

  it('turns ad-hoc filters into tag conditions on every series the target reads', async () => {
    mockWorker = new FakeWorker('mc-prod')
      .answer(API_PATHS.query, 200, { results: {} })
      .answer('/graphite/functions', 200, fixtures.functions);

    await datasource().query(
      request([{ refId: 'A', target: 'divideSeries(app.errors, app.requests)' }], {
        filters: [{ key: 'env', operator: '=', value: 'prod' }],
      })
    );

    const body: QueryRequest = mockWorker.requests.find((r) => r.url.endsWith(API_PATHS.query))!.data;
    expect(body.targets[0].target).toBe(
      "divideSeries(seriesByTag('name=~^app\\.errors$', 'env=prod'), seriesByTag('name=~^app\\.requests$', 'env=prod'))"
    );
  });

  it('does not call the worker when no query has a target', async () => {
    mockWorker = new FakeWorker('mc-prod');

    const response = await datasource().query(request([{ refId: 'A', target: ' ' }]));

    expect(response.data).toEqual([]);
    expect(mockWorker.requests).toHaveLength(0);
  });

  it('fails with the worker’s reason when the query is refused', async () => {
    mockWorker = new FakeWorker('mc-prod').answer(API_PATHS.query, 403, {
      error: "this key lacks the 'read' scope (it has: ingest)",
    });

    await expect(datasource().query(request([{ refId: 'A', target: 'servers.*' }]))).rejects.toThrow(
      "this key lacks the 'read' scope (it has: ingest) (HTTP 403 on /api/v1/query)"
    );
  });

  it('reads events by tag for an events query, with variables replaced', async () => {
    mockWorker = new FakeWorker('mc-prod').answer(API_PATHS.events, 200, fixtures.events);

    const response = await datasource().query(request([{ refId: 'Anno', queryType: 'events', tags: ['$app'] }]));

    expect(mockWorker.requests[0].params).toEqual({ from, until, tags: 'shop' });
    expect(response.data[0].length).toBe(2);
  });
});

describe('worker figures', () => {
  it('asks for the figures once for all the tables of a panel', async () => {
    mockWorker = new FakeWorker('mc-prod').answer(STATS_PATHS.stats, 200, fixtures.stats);

    const response = await datasource().query({
      targets: [
        { refId: 'A', queryType: 'stats', stats: 'ingest' },
        { refId: 'B', queryType: 'stats' },
      ],
      range: { from: dateTime(0), to: dateTime(1000) },
      scopedVars: {},
    } as unknown as DataQueryRequest<MissionControlQuery>);

    expect(mockWorker.requests).toHaveLength(1);
    expect(response.data.map((frame) => [frame.refId, frame.name, frame.length])).toEqual([
      ['A', 'ingest', 5],
      ['B', 'summary', 1],
    ]);
  });
});

describe('annotations', () => {
  it('draws the worker’s events as annotations', async () => {
    mockWorker = new FakeWorker('mc-prod').answer(API_PATHS.events, 200, fixtures.events);
    const ds = datasource();
    const response = await ds.query({
      targets: [{ refId: 'Anno', queryType: 'events', tags: ['shop'], matchAny: true }],
      range: { from: dateTime(0), to: dateTime(1000) },
      scopedVars: {},
    } as unknown as DataQueryRequest<MissionControlQuery>);

    const events = await lastValueFrom(
      ds.annotations!.processEvents!({ name: 'Deploys', enable: true, iconColor: 'red' }, response.data) as Observable<
        unknown[]
      >
    );

    expect(mockWorker.requests[0].params).toEqual({ from: 0, until: 1, tags: 'shop', any: 1 });
    expect(events).toHaveLength(2);
    expect(events[0]).toMatchObject({ title: 'deploy shop 1.4.2', tags: ['deploy', 'shop'] });
  });

  it('draws the notes of the servers a multi-value variable selects, from the inventory', async () => {
    const recorded = new URL(fixtures.inventoryAnnotations.path, 'http://worker');
    const [from, until] = ['from', 'until'].map((name) => Number(recorded.searchParams.get(name)));
    mockWorker = new FakeWorker('mc-prod').answer(decodeURIComponent(fixtures.inventoryAnnotations.path), 200, {
      annotations: fixtures.inventoryAnnotations.annotations,
    });
    const ds = datasource();
    const response = await ds.query({
      targets: [
        {
          refId: 'Anno',
          queryType: 'inventory',
          entities: ['server:$hosts', 'server:web1.example.net'],
          tags: ['$kind'],
        },
      ],
      range: { from: dateTime(from * 1000), to: dateTime(until * 1000) },
      scopedVars: {
        hosts: { text: 'web1 + web2', value: ['web1.example.net', 'web2.example.net'] },
        kind: { text: 'note', value: 'note' },
      },
    } as unknown as DataQueryRequest<MissionControlQuery>);

    const annotations = await lastValueFrom(
      ds.annotations!.processEvents!({ name: 'Notes', enable: true, iconColor: 'blue' }, response.data) as Observable<
        AnnotationEvent[]
      >
    );

    expect(mockWorker.requests[0].params).toEqual({
      entity: ['server:web1.example.net', 'server:web2.example.net'],
      from,
      until,
      tags: 'note',
    });
    expect(response.errors).toBeUndefined();
    expect(annotations.map(({ time, title, text, tags }) => ({ time, title, text, tags }))).toEqual(
      fixtures.inventoryAnnotations.annotations.map(({ time, title, text, tags }) => ({
        time: time * 1000,
        title,
        text,
        tags,
      }))
    );
    expect(annotations.map((a) => a.text)).toEqual(['Replaced the disk in bay 2', 'Kernel 6.1.0-28, rebooted']);
  });

  it('asks for the whole inventory’s annotations when no entity is chosen', async () => {
    mockWorker = new FakeWorker('mc-prod').answer('/api/v1/inventory/annotations', 200, { annotations: [] });

    const response = await datasource().query({
      targets: [{ refId: 'Anno', queryType: 'inventory' }],
      range: { from: dateTime(0), to: dateTime(1000) },
      scopedVars: {},
    } as unknown as DataQueryRequest<MissionControlQuery>);

    expect(mockWorker.requests[0].params).toEqual({ entity: [], from: 0, until: 1, tags: undefined });
    expect(response.data[0].length).toBe(0);
  });

  it('starts a new annotation as an events query', () => {
    expect(datasource().annotations!.getDefaultQuery!()).toEqual({ queryType: 'events', tags: [] });
  });
});

describe('variables', () => {
  async function values(query: MissionControlVariableQuery | string): Promise<string[]> {
    const response = await lastValueFrom(
      (datasource().variables as MissionControlVariableSupport).query({
        targets: [query],
        range: { from: dateTime(0), to: dateTime(60_000) },
        scopedVars: {},
      } as unknown as DataQueryRequest<MissionControlVariableQuery>) as Observable<DataQueryResponse>
    );
    return response.data.map((value: { text: string }) => value.text);
  }

  it('lists path nodes, tag names and tag values', async () => {
    mockWorker = new FakeWorker('mc-prod')
      .answer('/graphite/metrics/find?query=servers.*&from=0&until=60', 200, fixtures.findServers)
      .answer('/graphite/tags/autoComplete/tags', 200, fixtures.tagKeys)
      .answer('/graphite/tags/autoComplete/values?tag=env&expr=name=~stats\\..*', 200, fixtures.envValues);

    await expect(values({ refId: 'v', type: 'metrics', query: 'servers.*' })).resolves.toEqual([
      'db1',
      'web1',
      'web2',
      'web3',
    ]);
    await expect(values({ refId: 'v', type: 'tagKeys' })).resolves.toEqual(['env', 'name']);
    await expect(
      values({ refId: 'v', type: 'tagValues', tag: 'env', expressions: ['name=~stats\\..*'] })
    ).resolves.toEqual(['prod']);
  });

  it('lists a field of the inventory’s entities', async () => {
    mockWorker = new FakeWorker('mc-prod').answer(
      '/api/v1/inventory/values?entity=servers&field=hostname&filter=environment=production',
      200,
      fixtures.productionHostnames
    );

    await expect(
      values({
        refId: 'v',
        type: 'inventory',
        entity: 'servers',
        field: 'hostname',
        expressions: ['environment=production'],
      })
    ).resolves.toEqual(['web1.example.net', 'web2.example.net']);
  });

  it('reads a variable saved as text, as Grafana’s Graphite data source writes them', async () => {
    mockWorker = new FakeWorker('mc-prod')
      .answer('/graphite/metrics/find?query=servers.web1.*&from=0&until=60', 200, fixtures.findWeb1)
      .answer('/graphite/tags/autoComplete/values?tag=env', 200, fixtures.envValues);

    await expect(values('servers.$host.*')).resolves.toEqual(fixtures.findWeb1.map((node) => node.text));
    await expect(values('tag_values(env)')).resolves.toEqual(['prod']);
  });
});

describe('ad-hoc filters', () => {
  it('offers the tags of the series, except the name, and the values of a tag among the filtered series', async () => {
    mockWorker = new FakeWorker('mc-prod')
      .answer('/graphite/tags/autoComplete/tags', 200, fixtures.tagKeys)
      .answer('/graphite/tags/autoComplete/values?tag=env&expr=name!=x', 200, fixtures.envValues);

    await expect(datasource().getTagKeys({ filters: [] })).resolves.toEqual([{ text: 'env' }]);
    await expect(
      datasource().getTagValues({ key: 'env', filters: [{ key: 'name', operator: '!=', value: 'x' }] })
    ).resolves.toEqual([{ text: 'prod' }]);
  });
});
