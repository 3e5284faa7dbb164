import React, { useState } from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { Alert, Button, FieldSet, Icon, TextLink, useStyles2, type IconName } from '@grafana/ui';

import { checkConnection, type CheckResult, type CheckStatus } from '../../api/checks';
import { MissionControlClient } from '../../api/client';
import type { MissionControlSettings } from '../../api/datasources';

interface Props {
  datasource: MissionControlSettings;
}

const STATUS: Record<CheckStatus, { icon: IconName; text: string }> = {
  ok: { icon: 'check', text: 'OK' },
  failed: { icon: 'times', text: 'Failed' },
  skipped: { icon: 'minus', text: 'Not checked' },
};

/** Runs the worker checks (health, key, readiness) through a data source and shows each result with its fix. */
export function ConnectionTest({ datasource }: Props) {
  const styles = useStyles2(getStyles);
  const [running, setRunning] = useState(false);
  const [results, setResults] = useState<CheckResult[]>();
  const workerUrl = datasource.jsonData.url?.trim() ?? '';
  const editUrl = `/connections/datasources/edit/${encodeURIComponent(datasource.uid)}`;

  const run = async () => {
    setRunning(true);
    setResults(await checkConnection(new MissionControlClient(datasource.uid), workerUrl));
    setRunning(false);
  };

  return (
    <FieldSet label="Connection">
      {workerUrl === '' ? (
        <Alert severity="warning" title={`The data source "${datasource.name}" has no worker URL`}>
          Set the worker URL and API key in <TextLink href={editUrl}>its settings</TextLink>.
        </Alert>
      ) : (
        <Button onClick={run} disabled={running} icon={running ? 'spinner' : 'heart-rate'}>
          Test connection
        </Button>
      )}
      {results && (
        <ul className={styles.results} aria-label="Connection checks">
          {results.map((result) => (
            <li key={result.id} className={styles.result}>
              <Icon name={STATUS[result.status].icon} className={styles[result.status]} aria-hidden />
              <div>
                <strong>{result.label}</strong>: {STATUS[result.status].text}. {result.message}
                {result.fix && <div className={styles.fix}>{result.fix}</div>}
              </div>
            </li>
          ))}
        </ul>
      )}
    </FieldSet>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  results: css({ listStyle: 'none', marginTop: theme.spacing(2) }),
  result: css({ display: 'flex', gap: theme.spacing(1), marginBottom: theme.spacing(1) }),
  fix: css({ color: theme.colors.text.secondary }),
  ok: css({ color: theme.colors.success.text }),
  failed: css({ color: theme.colors.error.text }),
  skipped: css({ color: theme.colors.text.disabled }),
});
