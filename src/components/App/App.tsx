import React from 'react';
import { Navigate } from 'react-router-dom';
import type { AppRootProps } from '@grafana/data';

import { APP_CONFIG_URL } from '../../constants';

/** The app's one page so far is its Configuration tab in plugin settings, so its root sends visitors there. */
export default function App(_props: AppRootProps) {
  return <Navigate to={APP_CONFIG_URL} replace />;
}
