import React from 'react';
import { MemoryRouter, Route, Routes } from 'react-router-dom';
import { render, screen } from '@testing-library/react';
import type { AppRootProps } from '@grafana/data';

import App from './App';

describe('App', () => {
  it('sends visitors of the app root to its Configuration page', () => {
    render(
      <MemoryRouter
        initialEntries={['/a/missionctl-missioncontrol-app']}
        future={{ v7_startTransition: true, v7_relativeSplatPath: true }}
      >
        <Routes>
          <Route path="/a/missionctl-missioncontrol-app/*" element={<App {...({} as AppRootProps)} />} />
          <Route path="/plugins/missionctl-missioncontrol-app" element={<p>Plugin settings of Mission Control</p>} />
        </Routes>
      </MemoryRouter>
    );

    expect(screen.getByText('Plugin settings of Mission Control')).toBeInTheDocument();
  });
});
