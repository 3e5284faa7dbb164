import React, { useState } from 'react';
import { Link } from 'react-router-dom';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { Alert, Badge, InlineSwitch, LoadingPlaceholder, Stack, Text, useStyles2 } from '@grafana/ui';

import { parseEntityRef, type InventoryApi } from '../../api/inventory';
import { RENEWAL_SOON_DAYS, type InventoryRenewal } from '../../shared/api';
import { useLoad } from '../../utils/useLoad';
import { getTableStyles } from './InventoryLists';
import { entityUrl } from './paths';

/** Today as the worker's renewal dates are written: a UTC calendar day, which compares as text. */
function today(): string {
  return new Date().toISOString().slice(0, 10);
}

/** Every contract, certificate and registration that runs out, soonest first; those ending within 4 weeks stand out. */
export function Renewals({ api }: { api: InventoryApi }) {
  const styles = useStyles2(getStyles);
  const table = useStyles2(getTableStyles);
  const [soonOnly, setSoonOnly] = useState(false);
  const { value, error } = useLoad(() => api.renewals(), 'renewals');
  if (error) {
    return <Alert title="Could not list the renewals">{error}</Alert>;
  }
  if (!value) {
    return <LoadingPlaceholder text="Loading renewals…" />;
  }
  const soon = value.items.filter((r) => r.endingSoon);
  const shown = soonOnly ? soon : value.items;
  return (
    <Stack direction="column" gap={2}>
      <Stack direction="row" alignItems="center" gap={2} wrap="wrap">
        <Text element="h2" variant="h3">
          Renewals
        </Text>
        <Text color={soon.length > 0 ? 'warning' : 'secondary'}>
          {soon.length} ending within {RENEWAL_SOON_DAYS / 7} weeks
        </Text>
        <InlineSwitch
          label="Only those ending soon"
          showLabel
          value={soonOnly}
          onChange={(e) => setSoonOnly(e.currentTarget.checked)}
        />
      </Stack>
      {shown.length === 0 ? (
        <Text element="p" color="secondary">
          {soonOnly ? 'Nothing ends within 4 weeks.' : 'No renewals are recorded.'}
        </Text>
      ) : (
        <table className={table.table} aria-label="Renewals">
          <thead>
            <tr>
              <th>Ends</th>
              <th>Renewal</th>
              <th>Of</th>
              <th>Started</th>
              <th>Notes</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((r) => (
              <RenewalRow key={r.id} renewal={r} className={r.endingSoon ? styles.soon : undefined} />
            ))}
          </tbody>
        </table>
      )}
    </Stack>
  );
}

function RenewalRow({ renewal: r, className }: { renewal: InventoryRenewal; className?: string }) {
  const ref = parseEntityRef(r.entity);
  return (
    <tr className={className}>
      <td>
        {r.end}{' '}
        {r.endingSoon ? (
          <Badge text="ending within 4 weeks" color="orange" />
        ) : (
          r.end < today() && <Badge text="ended" color="darkgrey" />
        )}
      </td>
      <td>{r.name}</td>
      <td>{ref ? <Link to={entityUrl(ref.kind, ref.key)}>{ref.key}</Link> : r.entity}</td>
      <td>{r.start}</td>
      <td>{r.notes}</td>
    </tr>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  soon: css({ background: theme.colors.warning.transparent }),
});
