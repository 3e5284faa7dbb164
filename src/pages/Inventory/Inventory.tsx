import React, { useMemo } from 'react';
import { Route, Routes } from 'react-router-dom';
import { PluginPage } from '@grafana/runtime';

import { MissionControlClient } from '../../api/client';
import { chooseDatasource, listMissionControlDatasources } from '../../api/datasources';
import type { AppSettings } from '../../components/AppConfig/AppConfig';
import { NoDatasource } from '../../components/NoDatasource/NoDatasource';
import { AliasRequest } from './AliasRequest';
import { EntityPage } from './EntityPage';
import { InventoryLists } from './InventoryLists';
import { Renewals } from './Renewals';

interface Props {
  settings?: AppSettings;
}

/**
 * The inventory (Plexus in Grafana): the lists, each entity's page, the renewals and the alias request form, all read
 * from the worker behind the app's data source. Rendered under the app's `inventory/*` route.
 */
export function Inventory({ settings }: Props) {
  const datasourceUid = settings?.datasourceUid;
  const choice = useMemo(() => chooseDatasource(listMissionControlDatasources(), datasourceUid), [datasourceUid]);
  const uid = choice.datasource?.uid;
  const api = useMemo(() => (uid ? new MissionControlClient(uid).inventory : undefined), [uid]);
  if (!api) {
    return (
      <PluginPage>
        <NoDatasource />
      </PluginPage>
    );
  }
  return (
    <PluginPage>
      {/* Keyed by the data source, so that every page loads afresh from another worker. */}
      <Routes key={uid}>
        <Route index element={<InventoryLists api={api} />} />
        <Route path="renewals" element={<Renewals api={api} />} />
        <Route path="request-alias" element={<AliasRequest api={api} />} />
        <Route path=":kind/:key" element={<EntityPage api={api} />} />
      </Routes>
    </PluginPage>
  );
}
