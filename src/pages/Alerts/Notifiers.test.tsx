import React from 'react';
import { fireEvent, screen, within } from '@testing-library/react';
import type { DataSourceInstanceSettings } from '@grafana/data';

import type { MissionControlOptions } from '../../datasource/types';
import { ALERT_SECRET_MASK, ALERTING_PATHS, type AlertNotifierInfo } from '../../shared/api';
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

beforeEach(() => {
  mockDatasources = [fixtures.datasourceSettings()];
  mockWorker = new alerting.AlertingWorker().answer('GET', ALERTING_PATHS.notifiers, 200, alerting.notifiers);
});

const card = async (name: string) => within(await screen.findByRole('region', { name: `Notifier ${name}` }));

describe('Notifiers', () => {
  it('shows settings, with secrets only as configured', async () => {
    renderAt('/notifiers', <Alerts />);

    const sms = await card('on-call-sms');
    expect(sms.getByText('+15550101')).toBeInTheDocument();
    expect(sms.getByText('AC0123456789')).toBeInTheDocument();
    expect(sms.getByText('configured')).toBeInTheDocument();
    expect(screen.queryByText(ALERT_SECRET_MASK)).not.toBeInTheDocument();
    expect(sms.getByText('Provisioned')).toBeInTheDocument();
    expect(sms.queryByRole('button', { name: 'Save' })).not.toBeInTheDocument();
  });

  it('sends a test and says why it failed', async () => {
    mockWorker.answer('POST', '/api/v1/alerting/notifiers/ops-mail/test', 200, alerting.notifierTestMail);
    renderAt('/notifiers', <Alerts />);
    const mail = await card('ops-mail');
    fireEvent.click(mail.getByRole('button', { name: 'Send test' }));

    expect(await mail.findByText('Test failed')).toBeInTheDocument();
    expect(mail.getByText('no mail server: configure the worker\'s "smtp" section')).toBeInTheDocument();
  });

  it('keeps a secret unless it is reset, and sends a new one once typed', async () => {
    // The recorded Slack notifier, as if made through the API rather than provisioned.
    const chat: AlertNotifierInfo = { ...alerting.notifiers.notifiers[1], provisioned: false };
    const saved: AlertNotifierInfo = { ...chat };
    mockWorker
      .answer('GET', ALERTING_PATHS.notifiers, 200, { notifiers: [chat] })
      .answer('PUT', '/api/v1/alerting/notifiers/ops-chat', 200, saved);
    renderAt('/notifiers', <Alerts />);
    const form = await card('ops-chat');

    fireEvent.click(form.getByRole('button', { name: 'Save' }));
    await form.findByText('Saved.');
    expect(mockWorker.sent('PUT', '/api/v1/alerting/notifiers/ops-chat')[0].data).toEqual({
      name: 'ops-chat',
      type: 'slack',
      settings: { url: ALERT_SECRET_MASK },
    });

    fireEvent.click(form.getByRole('button', { name: 'Reset' }));
    fireEvent.change(form.getByLabelText('url'), { target: { value: 'https://hooks.slack.com/services/T1/B2/new' } });
    fireEvent.click(form.getByRole('button', { name: 'Save' }));
    await screen.findAllByText('Saved.');
    const puts = mockWorker.sent('PUT', '/api/v1/alerting/notifiers/ops-chat');
    expect(puts).toHaveLength(2);
    expect(puts[1].data).toEqual({
      name: 'ops-chat',
      type: 'slack',
      settings: { url: 'https://hooks.slack.com/services/T1/B2/new' },
    });
  });
});
