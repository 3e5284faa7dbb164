import React from 'react';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import type { DataSourceInstanceSettings } from '@grafana/data';

import type { MissionControlOptions } from '../../datasource/types';
import { ALERTING_PATHS, type AlertRuleResponse, type AlertRuleSpec } from '../../shared/api';
import * as alerting from '../../test/alertingFixtures';
import * as fixtures from '../../test/fixtures';
import { Alerts } from './Alerts';
import { PREVIEW_DELAY_MS } from './RuleEditor';
import { draftFromSpec, specFromDraft } from './ruleDraft';
import { renderAt, stubObservers } from './testing';

let mockWorker: alerting.AlertingWorker;
let mockDatasources: Array<DataSourceInstanceSettings<MissionControlOptions>>;

jest.mock('@grafana/runtime', () => ({
  ...jest.requireActual('@grafana/runtime'),
  getBackendSrv: () => mockWorker,
  getDataSourceSrv: () => ({ getList: () => mockDatasources }),
}));

beforeAll(stubObservers);

// The preview waits PREVIEW_DELAY_MS after the last change, and the form is large: allow for a loaded test machine.
jest.setTimeout(20_000);
const slow = { timeout: 5000 };
const previewChart = async () =>
  within(await screen.findByRole('region', { name: 'Preview' }, slow)).findByRole('img', {}, slow);

beforeEach(() => {
  mockDatasources = [fixtures.datasourceSettings()];
  mockWorker = new alerting.AlertingWorker()
    .answer('GET', ALERTING_PATHS.rules, 200, alerting.rules)
    .answer('GET', '/api/v1/alerting/rules/web-load', 200, alerting.webLoad)
    .answer('GET', '/api/v1/alerting/rules/load-high', 200, alerting.loadHigh)
    .answer('POST', ALERTING_PATHS.preview, 200, alerting.preview)
    .answer('GET', ALERTING_PATHS.notifiers, 200, alerting.notifiers);
});

const input = (label: RegExp) => screen.getByLabelText(label) as HTMLInputElement;

/** Answers what the rule page asks for after a save. */
function answerRulePage(rule: AlertRuleResponse) {
  mockWorker
    .answer('GET', `/api/v1/alerting/rules/${rule.spec.uid}`, 200, rule)
    .answer('GET', ALERTING_PATHS.history, 200, { transitions: [] })
    .answer('GET', ALERTING_PATHS.notifications, 200, { notifications: [] });
}

/** Saves web-load (answered with the rule as recorded) and gives the body of the PUT. */
async function saveWebLoad(): Promise<AlertRuleSpec> {
  mockWorker.answer('PUT', '/api/v1/alerting/rules/web-load', 200, alerting.webLoad);
  answerRulePage(alerting.webLoad);
  fireEvent.click(screen.getByRole('button', { name: 'Save rule' }));
  await waitFor(() => expect(mockWorker.sent('PUT', '/api/v1/alerting/rules/web-load')).toHaveLength(1), slow);
  return mockWorker.sent('PUT', '/api/v1/alerting/rules/web-load')[0].data as AlertRuleSpec;
}

describe('Rule editor', () => {
  it('previews the rule over 24 h with its lines and lists the instances that would fire', async () => {
    renderAt('/rules/web-load/edit', <Alerts />);

    expect(await previewChart()).toHaveAccessibleName('Last 24 hours of 3 series, threshold 2.5, recovery 2');
    const preview = within(screen.getByRole('region', { name: 'Preview' }));
    expect(
      within(preview.getByRole('list', { name: 'Would fire now' }))
        .getAllByRole('listitem')
        .map((li) => li.textContent)
    ).toEqual([
      'Alerting servers.web3.loadavg.01 team=web alertname=Web load rule_uid=web-load: 5.45 (5.45 (last over 5min) >= 2.5)',
    ]);
    expect(mockWorker.sent('POST', ALERTING_PATHS.preview)[0].data).toEqual({
      rule: { ...alerting.webLoad.spec, type: 'alert' },
    });
  });

  it('previews again as the rule changes and puts the worker’s errors under their fields', async () => {
    renderAt('/rules/web-load/edit', <Alerts />);
    await previewChart();

    mockWorker.answer('POST', ALERTING_PATHS.preview, 400, alerting.previewInvalid);
    fireEvent.change(input(/^Window/), { target: { value: 'soon' } });

    expect(
      await screen.findByText('expected a number at "soon" (durations look like 10s, 5min, 1h)', {}, slow)
    ).toBeInTheDocument();
    expect(screen.getByText(/expected one of last, avg, min, max, sum, count/)).toBeInTheDocument();
    const sent = mockWorker.sent('POST', ALERTING_PATHS.preview);
    expect((sent[sent.length - 1].data as { rule: { window: string } }).rule.window).toBe('soon');
  });

  it('saves with PUT and shows the worker’s rejection per field', async () => {
    mockWorker.answer('PUT', '/api/v1/alerting/rules/web-load', 400, alerting.ruleInvalid);
    renderAt('/rules/web-load/edit', <Alerts />);
    await previewChart();

    fireEvent.change(input(/^Target/), { target: { value: '' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save rule' }));

    expect(await screen.findByText('required: a non-empty string', {}, slow)).toBeInTheDocument();
    const put = mockWorker.sent('PUT', '/api/v1/alerting/rules/web-load');
    expect(put).toHaveLength(1);
    expect(put[0].data).toEqual({ ...alerting.webLoad.spec, type: 'alert', target: '' });
  });

  it('creates a rule with POST and opens its page', async () => {
    const created = { ...alerting.webLoad, spec: { ...alerting.webLoad.spec, uid: 'web-load-2', title: 'Web load 2' } };
    mockWorker
      .answer('POST', ALERTING_PATHS.rules, 201, created)
      .answer('GET', '/api/v1/alerting/rules/web-load-2', 200, created)
      .answer('GET', ALERTING_PATHS.history, 200, { transitions: [] })
      .answer('GET', ALERTING_PATHS.notifications, 200, { notifications: [] });
    renderAt('/rules/new', <Alerts />);
    expect(await screen.findByText('New alert rule', {}, slow)).toBeInTheDocument();

    fireEvent.change(input(/^UID/), { target: { value: 'web-load-2' } });
    fireEvent.change(input(/^Title/), { target: { value: 'Web load 2' } });
    fireEvent.change(input(/^Target/), { target: { value: 'servers.web*.loadavg.01' } });
    fireEvent.change(input(/^Threshold/), { target: { value: '2.5' } });
    fireEvent.click(screen.getByRole('button', { name: 'Create rule' }));

    expect(await screen.findByRole('heading', { name: 'Web load 2' }, slow)).toBeInTheDocument();
    expect(mockWorker.sent('POST', ALERTING_PATHS.rules)[0].data).toEqual({
      uid: 'web-load-2',
      title: 'Web load 2',
      group: 'servers',
      target: 'servers.web*.loadavg.01',
      window: '5min',
      reducer: 'last',
      type: 'alert',
      condition: { op: 'above', threshold: 2.5 },
    });
  });

  it('shows no error on a new rule before anything is typed, and previews once the needed fields are filled', async () => {
    renderAt('/rules/new', <Alerts />);
    const preview = within(await screen.findByRole('region', { name: 'Preview' }, slow));
    expect(preview.getByText('The preview waits for UID, Title, Target and Threshold.')).toBeInTheDocument();

    fireEvent.change(input(/^UID/), { target: { value: 'web-load-2' } });
    fireEvent.change(input(/^Title/), { target: { value: 'Web load 2' } });
    fireEvent.blur(input(/^Title/));
    await new Promise((resolve) => setTimeout(resolve, PREVIEW_DELAY_MS + 200));
    expect(mockWorker.sent('POST', ALERTING_PATHS.preview)).toHaveLength(0);
    expect(preview.getByText('The preview waits for Target and Threshold.')).toBeInTheDocument();
    expect(screen.queryByText(/required/)).not.toBeInTheDocument();
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();

    fireEvent.change(input(/^Target/), { target: { value: 'servers.web*.loadavg.01' } });
    fireEvent.change(input(/^Threshold/), { target: { value: '2.5' } });
    expect(await previewChart()).toHaveAccessibleName('Last 24 hours of 3 series, threshold 2.5, recovery 2');
    expect(mockWorker.sent('POST', ALERTING_PATHS.preview)).toHaveLength(1);
  });

  it('puts an error under a new rule’s field once it is touched, and under every field once a save is tried', async () => {
    mockWorker
      .answer('POST', ALERTING_PATHS.preview, 400, alerting.previewInvalid)
      // The worker refuses to save the rule for the reasons it would not preview it.
      .answer('POST', ALERTING_PATHS.rules, 400, alerting.previewInvalid);
    renderAt('/rules/new', <Alerts />);
    await screen.findByText('New alert rule', {}, slow);

    fireEvent.change(input(/^UID/), { target: { value: 'web-load-2' } });
    fireEvent.change(input(/^Title/), { target: { value: 'Web load 2' } });
    fireEvent.change(input(/^Target/), { target: { value: 'servers.web*.loadavg.01' } });
    fireEvent.change(input(/^Threshold/), { target: { value: '2.5' } });
    fireEvent.change(input(/^Window/), { target: { value: 'soon' } });

    // The worker's answer names the window, which was typed in, and the reducer, which was not.
    expect(
      await screen.findByText('expected a number at "soon" (durations look like 10s, 5min, 1h)', {}, slow)
    ).toBeInTheDocument();
    expect(screen.queryByText(/expected one of last, avg, min/)).not.toBeInTheDocument();
    expect(screen.getByText('Fix the fields marked in red to see the preview.')).toBeInTheDocument();

    fireEvent.click(screen.getByRole('button', { name: 'Create rule' }));
    expect(await screen.findByText(/expected one of last, avg, min/, {}, slow)).toBeInTheDocument();
    expect(mockWorker.sent('POST', ALERTING_PATHS.rules)).toHaveLength(1);
  });

  it('sends to the notifiers ticked, and names the group’s when none is', async () => {
    renderAt('/rules/web-load/edit', <Alerts />);
    await previewChart();

    const choices = within(screen.getByRole('group', { name: 'Notifiers' })).getAllByRole('checkbox');
    expect(choices.map((c) => c.closest('label')?.textContent)).toEqual(['ops-mail', 'ops-chat', 'on-call-sms']);
    expect(choices.every((c) => !(c as HTMLInputElement).checked)).toBe(true);
    // web-load is in the group "app", which sends to ops-mail.
    expect(screen.getByText("None ticked: the group's (ops-mail)")).toBeInTheDocument();

    fireEvent.click(screen.getByRole('checkbox', { name: 'on-call-sms' }));
    fireEvent.click(screen.getByRole('checkbox', { name: 'ops-chat' }));
    fireEvent.click(screen.getByRole('checkbox', { name: 'on-call-sms' }));

    expect((await saveWebLoad()).notifiers).toEqual(['ops-chat']);
  });

  it('re-notifies on a fixed interval or only once instead of Hound’s back-off', async () => {
    renderAt('/rules/web-load/edit', <Alerts />);
    await previewChart();
    expect(screen.getByRole('radio', { name: 'Back-off' })).toBeChecked();
    expect(screen.queryByLabelText('Repeat interval')).not.toBeInTheDocument();

    fireEvent.click(screen.getByRole('radio', { name: 'Fixed interval' }));
    expect(input(/^Repeat interval/).value).toBe('1h');
    fireEvent.change(input(/^Repeat interval/), { target: { value: '15min' } });
    await waitFor(() => {
      const sent = mockWorker.sent('POST', ALERTING_PATHS.preview);
      expect((sent[sent.length - 1].data as { rule: AlertRuleSpec }).rule.repeat).toBe('15min');
    }, slow);

    fireEvent.click(screen.getByRole('radio', { name: 'Once' }));
    expect(screen.queryByLabelText('Repeat interval')).not.toBeInTheDocument();
    expect((await saveWebLoad()).repeat).toBe('never');
  });

  it('shows a rule’s fixed repeat interval as written', async () => {
    const appErrors = alerting.rules.rules.find((r) => r.spec.uid === 'app-errors')!;
    mockWorker.answer('GET', '/api/v1/alerting/rules/app-errors', 200, { ...appErrors, instances: [] });
    renderAt('/rules/app-errors/edit', <Alerts />);

    expect(await screen.findByRole('radio', { name: 'Fixed interval' }, slow)).toBeChecked();
    expect(input(/^Repeat interval/).value).toBe('1h');
  });

  it('fires the rule itself on missing data or too few series, without a threshold', async () => {
    renderAt('/rules/web-load/edit', <Alerts />);
    await previewChart();
    expect(screen.getByRole('radio', { name: 'No data' })).toBeChecked();

    fireEvent.click(screen.getByRole('radio', { name: 'No threshold' }));
    fireEvent.click(screen.getByRole('radio', { name: 'Alerting' }));
    fireEvent.change(input(/^Min. series/), { target: { value: '3' } });

    const sent = await saveWebLoad();
    expect(sent).toMatchObject({ noDataState: 'alerting', minSeries: 3 });
    expect(sent.condition).toBeUndefined();
  });

  it('deletes a rule only once the deletion is confirmed', async () => {
    mockWorker
      .answer('DELETE', '/api/v1/alerting/rules/web-load', 204, undefined)
      .answer('GET', ALERTING_PATHS.instances, 200, alerting.instances);
    renderAt('/rules/web-load/edit', <Alerts />);
    await previewChart();

    fireEvent.click(screen.getByRole('button', { name: 'Delete rule' }));
    const dialog = await screen.findByRole('dialog', {}, slow);
    expect(dialog).toHaveTextContent('Delete "Web load"?');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(mockWorker.sent('DELETE', '/api/v1/alerting/rules/web-load')).toHaveLength(0);

    fireEvent.click(screen.getByRole('button', { name: 'Delete rule' }));
    fireEvent.click(within(await screen.findByRole('dialog', {}, slow)).getByRole('button', { name: 'Delete' }));

    expect(await screen.findByRole('table', { name: 'Alert rules' }, slow)).toBeInTheDocument();
    expect(mockWorker.sent('DELETE', '/api/v1/alerting/rules/web-load')).toHaveLength(1);
  });

  it('stays on the rule and says why when the worker refuses the deletion', async () => {
    mockWorker.answer('DELETE', '/api/v1/alerting/rules/web-load', 404, { error: 'no rule "web-load"' });
    renderAt('/rules/web-load/edit', <Alerts />);
    await previewChart();

    fireEvent.click(screen.getByRole('button', { name: 'Delete rule' }));
    fireEvent.click(within(await screen.findByRole('dialog', {}, slow)).getByRole('button', { name: 'Delete' }));

    expect(await screen.findByText(/no rule "web-load"/, {}, slow)).toBeInTheDocument();
    expect(screen.getByRole('heading', { name: 'Edit Web load' })).toBeInTheDocument();
  });

  it('shows a provisioned rule read-only, still previewed', async () => {
    renderAt('/rules/load-high/edit', <Alerts />);

    expect(await screen.findByText('Provisioned rule', {}, slow)).toBeInTheDocument();
    expect(screen.getByRole('group', { name: 'Rule' })).toBeDisabled();
    expect(screen.queryByRole('button', { name: 'Save rule' })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Delete rule' })).not.toBeInTheDocument();
    await waitFor(() => expect(mockWorker.sent('POST', ALERTING_PATHS.preview)).toHaveLength(1), slow);
  });
});

describe('rule drafts', () => {
  it('round-trip a spec through the form unchanged', () => {
    for (const spec of alerting.rules.rules.map((r) => r.spec)) {
      expect(specFromDraft(draftFromSpec(spec), spec)).toEqual({ reducer: 'last', type: 'alert', ...spec });
    }
  });
});
