import React from 'react';
import { MemoryRouter } from 'react-router-dom';
import { of } from 'rxjs';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { PluginType, type AppPluginMeta, type DataSourceInstanceSettings } from '@grafana/data';
import type { BackendSrvRequest } from '@grafana/runtime';

import type { MissionControlOptions } from '../../datasource/types';
import { API_PATHS } from '../../shared/api';
import * as fixtures from '../../test/fixtures';
import { FakeWorker } from '../../test/fakeWorker';
import { reloadPage } from '../../utils/reloadPage';
import AppConfig, { type AppConfigProps, type AppSettings } from './AppConfig';

let mockWorker: FakeWorker;
let mockDatasources: Array<DataSourceInstanceSettings<MissionControlOptions>>;
const mockSaveSettings = jest.fn();

jest.mock('@grafana/runtime', () => ({
  ...jest.requireActual('@grafana/runtime'),
  // Grafana's own API (plugin settings) and the worker behind the data source proxy share getBackendSrv().
  getBackendSrv: () => ({
    fetch: (options: BackendSrvRequest) =>
      options.url.startsWith('/api/plugins/') ? mockSaveSettings(options) : mockWorker.fetch(options),
  }),
  getDataSourceSrv: () => ({ getList: () => mockDatasources }),
}));

jest.mock('../../utils/reloadPage', () => ({ reloadPage: jest.fn() }));

const prod = fixtures.datasourceSettings();
const staging = fixtures.datasourceSettings({
  uid: 'mc-staging',
  name: 'Mission Control (staging)',
  jsonData: { url: 'http://staging.internal:8686' },
});

function renderConfig(jsonData: AppSettings = {}) {
  const props = {
    plugin: {
      meta: {
        id: 'missionctl-missioncontrol-app',
        name: 'Mission Control',
        type: PluginType.app,
        enabled: true,
        pinned: true,
        jsonData,
      } as AppPluginMeta<AppSettings>,
    },
    query: {},
  } as unknown as AppConfigProps;
  // Grafana renders plugin settings inside its router; links in the page need one.
  render(
    <MemoryRouter future={{ v7_startTransition: true, v7_relativeSplatPath: true }}>
      <AppConfig {...props} />
    </MemoryRouter>
  );
}

function healthyWorker(uid = 'mc-prod'): FakeWorker {
  return new FakeWorker(uid)
    .answer(API_PATHS.health, 200, fixtures.health)
    .answer(API_PATHS.whoami, 200, fixtures.readerKey)
    .answer(API_PATHS.ready, 200, fixtures.ready);
}

async function runConnectionTest(): Promise<HTMLElement[]> {
  fireEvent.click(screen.getByRole('button', { name: /Test connection/ }));
  const list = await screen.findByRole('list', { name: 'Connection checks' });
  return within(list).getAllByRole('listitem');
}

beforeEach(() => {
  jest.clearAllMocks();
  mockWorker = healthyWorker();
  mockDatasources = [prod];
});

describe('AppConfig', () => {
  it('explains how to add or provision a data source when there is none', () => {
    mockDatasources = [];

    renderConfig();

    expect(screen.getByText('No Mission Control data source')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Add one' })).toHaveAttribute('href', '/connections/datasources/new');
    expect(screen.getByText(/type: missionctl-missioncontrol-datasource/)).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /Test connection/ })).not.toBeInTheDocument();
  });

  it('names the data source the app uses', () => {
    renderConfig();

    expect(
      screen.getByText('The app uses "Mission Control (prod)", the only Mission Control data source.')
    ).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Save' })).not.toBeInTheDocument();
  });

  it('shows each check passing when the worker is healthy', async () => {
    renderConfig();

    const [worker, key, store] = await runConnectionTest();

    expect(worker).toHaveTextContent(`Worker: OK. The worker at ${fixtures.WORKER_URL} is up.`);
    expect(key).toHaveTextContent('API key: OK. The key "ef73ac322b94b4a2" is valid (scopes: read).');
    expect(store).toHaveTextContent('Store: OK. The store accepts writes and serves reads.');
  });

  it('shows which check failed and how to fix it', async () => {
    mockWorker = healthyWorker()
      .answer(API_PATHS.whoami, 200, fixtures.ingestOnlyKey)
      .answer(API_PATHS.ready, 503, fixtures.starting);
    renderConfig();

    const [worker, key, store] = await runConnectionTest();

    expect(worker).toHaveTextContent('Worker: OK.');
    expect(key).toHaveTextContent(
      'API key: Failed. The key "152982d9205fa0f7" has the scopes ingest, but queries need "read".'
    );
    expect(key).toHaveTextContent('Create a worker key with the "read" scope');
    expect(store).toHaveTextContent('Store: Failed. The store is still starting: store (replaying write-ahead log');
  });

  it('does not check the key or the store when the worker is down', async () => {
    mockWorker = healthyWorker().stop();
    renderConfig();

    const [worker, key, store] = await runConnectionTest();

    expect(worker).toHaveTextContent('Worker: Failed. Grafana cannot reach the worker');
    expect(worker).toHaveTextContent('Start the worker, or correct the Worker URL.');
    expect(key).toHaveTextContent('API key: Not checked.');
    expect(store).toHaveTextContent('Store: Not checked.');
  });

  it('sends to the data source settings when the worker URL is missing', () => {
    mockDatasources = [fixtures.datasourceSettings({ jsonData: {} })];

    renderConfig();

    expect(screen.getByText('The data source "Mission Control (prod)" has no worker URL')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'its settings' })).toHaveAttribute(
      'href',
      '/connections/datasources/edit/mc-prod'
    );
  });

  it('lets the admin choose among several data sources, test the choice and save it', async () => {
    mockDatasources = [prod, staging];
    mockWorker = healthyWorker('mc-staging').stop();
    mockSaveSettings.mockReturnValue(of({ data: { message: 'Plugin settings updated' }, status: 200 }));
    renderConfig({ datasourceUid: 'mc-prod' });

    expect(screen.getByText('The app uses "Mission Control (prod)", as saved here.')).toBeInTheDocument();
    expect(screen.getByRole('radio', { name: /Mission Control \(prod\)/ })).toBeChecked();
    expect(screen.queryByRole('button', { name: 'Save' })).not.toBeInTheDocument();

    fireEvent.click(screen.getByRole('radio', { name: /Mission Control \(staging\)/ }));
    const [worker] = await runConnectionTest();
    expect(worker).toHaveTextContent('Grafana cannot reach the worker at http://staging.internal:8686');

    fireEvent.click(screen.getByRole('button', { name: 'Save' }));

    expect(mockSaveSettings).toHaveBeenCalledWith(
      expect.objectContaining({
        url: '/api/plugins/missionctl-missioncontrol-app/settings',
        method: 'POST',
        data: { enabled: true, pinned: true, jsonData: { datasourceUid: 'mc-staging' } },
      })
    );
    await waitFor(() => expect(reloadPage).toHaveBeenCalled());
  });

  it('says when the saved data source is gone and which one the app falls back to', () => {
    renderConfig({ datasourceUid: 'deleted' });

    expect(
      screen.getByText(
        'The data source saved here no longer exists, so the app uses "Mission Control (prod)". Save to confirm, or choose another.'
      )
    ).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Save' })).toBeInTheDocument();
  });
});
