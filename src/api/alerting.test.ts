import { ALERTING_PATHS } from '../shared/api';
import * as alerting from '../test/alertingFixtures';
import { requestUrl } from '../test/requestUrl';
import { alertingPath, fieldErrors } from './alerting';
import { ApiError, MissionControlClient, workerProxyUrl } from './client';

let mockWorker: alerting.AlertingWorker;

jest.mock('@grafana/runtime', () => ({
  ...jest.requireActual('@grafana/runtime'),
  getBackendSrv: () => mockWorker,
}));

const base = workerProxyUrl('mc-prod');
const api = () => new MissionControlClient('mc-prod').alerting;

beforeEach(() => {
  mockWorker = new alerting.AlertingWorker();
});

describe('client.alerting', () => {
  it('reads rules and one rule with its instances through the data source proxy', async () => {
    mockWorker
      .answer('GET', ALERTING_PATHS.rules, 200, alerting.rules)
      .answer('GET', '/api/v1/alerting/rules/web-load', 200, alerting.webLoad);

    expect((await api().rules()).rules.map((r) => r.spec.uid)).toEqual([
      'load-high',
      'disk-full',
      'servers-reporting',
      'app-errors',
      'web-load',
    ]);
    const rule = await api().rule('web-load');
    expect(rule.instances.filter((i) => i.state === 'alerting').map((i) => i.labels.name)).toEqual([
      'servers.web3.loadavg.01',
    ]);
    expect(mockWorker.requests[1].url).toBe(`${base}/api/v1/alerting/rules/web-load`);
  });

  it('filters instances by state, rule and labels, repeating the label parameter', async () => {
    mockWorker.answer('GET', ALERTING_PATHS.instances, 200, alerting.instances);
    await api().instances({ state: 'alerting', rule: 'web-load', labels: ['team=web', 'name=x'] });
    expect(decodeURIComponent(requestUrl(mockWorker.requests[0]))).toBe(
      `${base}/api/v1/alerting/instances?state=alerting&rule=web-load&label=team=web&label=name=x`
    );
  });

  it('sends a silence, lists it and expires it with DELETE', async () => {
    mockWorker
      .answer('POST', ALERTING_PATHS.silences, 201, alerting.silenceCreated)
      .answer('GET', ALERTING_PATHS.silences, 200, alerting.silencesAfterExpire)
      .answer('DELETE', `/api/v1/alerting/silences/${alerting.silenceCreated.id}`, 204, null);

    const created = await api().createSilence(alerting.silenceCreateRequest as never);
    expect(created.status).toBe('active');
    await api().expireSilence(created.id);
    expect((await api().silences())[0].status).toBe('expired');
    expect(mockWorker.requests.map((r) => r.method)).toEqual(['POST', 'DELETE', 'GET']);
  });

  it('reports a failed test send as an answer, not an error', async () => {
    mockWorker.answer('POST', '/api/v1/alerting/notifiers/ops-mail/test', 200, alerting.notifierTestMail);
    expect(await api().testNotifier('ops-mail')).toEqual({
      ok: false,
      error: 'no mail server: configure the worker\'s "smtp" section',
    });
  });

  it('turns a rejected rule into an ApiError whose body lists every faulty field', async () => {
    mockWorker.answer('PUT', '/api/v1/alerting/rules/web-load', 400, alerting.ruleInvalid);
    const error = await api()
      .updateRule({ ...alerting.webLoad.spec, target: '' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(fieldErrors((error as ApiError).body)).toEqual({
      target: 'required: a non-empty string',
      window: 'expected a number at "soon" (durations look like 10s, 5min, 1h)',
    });
  });
});

describe('fieldErrors', () => {
  it('puts a preview’s rule.<field> faults on the editor’s fields', () => {
    expect(Object.keys(fieldErrors(alerting.previewInvalid))).toEqual(['window', 'reducer']);
  });

  it('keeps an error without a field under ""', () => {
    expect(fieldErrors(alerting.provisionedPut)).toEqual({ '': alerting.provisionedPut.error });
  });
});

describe('alertingPath', () => {
  it('encodes the identifier', () => {
    expect(alertingPath(ALERTING_PATHS.notifierTest, 'ops/mail')).toBe('/api/v1/alerting/notifiers/ops%2Fmail/test');
  });
});
