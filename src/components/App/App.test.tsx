import React from 'react';
import { MemoryRouter, Route, Routes } from 'react-router-dom';
import { render, screen } from '@testing-library/react';
import type { AppRootProps } from '@grafana/data';

import App from './App';

jest.mock('@grafana/runtime', () => ({
  ...jest.requireActual('@grafana/runtime'),
  getDataSourceSrv: () => ({ getList: () => [] }),
}));

describe('App', () => {
  it('opens the Overview page at the app’s root', async () => {
    render(
      <MemoryRouter
        initialEntries={['/a/missionctl-missioncontrol-app']}
        future={{ v7_startTransition: true, v7_relativeSplatPath: true }}
      >
        <Routes>
          <Route
            path="/a/missionctl-missioncontrol-app/*"
            element={<App {...({ meta: { jsonData: {} } } as unknown as AppRootProps)} />}
          />
        </Routes>
      </MemoryRouter>
    );

    // With no data source to read the worker through, the Overview says how to add one.
    expect(await screen.findByText('No Mission Control data source')).toBeInTheDocument();
  });
});
