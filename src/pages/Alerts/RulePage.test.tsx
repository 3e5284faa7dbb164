import React from 'react';
import { screen, within } from '@testing-library/react';
import type { DataSourceInstanceSettings } from '@grafana/data';

import type { MissionControlOptions } from '../../datasource/types';
import { ALERTING_PATHS } from '../../shared/api';
import * as alerting from '../../test/alertingFixtures';
import * as fixtures from '../../test/fixtures';
import { Alerts } from './Alerts';
import { describeCondition } from './RulePage';
import { renderAt, stubObservers } from './testing';

let mockWorker: alerting.AlertingWorker;
let mockDatasources: Array<DataSourceInstanceSettings<MissionControlOptions>>;

jest.mock('@grafana/runtime', () => ({
  ...jest.requireActual('@grafana/runtime'),
  getBackendSrv: () => mockWorker,
  getDataSourceSrv: () => ({ getList: () => mockDatasources }),
}));

beforeAll(stubObservers);

beforeEach(() => {
  mockDatasources = [fixtures.datasourceSettings()];
  mockWorker = new alerting.AlertingWorker()
    .answer('GET', '/api/v1/alerting/rules/web-load', 200, alerting.webLoad)
    .answer('GET', '/api/v1/alerting/rules/load-high', 200, alerting.loadHigh)
    .answer('GET', ALERTING_PATHS.history, 200, alerting.webLoadHistory)
    .answer('GET', ALERTING_PATHS.notifications, 200, { notifications: [] })
    .answer('POST', ALERTING_PATHS.preview, 200, alerting.preview);
});

describe('Rule page', () => {
  it('draws the query over 24 h and 7 d with the threshold and recovery lines', async () => {
    renderAt('/rules/web-load', <Alerts />);

    expect(await screen.findByRole('heading', { name: 'Web load' })).toBeInTheDocument();
    const day = await screen.findByRole('img', { name: 'Last 24 hours of 3 series, threshold 2.5, recovery 2' });
    expect(day.querySelectorAll('polyline')).toHaveLength(3);
    expect(within(day).getByTestId('threshold')).toBeInTheDocument();
    expect(within(day).getByTestId('recovery-threshold')).toBeInTheDocument();
    expect(screen.getByRole('img', { name: /^Last 7 days of 3 series/ })).toBeInTheDocument();
    const previews = mockWorker.sent('POST', ALERTING_PATHS.preview).map((r) => r.data);
    expect(previews).toEqual([
      { rule: alerting.webLoad.spec, range: 86400 },
      { rule: alerting.webLoad.spec, range: 604800 },
    ]);
    expect(within(screen.getByRole('list', { name: 'Last 24 hours legend' })).getAllByRole('listitem')).toHaveLength(3);
  });

  it('lists the state history and says when nothing was sent', async () => {
    renderAt('/rules/web-load', <Alerts />);

    const history = await screen.findByRole('region', { name: 'State history' });
    const cells = within(history)
      .getAllByRole('cell')
      .map((c) => c.textContent);
    expect(cells.slice(1)).toEqual([
      'servers.web3.loadavg.01 team=web alertname=Web load rule_uid=web-load',
      'OK → Alerting',
      '5.45',
      '5.45 (last over 5min) >= 2.5',
    ]);
    expect(
      within(screen.getByRole('region', { name: 'Notifications' })).getByText('Nothing sent for this rule.')
    ).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Edit rule' })).toHaveAttribute(
      'href',
      '/a/missionctl-missioncontrol-app/alerts/rules/web-load/edit'
    );
  });

  it('shows a provisioned rule as read-only and lists failed notifications', async () => {
    mockWorker.answer('GET', ALERTING_PATHS.notifications, 200, alerting.notifications);
    renderAt('/rules/load-high', <Alerts />);

    expect(await screen.findByText(/Provisioned: change it in the worker/)).toBeInTheDocument();
    expect(screen.queryByRole('link', { name: 'Edit rule' })).not.toBeInTheDocument();
    const sent = within(screen.getByRole('region', { name: 'Notifications' }));
    expect(sent.getAllByText(/^failed: no mail server/).length).toBeGreaterThan(0);
  });

  it('describes conditions in words', () => {
    expect(describeCondition(alerting.loadHigh.spec)).toBe('avg over 5min ≥ 4, recovers past 3; for 5min');
    expect(describeCondition({ ...alerting.loadHigh.spec, condition: undefined, minSeries: 3, for: '2min' })).toBe(
      'fewer than 3 series reporting; for 2min'
    );
  });
});
