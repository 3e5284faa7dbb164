import React, { useMemo, useState } from 'react';
import { lastValueFrom } from 'rxjs';
import type { AppPluginMeta, PluginConfigPageProps } from '@grafana/data';
import { getBackendSrv, isFetchError } from '@grafana/runtime';
import { Alert, Button, Field, FieldSet, RadioButtonList, Stack, Text } from '@grafana/ui';

import { chooseDatasource, listMissionControlDatasources, type DatasourceChoice } from '../../api/datasources';
import { APP_ID } from '../../constants';
import { reloadPage } from '../../utils/reloadPage';
import { ConnectionTest } from '../ConnectionTest/ConnectionTest';
import { NoDatasource } from '../NoDatasource/NoDatasource';

/** The app's own settings (jsonData). */
export interface AppSettings {
  /** The Mission Control data source the app's pages use; see chooseDatasource for the fallback. */
  datasourceUid?: string;
}

export type AppConfigProps = PluginConfigPageProps<AppPluginMeta<AppSettings>>;

function explain({ datasource, reason, candidates }: DatasourceChoice): string {
  const name = `"${datasource?.name}"`;
  switch (reason) {
    case 'saved':
      return `The app uses ${name}, as saved here.`;
    case 'only':
      return `The app uses ${name}, the only Mission Control data source.`;
    case 'default':
      return `The app uses ${name}, Grafana's default data source and one of ${candidates.length} Mission Control data sources. Choose another and save to change it.`;
    case 'first':
      return `The app uses ${name}, the first of ${candidates.length} Mission Control data sources. Choose another and save to change it.`;
    default:
      return `The data source saved here no longer exists, so the app uses ${name}. Save to confirm, or choose another.`;
  }
}

function saveErrorMessage(err: unknown): string {
  if (isFetchError(err)) {
    return typeof err.data?.message === 'string' ? err.data.message : `Grafana answered HTTP ${err.status}.`;
  }
  return err instanceof Error ? err.message : String(err);
}

/** The Configuration tab of the app's plugin settings: which data source the app uses, and whether it works. */
export default function AppConfig({ plugin }: AppConfigProps) {
  const { enabled, pinned, jsonData } = plugin.meta;
  const choice = useMemo(() => chooseDatasource(listMissionControlDatasources(), jsonData?.datasourceUid), [jsonData]);
  const [selectedUid, setSelectedUid] = useState(choice.datasource?.uid);
  const [saving, setSaving] = useState(false);
  const [saveError, setSaveError] = useState<string>();
  const selected = choice.candidates.find((ds) => ds.uid === selectedUid);

  if (!selected) {
    return <NoDatasource />;
  }

  const save = async () => {
    setSaving(true);
    setSaveError(undefined);
    try {
      await lastValueFrom(
        getBackendSrv().fetch({
          url: `/api/plugins/${APP_ID}/settings`,
          method: 'POST',
          data: { enabled, pinned, jsonData: { ...jsonData, datasourceUid: selected.uid } },
          showErrorAlert: false,
        })
      );
      reloadPage();
    } catch (err) {
      setSaveError(saveErrorMessage(err));
      setSaving(false);
    }
  };

  // With one data source there is nothing to choose, unless the saved choice points at a deleted one.
  const choosable = choice.candidates.length > 1 || choice.reason === 'saved-missing';
  const unsaved = selected.uid !== jsonData?.datasourceUid;

  return (
    <Stack direction="column" gap={2}>
      <FieldSet label="Data source">
        <Text element="p">{explain(choice)}</Text>
        {choice.candidates.length > 1 && (
          <Field label="Data source the app uses">
            <RadioButtonList
              name="missioncontrol-datasource"
              options={choice.candidates.map((ds) => ({ label: ds.name, value: ds.uid, description: ds.jsonData.url }))}
              value={selected.uid}
              onChange={setSelectedUid}
            />
          </Field>
        )}
        {choosable && unsaved && (
          <Button onClick={save} disabled={saving}>
            Save
          </Button>
        )}
        {saveError && (
          <Alert severity="error" title="Settings not saved">
            {saveError}
          </Alert>
        )}
      </FieldSet>
      <ConnectionTest key={selected.uid} datasource={selected} />
    </Stack>
  );
}
