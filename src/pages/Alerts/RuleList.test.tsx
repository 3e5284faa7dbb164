import React from 'react';
import { fireEvent, screen, within } from '@testing-library/react';
import type { DataSourceInstanceSettings } from '@grafana/data';

import type { MissionControlOptions } from '../../datasource/types';
import { ALERTING_PATHS, type AlertAckSpec, type AlertInstancesResponse } from '../../shared/api';
import * as alerting from '../../test/alertingFixtures';
import * as fixtures from '../../test/fixtures';
import { Alerts } from './Alerts';
import { renderAt, stubObservers } from './testing';

let mockWorker: alerting.AlertingWorker;
let mockDatasources: Array<DataSourceInstanceSettings<MissionControlOptions>>;

jest.mock('@grafana/runtime', () => ({
  ...jest.requireActual('@grafana/runtime'),
  getBackendSrv: () => mockWorker,
  getDataSourceSrv: () => ({ getList: () => mockDatasources }),
}));

beforeAll(stubObservers);

// The grid of every rule is a large tree for role queries; allow for a loaded test machine.
jest.setTimeout(20_000);

beforeEach(() => {
  mockDatasources = [fixtures.datasourceSettings()];
  mockWorker = new alerting.AlertingWorker()
    .answer('GET', ALERTING_PATHS.rules, 200, alerting.rules)
    .answer('GET', ALERTING_PATHS.instances, 200, alerting.instances);
});

/** The instances with a silence on web3's load, as the worker shows one that matches. */
const withWeb3Silenced = ({ instances }: AlertInstancesResponse): AlertInstancesResponse => ({
  instances: instances.map((i) =>
    i.labels.name === 'servers.web3.loadavg.01' && i.ruleUid === 'web-load'
      ? { ...i, silencedBy: [alerting.silences.silences[0].id] }
      : i
  ),
});

const rulesTable = async () => screen.findByRole('table', { name: 'Alert rules' }, { timeout: 5000 });
const ruleRow = (table: HTMLElement, title: string) =>
  within(table).getByRole('link', { name: title }).closest('tr') as HTMLElement;
const squares = (row: HTMLElement) =>
  within(within(row).getByRole('list', { name: 'Instances' }))
    .getAllByRole('button')
    .map((b) => b.getAttribute('aria-label'));

describe('Alerts rule list', () => {
  it('draws one square per instance, most severe first, and counts states per rule', async () => {
    renderAt('', <Alerts />);
    const table = await rulesTable();

    expect(within(table).getAllByRole('rowheader')).toHaveLength(5);
    const webLoad = ruleRow(table, 'Web load');
    expect(squares(webLoad)).toEqual([
      'servers.web3.loadavg.01 team=web alertname=Web load rule_uid=web-load: Alerting',
      'Rule (no data, too few series, query errors): OK',
      'servers.web1.loadavg.01 team=web alertname=Web load rule_uid=web-load: OK',
      'servers.web2.loadavg.01 team=web alertname=Web load rule_uid=web-load: OK',
    ]);
    expect(within(webLoad).getByText('1 Alerting')).toBeInTheDocument();
    expect(within(webLoad).getByText('3 OK')).toBeInTheDocument();
    const appErrors = ruleRow(table, 'Application errors');
    expect(squares(appErrors)).toEqual(['Rule (no data, too few series, query errors): No data']);
    expect(within(ruleRow(table, 'High load')).getByText('Provisioned')).toBeInTheDocument();
    expect(within(ruleRow(table, 'High load')).getByText('Notice')).toBeInTheDocument();
  });

  it('opens an instance’s labels, value, reason, rule and runbook on click', async () => {
    renderAt('', <Alerts />);
    const table = await rulesTable();
    fireEvent.click(within(ruleRow(table, 'Web load')).getAllByRole('button')[0]);

    const details = within(await screen.findByRole('dialog'));
    expect(details.getByText('servers.web3.loadavg.01 team=web alertname=Web load rule_uid=web-load')).toBeVisible();
    const fact = (term: string) => details.getByText(term, { selector: 'dt' }).nextElementSibling?.textContent;
    expect(fact('Value')).toBe('5.45');
    expect(fact('Reason')).toBe('5.45 (last over 5min) >= 2.5');
    expect(details.getByRole('link', { name: 'Web load' })).toHaveAttribute(
      'href',
      '/a/missionctl-missioncontrol-app/alerts/rules/web-load'
    );
    expect(details.getByRole('link', { name: /runbooks\/web-load/ })).toHaveAttribute(
      'href',
      'https://wiki.example.com/runbooks/web-load'
    );
    expect(details.getByText('team=web')).toBeInTheDocument();
    expect(details.getByText('Load on servers.web3.loadavg.01 is 5.45')).toBeInTheDocument();
  });

  it('acknowledges a firing instance for an hour from its details', async () => {
    mockWorker.answer('POST', ALERTING_PATHS.acks, 201, alerting.ackCreated);
    renderAt('', <Alerts />);
    const table = await rulesTable();
    fireEvent.click(within(ruleRow(table, 'Web load')).getAllByRole('button')[0]);
    const details = within(await screen.findByRole('dialog'));
    const before = Math.floor(Date.now() / 1000);
    fireEvent.click(details.getByRole('button', { name: 'Acknowledge for 1 hour' }));

    expect(await details.findByText(/^Acknowledged: no re-notification/)).toBeInTheDocument();
    const sent = mockWorker.sent('POST', ALERTING_PATHS.acks)[0].data as AlertAckSpec;
    expect(sent).toMatchObject({ ruleUid: 'web-load', key: 'name="servers.web3.loadavg.01"' });
    expect(sent.expiresAt - before).toBeGreaterThanOrEqual(3600);
    expect(sent.expiresAt - before).toBeLessThan(3660);
  });

  it('filters by state, keeping only rules with such instances', async () => {
    renderAt('', <Alerts />);
    const table = await rulesTable();
    fireEvent.click(screen.getByRole('button', { name: /^Alerting \(\d+\)$/ }));

    const titles = within(table)
      .getAllByRole('rowheader')
      .map((h) => within(h).getByRole('link').textContent);
    expect(titles).toEqual(['Web load']);
    expect(squares(ruleRow(table, 'Web load'))).toHaveLength(1);
  });

  it('marks silenced and acknowledged instances on the grid, in each square’s name and tooltip', async () => {
    mockWorker.answer('GET', ALERTING_PATHS.instances, 200, withWeb3Silenced(alerting.instancesAcknowledged));
    renderAt('', <Alerts />);
    const table = await rulesTable();

    const webLoad = ruleRow(table, 'Web load');
    expect(squares(webLoad)[0]).toBe(
      'servers.web3.loadavg.01 team=web alertname=Web load rule_uid=web-load: Alerting, silenced'
    );
    expect(
      squares(webLoad)
        .slice(1)
        .every((name) => !/silenced|acknowledged/.test(name ?? ''))
    ).toBe(true);
    expect(squares(ruleRow(table, 'Disk almost full'))).toContain(
      'servers.web2.disk.root.percent_free alertname=Disk almost full rule_uid=disk-full: OK, acknowledged by ben'
    );

    const web3 = within(webLoad).getByRole('button', { name: /web3.*: Alerting, silenced$/ });
    expect(web3.querySelector('svg')).not.toBeNull();
    expect(
      within(webLoad)
        .getByRole('button', { name: /web1.*: OK$/ })
        .querySelector('svg')
    ).toBeNull();
    fireEvent.focus(web3);
    expect(await screen.findByText('Silenced by a silence: no notifications')).toBeInTheDocument();
  });

  it('hides silenced and acknowledged instances, or shows only them, as Grafana’s notification state filter does', async () => {
    mockWorker.answer('GET', ALERTING_PATHS.instances, 200, withWeb3Silenced(alerting.instancesAcknowledged));
    renderAt('', <Alerts />);
    const table = await rulesTable();
    const notifications = within(screen.getByRole('radiogroup', { name: 'Filter by notifications' }));
    const titles = () =>
      within(table)
        .getAllByRole('rowheader')
        .map((h) => h.querySelector('a')?.textContent);

    fireEvent.click(notifications.getByRole('radio', { name: 'Silenced (1)' }));
    expect(titles()).toEqual(['Web load']);
    expect(squares(ruleRow(table, 'Web load'))).toEqual([
      'servers.web3.loadavg.01 team=web alertname=Web load rule_uid=web-load: Alerting, silenced',
    ]);

    fireEvent.click(notifications.getByRole('radio', { name: 'Acknowledged (5)' }));
    expect(titles()).toEqual(['Disk almost full']);

    fireEvent.click(notifications.getByRole('radio', { name: /^Active/ }));
    expect(titles()).not.toContain('Disk almost full');
    expect(squares(ruleRow(table, 'Web load'))).not.toContainEqual(expect.stringMatching(/web3/));
    // With the state filter too: the alerting instance that still pages, of which there is none.
    fireEvent.click(screen.getByRole('button', { name: /^Alerting \(\d+\)$/ }));
    expect(screen.getByText('No rule or instance matches these filters.')).toBeInTheDocument();

    fireEvent.click(notifications.getByRole('radio', { name: 'All' }));
    expect(squares(ruleRow(await rulesTable(), 'Web load'))).toEqual([
      'servers.web3.loadavg.01 team=web alertname=Web load rule_uid=web-load: Alerting, silenced',
    ]);
  });

  it('filters by label and by text', async () => {
    renderAt('', <Alerts />);
    const table = await rulesTable();
    fireEvent.change(screen.getByRole('textbox', { name: 'Label filter' }), { target: { value: 'team=ops' } });
    expect(
      within(table)
        .getAllByRole('rowheader')
        .map((h) => h.querySelector('a')?.textContent)
    ).toEqual(['High load']);

    fireEvent.change(screen.getByRole('textbox', { name: 'Label filter' }), { target: { value: '' } });
    fireEvent.change(screen.getByRole('textbox', { name: 'Search rules and instances' }), { target: { value: 'db1' } });
    expect(
      within(table)
        .getAllByRole('rowheader')
        .map((h) => h.querySelector('a')?.textContent)
    ).toEqual(['High load', 'Disk almost full']);
    expect(squares(ruleRow(table, 'High load'))).toEqual([
      'servers.db1.loadavg.01 team=ops alertname=High load rule_uid=load-high: OK',
    ]);
  });

  it('moves between rules, silences and notifiers with the tabs', async () => {
    mockWorker
      .answer('GET', ALERTING_PATHS.silences, 200, alerting.silences)
      .answer('GET', ALERTING_PATHS.acks, 200, alerting.acks)
      .answer('GET', ALERTING_PATHS.notifiers, 200, alerting.notifiers);
    renderAt('', <Alerts />);
    await rulesTable();

    fireEvent.click(screen.getByRole('tab', { name: 'Silences' }));
    expect(await screen.findByRole('form', { name: 'New silence' })).toBeInTheDocument();
    expect(screen.getByRole('tab', { name: 'Silences' })).toHaveAttribute('aria-selected', 'true');
    fireEvent.click(screen.getByRole('tab', { name: 'Notifiers' }));
    expect(await screen.findByRole('region', { name: 'Notifier ops-mail' })).toBeInTheDocument();
    fireEvent.click(screen.getByRole('tab', { name: 'Rules' }));
    expect(await rulesTable()).toBeInTheDocument();
  });

  it('says why the list could not load', async () => {
    mockWorker.worker.stop();
    renderAt('', <Alerts />);
    expect(await screen.findByText('Could not load the alert rules')).toBeInTheDocument();
    expect(screen.getByText(/Grafana could not connect to the worker/)).toBeInTheDocument();
  });
});
