import { API_PATHS, type QueryRequest } from '../shared/api';
import * as fixtures from '../test/fixtures';
import { FakeWorker } from '../test/fakeWorker';
import { ApiError, MissionControlClient } from './client';

let mockWorker: FakeWorker;

jest.mock('@grafana/runtime', () => ({
  ...jest.requireActual('@grafana/runtime'),
  getBackendSrv: () => mockWorker,
}));

const client = new MissionControlClient('mc-prod');

async function failure(call: Promise<unknown>): Promise<ApiError> {
  try {
    await call;
  } catch (err) {
    if (err instanceof ApiError) {
      return err;
    }
    throw err;
  }
  throw new Error('the call succeeded');
}

describe('MissionControlClient', () => {
  it('returns the worker’s answers', async () => {
    mockWorker = new FakeWorker('mc-prod')
      .answer(API_PATHS.health, 200, fixtures.health)
      .answer(API_PATHS.whoami, 200, fixtures.readerKey);

    await expect(client.health()).resolves.toEqual({ status: 'ok' });
    await expect(client.whoami()).resolves.toEqual(fixtures.readerKey);
  });

  it('treats a 503 from /readyz as an answer: the store is not ready, and says why', async () => {
    mockWorker = new FakeWorker('mc-prod').answer(API_PATHS.ready, 503, fixtures.starting);

    await expect(client.ready()).resolves.toEqual(fixtures.starting);
  });

  it('turns the proxy’s bare 502 into "could not connect"', async () => {
    mockWorker = new FakeWorker('mc-prod').stop();

    const err = await failure(client.health());

    expect(err.kind).toBe('unreachable');
    expect(err.message).toBe('Grafana could not connect to the worker (HTTP 502 on /healthz)');
  });

  it('quotes Grafana’s own refusals as Grafana’s', async () => {
    mockWorker = new FakeWorker('mc-prod');
    const other = new MissionControlClient('deleted-uid');

    const err = await failure(other.health());

    expect(err.message).toBe('Grafana: Data source not found (HTTP 404 on /healthz)');
  });

  it('points at the field the worker names', async () => {
    mockWorker = new FakeWorker('mc-prod').answer(API_PATHS.query, 400, fixtures.queryInvalid);

    const err = await failure(client.query({ targets: 'servers.*' } as unknown as QueryRequest));

    expect(err.kind).toBe('invalid');
    expect(err.message).toBe('targets must be an array (field "targets") (HTTP 400 on /api/v1/query)');
  });

  it('sends Graphite’s parameters as Grafana encodes them, repeating a list', async () => {
    mockWorker = new FakeWorker('mc-prod').answer(
      '/graphite/tags/autoComplete/values?tag=env&expr=name=~stats\\..*&expr=host!=db1',
      200,
      fixtures.envValues
    );

    await expect(client.tagValues('env', ['name=~stats\\..*', 'host!=db1'])).resolves.toEqual(['prod']);
  });

  it('reads Graphite’s array answers and its null for an unknown tag', async () => {
    mockWorker = new FakeWorker('mc-prod')
      .answer('/graphite/metrics/find?query=servers.*', 200, fixtures.findServers)
      .answer('/graphite/tags/nope', 200, null);

    const nodes = await client.findMetrics('servers.*');

    expect(nodes.map((node) => node.id)).toEqual(['servers.db1', 'servers.web1', 'servers.web2', 'servers.web3']);
    await expect(client.tagDetails('nope')).resolves.toEqual({ tag: 'nope', values: [] });
  });

  it('refuses an object where Graphite answers with a list', async () => {
    mockWorker = new FakeWorker('mc-prod').answer('/graphite/tags', 200, { tags: [] });

    const err = await failure(client.tags());

    expect(err.message).toBe('/graphite/tags did not answer with a JSON array');
  });

  it('rejects a 2xx answer that is not a JSON object, such as another server’s HTML page', async () => {
    mockWorker = new FakeWorker('mc-prod').answer(API_PATHS.health, 200, '<html>Welcome to nginx!</html>');

    const err = await failure(client.health());

    expect(err.kind).toBe('unexpected');
    expect(err.message).toBe('/healthz did not answer with a Mission Control JSON object');
  });
});
