import React, { useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import {
  Alert,
  Button,
  Field,
  Icon,
  Input,
  LinkButton,
  LoadingPlaceholder,
  RadioButtonGroup,
  Stack,
  Tab,
  TabsBar,
  Text,
  useStyles2,
} from '@grafana/ui';

import type { InventoryApi } from '../../api/inventory';
import {
  ALIAS_STATUSES,
  APPLICATION_LIFECYCLES,
  SERVER_STATUSES,
  type AliasItem,
  type ApplicationItem,
  type ServerItem,
} from '../../shared/api';
import { useLoad } from '../../utils/useLoad';
import { ApiErrorText, fieldError } from './errors';
import { LIST_TABS, RENEWALS_URL, aliasRequestUrl, entityUrl, type ListTab } from './paths';
import { SearchResults } from './SearchResults';
import { StatusBadge } from './StatusBadge';

const TAB_LABELS: Record<ListTab, string> = { server: 'Servers', application: 'Applications', alias: 'Aliases' };

/** The field each tab filters on, and its values: what a person scanning the list asks first. */
const STATUS_FILTERS: Record<ListTab, { field: string; values: readonly string[] }> = {
  server: { field: 'status', values: SERVER_STATUSES },
  application: { field: 'lifecycle', values: APPLICATION_LIFECYCLES },
  alias: { field: 'status', values: ALIAS_STATUSES },
};

/**
 * One box that searches the whole inventory, then servers, applications and aliases, one tab each, filtered by the
 * worker. The search, the tab and the filters live in the URL, so that a result can be shared and Back returns to it.
 */
export function InventoryLists({ api }: { api: InventoryApi }) {
  const [params, setParams] = useSearchParams();
  const tab: ListTab = LIST_TABS.find((t) => t === params.get('tab')) ?? 'server';
  const q = params.get('q') ?? '';
  const search = params.get('search') ?? '';
  const status = params.get('status') ?? '';
  const [text, setText] = useState(q);
  const [searchText, setSearchText] = useState(search);
  const [adding, setAdding] = useState(false);

  const update = (changes: Record<string, string>, replace = true) => {
    const next = new URLSearchParams(params);
    Object.entries(changes).forEach(([k, v]) => (v ? next.set(k, v) : next.delete(k)));
    setParams(next, { replace });
  };
  const filter = STATUS_FILTERS[tab];

  const searchForm = (
    <form
      role="search"
      aria-label="Whole inventory"
      onSubmit={(e) => {
        e.preventDefault();
        update({ search: searchText.trim() }, false);
      }}
    >
      <Stack direction="row" gap={1} alignItems="flex-end">
        <Field label="Search the whole inventory" noMargin>
          <Input
            id="inventory-search-all"
            width={60}
            prefix={<Icon name="search" />}
            value={searchText}
            placeholder="hostname, IP address, FQDN, application, owner, note…"
            onChange={(e) => setSearchText(e.currentTarget.value)}
          />
        </Field>
        <Button type="submit" variant="secondary">
          Search
        </Button>
        {search && (
          <Button
            variant="secondary"
            fill="text"
            onClick={() => {
              setSearchText('');
              update({ search: '' }, false);
            }}
          >
            Back to the lists
          </Button>
        )}
      </Stack>
    </form>
  );
  if (search) {
    return (
      <Stack direction="column" gap={2}>
        {searchForm}
        <SearchResults api={api} q={search} />
      </Stack>
    );
  }

  return (
    <Stack direction="column" gap={2}>
      {searchForm}
      <Stack direction="row" justifyContent="space-between" alignItems="center" wrap="wrap">
        <TabsBar>
          {LIST_TABS.map((t) => (
            <Tab
              key={t}
              label={TAB_LABELS[t]}
              active={t === tab}
              onChangeTab={() => {
                setText('');
                update({ tab: t, q: '', status: '' });
              }}
            />
          ))}
        </TabsBar>
        <Stack direction="row" gap={1}>
          <LinkButton variant="secondary" icon="calendar-alt" href={RENEWALS_URL}>
            Renewals
          </LinkButton>
          <LinkButton variant="secondary" icon="envelope" href={aliasRequestUrl()}>
            Request an alias
          </LinkButton>
          {tab === 'server' && (
            <Button icon="plus" onClick={() => setAdding(!adding)}>
              Add server
            </Button>
          )}
        </Stack>
      </Stack>
      {tab === 'server' && adding && <NewServerForm api={api} onCancel={() => setAdding(false)} />}
      <form
        role="search"
        aria-label={TAB_LABELS[tab]}
        onSubmit={(e) => {
          e.preventDefault();
          update({ q: text.trim() });
        }}
      >
        <Stack direction="row" gap={2} alignItems="flex-end" wrap="wrap">
          <Field label={`Filter the ${TAB_LABELS[tab].toLowerCase()}`} noMargin>
            <Input
              id="inventory-search"
              width={40}
              value={text}
              placeholder="hostname, name, FQDN, owner…"
              onChange={(e) => setText(e.currentTarget.value)}
            />
          </Field>
          <Field label={filter.field === 'lifecycle' ? 'Lifecycle' : 'Status'} noMargin>
            <RadioButtonGroup
              options={[{ label: 'All', value: '' }, ...filter.values.map((v) => ({ label: v, value: v }))]}
              value={status}
              onChange={(v) => update({ status: v })}
            />
          </Field>
        </Stack>
      </form>
      <EntityList api={api} tab={tab} q={q} filter={status ? `${filter.field}=${status}` : undefined} />
    </Stack>
  );
}

function EntityList({ api, tab, q, filter }: { api: InventoryApi; tab: ListTab; q: string; filter?: string }) {
  const query = { q, filter: filter ? [filter] : [] };
  const { value, error, loading } = useLoad(() => api.list(tab, query), `${tab}|${q}|${filter ?? ''}`);
  if (error) {
    return <Alert title={`Could not list the ${TAB_LABELS[tab].toLowerCase()}`}>{error}</Alert>;
  }
  if (!value || (loading && value.items.length === 0)) {
    return <LoadingPlaceholder text="Loading…" />;
  }
  if (value.items.length === 0) {
    return (
      <Text element="p" color="secondary">
        {q || filter ? 'Nothing matches.' : `No ${TAB_LABELS[tab].toLowerCase()} yet.`}
      </Text>
    );
  }
  // While the next answer loads the previous one stays, so the list may briefly be another tab's.
  if (tab === 'server' && 'hostname' in value.items[0]) {
    return <EntityTable label="Servers" columns={SERVER_COLUMNS} items={value.items as ServerItem[]} />;
  }
  if (tab === 'application' && 'lifecycle' in value.items[0]) {
    return <EntityTable label="Applications" columns={APPLICATION_COLUMNS} items={value.items as ApplicationItem[]} />;
  }
  if (tab === 'alias' && 'fqdn' in value.items[0]) {
    return <EntityTable label="Aliases" columns={ALIAS_COLUMNS} items={value.items as AliasItem[]} />;
  }
  return <LoadingPlaceholder text="Loading…" />;
}

/** One column of a list: its header and what a row shows in it. */
interface Column<T> {
  header: string;
  cell: (item: T) => React.ReactNode;
}

function EntityTable<T extends { id: number | string }>(props: {
  label: string;
  columns: Array<Column<T>>;
  items: T[];
}) {
  const styles = useStyles2(getTableStyles);
  return (
    <table className={styles.table} aria-label={props.label}>
      <thead>
        <tr>
          {props.columns.map((c) => (
            <th key={c.header}>{c.header}</th>
          ))}
        </tr>
      </thead>
      <tbody>
        {props.items.map((item) => (
          <tr key={item.id}>
            {props.columns.map((c) => (
              <td key={c.header}>{c.cell(item)}</td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

const SERVER_COLUMNS: Array<Column<ServerItem>> = [
  { header: 'Hostname', cell: (s) => <Link to={entityUrl('server', s.hostname)}>{s.hostname}</Link> },
  { header: 'Role', cell: (s) => s.role },
  { header: 'Environment', cell: (s) => s.environment },
  { header: 'Location', cell: (s) => s.location },
  { header: 'Addresses', cell: (s) => s.addresses.map((a) => a.address).join(', ') },
  { header: 'Status', cell: (s) => <StatusBadge status={s.status} /> },
];

const APPLICATION_COLUMNS: Array<Column<ApplicationItem>> = [
  { header: 'Name', cell: (a) => <Link to={entityUrl('application', a.name)}>{a.name}</Link> },
  { header: 'Technology', cell: (a) => a.technology },
  { header: 'Owner', cell: (a) => a.owner },
  { header: 'Servers', cell: (a) => a.servers.length },
  { header: 'Lifecycle', cell: (a) => <StatusBadge status={a.lifecycle} /> },
];

const ALIAS_COLUMNS: Array<Column<AliasItem>> = [
  { header: 'FQDN', cell: (a) => <Link to={entityUrl('alias', a.fqdn)}>{a.fqdn}</Link> },
  { header: 'Type', cell: (a) => a.type },
  {
    header: 'Points at',
    cell: (a) => (a.server ? <Link to={entityUrl('server', a.server)}>{a.server}</Link> : a.target),
  },
  { header: 'Status', cell: (a) => <StatusBadge status={a.status} /> },
];

/** The fields a new server needs to be useful; the rest (addresses, contacts, sizes) can follow in YAML. */
function NewServerForm({ api, onCancel }: { api: InventoryApi; onCancel: () => void }) {
  const navigate = useNavigate();
  const [fields, setFields] = useState({ hostname: '', role: '', environment: '', location: '', series: '' });
  const [error, setError] = useState<unknown>();
  const [saving, setSaving] = useState(false);
  const set = (name: keyof typeof fields) => (e: React.FormEvent<HTMLInputElement>) =>
    setFields({ ...fields, [name]: e.currentTarget.value });
  const invalid = (name: string) => fieldError(error, name);

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    setSaving(true);
    setError(undefined);
    try {
      // Empty optional fields are left out rather than sent empty, which the worker would reject.
      const optional = Object.fromEntries(
        Object.entries(fields)
          .filter(([k, v]) => k !== 'hostname' && v.trim() !== '')
          .map(([k, v]) => [k, v.trim()])
      );
      const server = await api.create('server', {
        hostname: fields.hostname.trim(),
        ...optional,
        status: 'active',
        addresses: [],
        contacts: [],
      });
      navigate(entityUrl('server', server.hostname));
    } catch (err) {
      setError(err);
      setSaving(false);
    }
  };

  return (
    <form aria-label="New server" onSubmit={submit}>
      <Stack direction="row" gap={2} alignItems="flex-start" wrap="wrap">
        <Field label="Hostname" required invalid={!!invalid('hostname')} error={invalid('hostname')}>
          <Input
            width={32}
            id="inventory-new-server-hostname"
            value={fields.hostname}
            onChange={set('hostname')}
            placeholder="web1.example.net"
          />
        </Field>
        <Field label="Role" invalid={!!invalid('role')} error={invalid('role')}>
          <Input
            width={16}
            id="inventory-new-server-role"
            value={fields.role}
            onChange={set('role')}
            placeholder="web"
          />
        </Field>
        <Field label="Environment" invalid={!!invalid('environment')} error={invalid('environment')}>
          <Input
            width={16}
            id="inventory-new-server-environment"
            value={fields.environment}
            onChange={set('environment')}
            placeholder="production"
          />
        </Field>
        <Field label="Location" invalid={!!invalid('location')} error={invalid('location')}>
          <Input width={16} id="inventory-new-server-location" value={fields.location} onChange={set('location')} />
        </Field>
        <Field
          label="Series"
          description="Labels of its series (host=web1) or a glob"
          invalid={!!invalid('series')}
          error={invalid('series')}
        >
          <Input
            width={24}
            id="inventory-new-server-series"
            value={fields.series}
            onChange={set('series')}
            placeholder="host=web1"
          />
        </Field>
      </Stack>
      <ApiErrorText error={error} />
      <Stack direction="row" gap={1}>
        <Button type="submit" disabled={saving || fields.hostname.trim() === ''}>
          Create server
        </Button>
        <Button variant="secondary" fill="text" onClick={onCancel}>
          Cancel
        </Button>
      </Stack>
    </form>
  );
}

export const getTableStyles = (theme: GrafanaTheme2) => ({
  table: css({
    width: '100%',
    borderCollapse: 'collapse',
    'th, td': {
      padding: theme.spacing(0.75, 1),
      borderBottom: `1px solid ${theme.colors.border.weak}`,
      textAlign: 'left',
      fontWeight: theme.typography.fontWeightRegular,
    },
    'thead th': { color: theme.colors.text.secondary, fontWeight: theme.typography.fontWeightMedium },
    a: { color: theme.colors.text.link },
  }),
});
