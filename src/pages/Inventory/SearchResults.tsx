import React from 'react';
import { Link } from 'react-router-dom';
import { Alert, Badge, LoadingPlaceholder, Text, useStyles2 } from '@grafana/ui';

import type { InventoryApi } from '../../api/inventory';
import { useLoad } from '../../utils/useLoad';
import { getTableStyles } from './InventoryLists';
import { entityUrl } from './paths';

/**
 * What the worker's search found across the whole inventory (servers, applications, aliases, locations, and the
 * notes and renewals on them), best first, each with the fields where the words were found: a hostname, an address,
 * an FQDN, a contact, a note.
 */
export function SearchResults({ api, q }: { api: InventoryApi; q: string }) {
  const styles = useStyles2(getTableStyles);
  const { value, error, loading } = useLoad(() => api.search(q), q);
  if (error) {
    return <Alert title="Could not search the inventory">{error}</Alert>;
  }
  if (!value || loading) {
    return <LoadingPlaceholder text={`Searching for ${q}…`} />;
  }
  const count = value.results.length;
  return (
    <section aria-label="Search results">
      <Text element="p" color="secondary">
        {count === 0 ? `Nothing in the inventory matches “${q}”.` : `${count} found for “${q}”`}
      </Text>
      {count > 0 && (
        <table className={styles.table} aria-label="Found">
          <thead>
            <tr>
              <th>Kind</th>
              <th>Name</th>
              <th>Where it matched</th>
            </tr>
          </thead>
          <tbody>
            {value.results.map((r) => (
              <tr key={r.entity}>
                <td>
                  <Badge text={r.kind} color="blue" />
                </td>
                <td>
                  <Link to={entityUrl(r.kind, r.key)}>{r.key}</Link>
                </td>
                <td>
                  {r.matches.map((m, i) => (
                    <div key={i}>
                      <Text color="secondary">{m.field}:</Text>{' '}
                      <span style={{ whiteSpace: 'pre-wrap' }}>{m.value}</span>
                    </div>
                  ))}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
