import React from 'react';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import type { DataSourceInstanceSettings } from '@grafana/data';

import type { MissionControlOptions } from '../../datasource/types';
import { ALERTING_PATHS, type AlertSilenceSpec } from '../../shared/api';
import * as alerting from '../../test/alertingFixtures';
import * as fixtures from '../../test/fixtures';
import { Alerts } from './Alerts';
import { fromLocalInput, parseMatchers, toLocalInput } from './matchers';
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
    .answer('GET', ALERTING_PATHS.silences, 200, { silences: [] })
    .answer('GET', ALERTING_PATHS.acks, 200, alerting.acks)
    .answer('GET', ALERTING_PATHS.rules, 200, alerting.rules);
});

const silenceId = alerting.silenceCreated.id;

describe('Silences', () => {
  it('creates a silence from matchers, times, author and comment, then lists it', async () => {
    mockWorker.answer('POST', ALERTING_PATHS.silences, 201, alerting.silenceCreated);
    renderAt('/silences', <Alerts />);
    expect(await screen.findByText('No silences.')).toBeInTheDocument();

    const form = within(screen.getByRole('form', { name: 'New silence' }));
    fireEvent.change(form.getByLabelText(/^Matchers/), { target: { value: 'name=~servers\\.web3\\..*' } });
    fireEvent.change(form.getByLabelText(/^Ends/), { target: { value: toLocalInput(alerting.silenceCreated.endsAt) } });
    fireEvent.change(form.getByLabelText(/^Author/), { target: { value: 'ana' } });
    fireEvent.change(form.getByLabelText(/^Comment/), { target: { value: 'web3 reindexing until 10:00' } });
    mockWorker.answer('GET', ALERTING_PATHS.silences, 200, alerting.silences);
    fireEvent.click(form.getByRole('button', { name: 'Create silence' }));

    const row = (await screen.findByText('name=~servers\\.web3\\..*')).closest('tr') as HTMLElement;
    expect(within(row).getByText('active')).toBeInTheDocument();
    expect(within(row).getByText('ana')).toBeInTheDocument();
    const sent = mockWorker.sent('POST', ALERTING_PATHS.silences)[0].data as AlertSilenceSpec;
    expect(sent.matchers).toEqual([{ name: 'name', op: '=~', value: 'servers\\.web3\\..*' }]);
    expect(sent.endsAt).toBe(Math.floor(alerting.silenceCreated.endsAt / 60) * 60);
    expect(sent.author).toBe('ana');
  });

  it('shows the worker’s reasons under the fields', async () => {
    mockWorker.answer('POST', ALERTING_PATHS.silences, 400, alerting.silenceInvalid);
    renderAt('/silences', <Alerts />);
    const form = within(await screen.findByRole('form', { name: 'New silence' }));
    fireEvent.click(form.getByRole('button', { name: 'Create silence' }));

    expect(await form.findByText('required: who is silencing')).toBeInTheDocument();
    expect(form.getByText('required: why')).toBeInTheDocument();
    expect(form.getByText('must be after startsAt and in the future')).toBeInTheDocument();
  });

  it('expires an active silence', async () => {
    mockWorker
      .answer('GET', ALERTING_PATHS.silences, 200, alerting.silences)
      .answer('DELETE', `/api/v1/alerting/silences/${silenceId}`, 204, null);
    renderAt('/silences', <Alerts />);
    const expire = await screen.findByRole('button', { name: 'Expire silence name=~servers\\.web3\\..*' });

    mockWorker.answer('GET', ALERTING_PATHS.silences, 200, alerting.silencesAfterExpire);
    fireEvent.click(expire);

    expect(await screen.findByText('expired')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /^Expire silence/ })).not.toBeInTheDocument();
    expect(mockWorker.sent('DELETE', `/api/v1/alerting/silences/${silenceId}`)).toHaveLength(1);
  });

  it('lists acknowledgements and removes one', async () => {
    mockWorker.answer('DELETE', `/api/v1/alerting/acks/${alerting.ackCreated.id}`, 204, null);
    renderAt('/silences', <Alerts />);
    const acks = within(await screen.findByRole('region', { name: 'Acknowledgements' }));
    expect(await acks.findByText('cleaning /var/log')).toBeInTheDocument();
    expect(acks.getByText('every instance')).toBeInTheDocument();

    fireEvent.click(acks.getByRole('button', { name: 'Remove acknowledgement of disk-full' }));
    await waitFor(() =>
      expect(mockWorker.sent('DELETE', `/api/v1/alerting/acks/${alerting.ackCreated.id}`)).toHaveLength(1)
    );
  });
});

describe('Acknowledgements', () => {
  it('acknowledges every instance of a rule until a time', async () => {
    mockWorker.answer('POST', ALERTING_PATHS.acks, 201, alerting.ackCreated);
    renderAt('/silences', <Alerts />);
    const form = within(await screen.findByRole('form', { name: 'New acknowledgement' }));

    // Combobox virtualises its option list, which has no size in jsdom: pick by typing and Enter.
    const rule = form.getByLabelText('Rule');
    fireEvent.click(rule);
    fireEvent.change(rule, { target: { value: 'Disk almost' } });
    fireEvent.keyDown(rule, { key: 'ArrowDown' });
    fireEvent.keyDown(rule, { key: 'Enter' });
    fireEvent.change(form.getByLabelText(/^Expires/), {
      target: { value: toLocalInput(alerting.ackCreated.expiresAt) },
    });
    fireEvent.change(form.getByLabelText(/^Author/), { target: { value: 'ben' } });
    fireEvent.change(form.getByLabelText(/^Comment/), { target: { value: 'cleaning /var/log' } });
    fireEvent.click(form.getByRole('button', { name: 'Acknowledge' }));

    await waitFor(() => expect(mockWorker.sent('POST', ALERTING_PATHS.acks)).toHaveLength(1));
    expect(mockWorker.sent('POST', ALERTING_PATHS.acks)[0].data).toEqual({
      ruleUid: 'disk-full',
      expiresAt: Math.floor(alerting.ackCreated.expiresAt / 60) * 60,
      author: 'ben',
      comment: 'cleaning /var/log',
    });
  });
});

describe('matchers', () => {
  it('parse Alertmanager-style matchers, commas inside regular expressions included', () => {
    expect(parseMatchers('team=ops, name=~web(1,2), env!=dev')).toEqual({
      matchers: [
        { name: 'team', op: '=', value: 'ops' },
        { name: 'name', op: '=~', value: 'web(1,2)' },
        { name: 'env', op: '!=', value: 'dev' },
      ],
      errors: [],
    });
    expect(parseMatchers('web3').errors).toEqual(['web3']);
  });

  it('convert datetime-local values both ways', () => {
    expect(fromLocalInput(toLocalInput(1795336500))).toBe(1795336500);
  });
});
