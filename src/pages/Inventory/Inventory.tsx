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
 * from the worker behind the app's data source (entity pages read its alert instances too). Rendered under the app's `inventory/*` route.
 */
export function Inventory({ settings }: Props) {
  const datasourceUid = settings?.datasourceUid;
  const choice = useMemo(() => chooseDatasource(listMissionControlDatasources(), datasourceUid), [datasourceUid]);
  const uid = choice.datasource?.uid;
  const client = useMemo(() => (uid ? new MissionControlClient(uid) : undefined), [uid]);
  if (!client) {
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
        <Route index element={<InventoryLists api={client.inventory} />} />
        <Route path="renewals" element={<Renewals api={client.inventory} />} />
        <Route path="request-alias" element={<AliasRequest api={client.inventory} />} />
        <Route path=":kind/:key" element={<EntityPage api={client.inventory} alerting={client.alerting} />} />
      </Routes>
    </PluginPage>
  );
}
