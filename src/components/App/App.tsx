import React from 'react';
import { Navigate, Route, Routes } from 'react-router-dom';
import type { AppRootProps } from '@grafana/data';

import { Alerts } from '../../pages/Alerts/Alerts';
import { Inventory } from '../../pages/Inventory/Inventory';
import { Overview } from '../../pages/Overview/Overview';
import { ROUTES } from '../../constants';
import type { AppSettings } from '../AppConfig/AppConfig';

/** The app's pages, under /a/<app id>/. Its Configuration page lives in plugin settings (see module.tsx). */
export default function App({ meta }: AppRootProps<AppSettings>) {
  return (
    <Routes>
      <Route path={ROUTES.overview} element={<Overview settings={meta.jsonData} />} />
      <Route path={`${ROUTES.inventory}/*`} element={<Inventory settings={meta.jsonData} />} />
      <Route path={`${ROUTES.alerts}/*`} element={<Alerts settings={meta.jsonData} />} />
      <Route path="*" element={<Navigate to={ROUTES.overview} replace />} />
    </Routes>
  );
}
