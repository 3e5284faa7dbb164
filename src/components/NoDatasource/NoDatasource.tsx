import React from 'react';
import { Alert, Stack, Text, TextLink } from '@grafana/ui';

import { DATASOURCE_ID } from '../../constants';

const PROVISIONING_EXAMPLE = `apiVersion: 1
datasources:
  - name: Mission Control
    uid: missioncontrol
    type: ${DATASOURCE_ID}
    jsonData:
      url: http://localhost:8686
    secureJsonData:
      apiKey: $MISSION_CONTROL_API_KEY`;

/** What every app page shows when Grafana has no Mission Control data source: the app reads the worker through one. */
export function NoDatasource() {
  return (
    <Alert severity="warning" title="No Mission Control data source">
      <Stack direction="column">
        <Text>
          The app reads the worker through a Mission Control data source, and Grafana has none.{' '}
          <TextLink href="/connections/datasources/new">Add one</TextLink> with the worker&apos;s URL and an API key, or
          provision it:
        </Text>
        <pre>{PROVISIONING_EXAMPLE}</pre>
      </Stack>
    </Alert>
  );
}
