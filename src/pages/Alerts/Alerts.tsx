import React, { useMemo } from 'react';
import { Route, Routes, useLocation, useNavigate } from 'react-router-dom';
import { PluginPage } from '@grafana/runtime';
import { Stack, Tab, TabsBar } from '@grafana/ui';

import { MissionControlClient } from '../../api/client';
import { chooseDatasource, listMissionControlDatasources } from '../../api/datasources';
import type { AlertingApi } from '../../api/alerting';
import type { AppSettings } from '../../components/AppConfig/AppConfig';
import { NoDatasource } from '../../components/NoDatasource/NoDatasource';
import { alertsUrl } from './paths';
import { RuleEditorPage } from './RuleEditor';
import { RuleList } from './RuleList';
import { Notifiers } from './Notifiers';
import { RulePage } from './RulePage';
import { Silences } from './Silences';

interface Props {
  settings?: AppSettings;
}

/**
 * The Alerts page and its sub-pages (rules, a rule, the rule editor, silences and acknowledgements, notifiers), mounted
 * at `alerts/*` by App.tsx. The routes below are relative to that mount; links use alertsUrl (paths.ts).
 */
export function Alerts({ settings }: Props) {
  const datasourceUid = settings?.datasourceUid;
  const choice = useMemo(() => chooseDatasource(listMissionControlDatasources(), datasourceUid), [datasourceUid]);
  const api = useMemo(
    () => (choice.datasource ? new MissionControlClient(choice.datasource.uid).alerting : undefined),
    [choice.datasource]
  );
  return <PluginPage>{api ? <AlertsPages api={api} /> : <NoDatasource />}</PluginPage>;
}

const TABS = [
  { label: 'Rules', path: '' },
  { label: 'Silences', path: 'silences' },
  { label: 'Notifiers', path: 'notifiers' },
] as const;

function AlertsPages({ api }: { api: AlertingApi }) {
  const navigate = useNavigate();
  const location = useLocation();
  // The tab whose path the current location ends in; rule pages (rules/...) belong to "Rules".
  const active = TABS.find((tab) => tab.path !== '' && location.pathname.split('/').includes(tab.path))?.path ?? '';
  return (
    <Stack direction="column" gap={2}>
      <TabsBar>
        {TABS.map((tab) => (
          <Tab
            key={tab.path}
            label={tab.label}
            active={active === tab.path}
            onChangeTab={() => navigate(tab.path === '' ? alertsUrl.list() : `${alertsUrl.list()}/${tab.path}`)}
          />
        ))}
      </TabsBar>
      <Routes>
        <Route index element={<RuleList api={api} />} />
        <Route path="rules/new" element={<RuleEditorPage api={api} />} />
        <Route path="rules/:uid" element={<RulePage api={api} />} />
        <Route path="rules/:uid/edit" element={<RuleEditorPage api={api} />} />
        <Route path="silences" element={<Silences api={api} />} />
        <Route path="notifiers" element={<Notifiers api={api} />} />
      </Routes>
    </Stack>
  );
}
