import { API_PATHS } from '../shared/api';
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
    mockWorker = new FakeWorker('mc-prod').answer(API_PATHS.read, 400, fixtures.emptyGlob);

    const err = await failure(client.read({ targets: [{ refId: 'A', glob: '' }], from: 1, until: 2 }));

    expect(err.kind).toBe('invalid');
    expect(err.message).toBe('glob must be a non-empty string (field "targets[0].glob") (HTTP 400 on /api/v1/read)');
  });

  it('rejects a 2xx answer that is not a JSON object, such as another server’s HTML page', async () => {
    mockWorker = new FakeWorker('mc-prod').answer(API_PATHS.health, 200, '<html>Welcome to nginx!</html>');

    const err = await failure(client.health());

    expect(err.kind).toBe('unexpected');
    expect(err.message).toBe('/healthz did not answer with a Mission Control JSON object');
  });
});
