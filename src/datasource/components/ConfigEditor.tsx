import React, { type ChangeEvent } from 'react';
import {
  onUpdateDatasourceSecureJsonDataOption,
  updateDatasourcePluginResetOption,
  type DataSourcePluginOptionsEditorProps,
} from '@grafana/data';
import { Field, FieldSet, Input, SecretInput } from '@grafana/ui';

import type { MissionControlOptions, MissionControlSecureJsonData } from '../types';

type Props = DataSourcePluginOptionsEditorProps<MissionControlOptions, MissionControlSecureJsonData>;

/** Grafana's proxy interpolates the URL into the route as is, so it needs a scheme to be a usable target. */
export function workerUrlProblem(url: string): string | undefined {
  if (url === '') {
    return undefined;
  }
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? undefined : 'Use an http:// or https:// URL.';
  } catch {
    return 'Not a URL. Write it in full, for example http://localhost:8686.';
  }
}

/**
 * Where the worker is and which key Grafana's proxy sends to it. The key goes to secureJsonData: Grafana encrypts it
 * on save and from then on only reports that it is set (secureJsonFields), so the browser never sees it again.
 */
export function ConfigEditor(props: Props) {
  const { options, onOptionsChange } = props;
  const url = options.jsonData.url ?? '';
  const urlProblem = workerUrlProblem(url);

  const onUrlChange = (event: ChangeEvent<HTMLInputElement>) => {
    onOptionsChange({ ...options, jsonData: { ...options.jsonData, url: event.currentTarget.value.trim() } });
  };

  return (
    <FieldSet label="Mission Control worker">
      <Field
        label="Worker URL"
        description="Where the Grafana server reaches the worker's HTTP API. Requests go from the Grafana server, not from your browser."
        htmlFor="missioncontrol-worker-url"
        invalid={urlProblem !== undefined}
        error={urlProblem}
        required
      >
        <Input
          id="missioncontrol-worker-url"
          width={60}
          value={url}
          placeholder="http://localhost:8686"
          onChange={onUrlChange}
        />
      </Field>
      <Field
        label="API key"
        description='A worker key with the "read" scope. Grafana stores it encrypted and adds it to every request to the worker.'
        htmlFor="missioncontrol-api-key"
      >
        <SecretInput
          id="missioncontrol-api-key"
          width={60}
          isConfigured={Boolean(options.secureJsonFields?.apiKey)}
          value={options.secureJsonData?.apiKey ?? ''}
          placeholder="Worker API key"
          onChange={onUpdateDatasourceSecureJsonDataOption(props, 'apiKey')}
          onReset={() => updateDatasourcePluginResetOption(props, 'apiKey')}
        />
      </Field>
    </FieldSet>
  );
}
