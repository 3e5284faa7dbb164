import React from 'react';
import { MemoryRouter, Route, Routes } from 'react-router-dom';
import { render, screen } from '@testing-library/react';
import type { AppRootProps, DataSourceInstanceSettings } from '@grafana/data';

import App from '../../components/App/App';
import type { MissionControlOptions } from '../../datasource/types';
import pluginJson from '../../plugin.json';
import * as fixtures from '../../test/fixtures';
import { INVENTORY_URL, RENEWALS_URL, entityUrl } from './paths';
import * as inv from './testdata/inventory';
import { ReplayWorker } from './testdata/replay';

let mockWorker: ReplayWorker;
let mockDatasources: Array<DataSourceInstanceSettings<MissionControlOptions>>;

jest.mock('@grafana/runtime', () => ({
  ...jest.requireActual('@grafana/runtime'),
  getBackendSrv: () => mockWorker,
  getDataSourceSrv: () => ({ getList: () => mockDatasources }),
}));

beforeEach(() => {
  mockDatasources = [fixtures.datasourceSettings()];
  mockWorker = new ReplayWorker('mc-prod', inv.successes);
});

/** The app as Grafana mounts it under /a/<app id>/, so that these tests go through App's routes. */
function renderApp(url: string) {
  return render(
    <MemoryRouter initialEntries={[url]} future={{ v7_startTransition: true, v7_relativeSplatPath: true }}>
      <Routes>
        <Route
          path={`/a/${pluginJson.id}/*`}
          element={<App {...({ meta: { jsonData: {} } } as unknown as AppRootProps)} />}
        />
      </Routes>
    </MemoryRouter>
  );
}

describe('Inventory in the app', () => {
  it('is a page of the app’s navigation at the path its routes serve', () => {
    const page = pluginJson.includes.find((i) => i.name === 'Inventory');
    expect(page?.path?.replace('%PLUGIN_ID%', pluginJson.id)).toBe(INVENTORY_URL);
  });

  it('serves the lists under the app', async () => {
    renderApp(INVENTORY_URL);
    expect(await screen.findByRole('table', { name: 'Servers' })).toBeInTheDocument();
  });

  it('serves an entity’s page and the renewals under the app', async () => {
    const { unmount } = renderApp(entityUrl('alias', 'blog.ctl.example.edu'));
    expect(await screen.findByRole('heading', { name: 'Alias blog.ctl.example.edu' })).toBeInTheDocument();
    unmount();

    renderApp(RENEWALS_URL);
    expect(await screen.findByRole('table', { name: 'Renewals' })).toBeInTheDocument();
  });

  it('says how to add a data source when Grafana has none', async () => {
    mockDatasources = [];
    renderApp(INVENTORY_URL);
    expect(await screen.findByText('No Mission Control data source')).toBeInTheDocument();
  });
});
