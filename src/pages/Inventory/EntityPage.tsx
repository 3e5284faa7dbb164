import React, { useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { dateTimeFormat } from '@grafana/data';
import {
  Alert,
  Badge,
  Button,
  Field,
  Input,
  LinkButton,
  LoadingPlaceholder,
  Stack,
  Text,
  TextArea,
  TextLink,
  useStyles2,
} from '@grafana/ui';

import type { AlertingApi } from '../../api/alerting';
import type { InventoryApi } from '../../api/inventory';
import {
  INVENTORY_KINDS,
  type AliasDetail,
  type ApplicationDetail,
  type InventoryContact,
  type InventoryKind,
  type InventoryNote,
  type InventoryRenewal,
  type LocationDetail,
  type ServerDetail,
} from '../../shared/api';
import { useLoad } from '../../utils/useLoad';
import { AliasActions } from './AliasActions';
import { EntityAlerts } from './EntityAlerts';
import { DeleteEntity, EditEntity } from './EntityEdit';
import { EntityGraphs } from './EntityGraphs';
import { ApiErrorText, fieldError } from './errors';
import { getTableStyles } from './InventoryLists';
import { aliasRequestUrl, entityUrl, listUrl } from './paths';
import { StatusBadge } from './StatusBadge';

type Detail = LocationDetail | ServerDetail | ApplicationDetail | AliasDetail;

const KIND_LABELS: Record<InventoryKind, string> = {
  location: 'Location',
  server: 'Server',
  application: 'Application',
  alias: 'Alias',
};

/** One entity with everything known about it: the page to open when something is wrong with it. */
export function EntityPage({ api, alerting }: { api: InventoryApi; alerting: AlertingApi }) {
  const params = useParams();
  const kind = INVENTORY_KINDS.find((k) => k === params.kind);
  const key = params.key ?? '';
  // The entity being edited, so that the form closes when the page moves on to another entity.
  const [editing, setEditing] = useState<string>();
  // Changes made on the page bump the version, which loads the entity again.
  const [version, setVersion] = useState(0);
  const reload = () => setVersion((v) => v + 1);
  const { value, error, loading } = useLoad<Detail | undefined>(
    () => (kind ? api.detail(kind, key) : Promise.resolve(undefined)),
    `${kind}|${key}|${version}`
  );
  if (!kind) {
    return <Alert title={`There is no inventory kind "${params.kind}"`}>Open the inventory lists instead.</Alert>;
  }
  if (error) {
    return (
      <Alert title={`Could not load ${kind} ${key}`}>
        {error}. <Link to={listUrl(kind === 'location' ? 'server' : kind)}>Back to the list</Link>
      </Alert>
    );
  }
  // While another entity loads the previous one stays in `value`: show it only while reloading the same one (after a
  // change on the page), so that forms and mail results stay put. The worker lowercases names, hence the comparison.
  if (!value || (loading && value.entity.toLowerCase() !== `${kind}:${key}`.toLowerCase())) {
    return <LoadingPlaceholder text={`Loading ${key}…`} />;
  }
  return (
    <Stack direction="column" gap={3}>
      <Link to={listUrl(kind === 'location' ? 'server' : kind)}>Back to the inventory</Link>
      <Stack direction="row" alignItems="center" gap={1} wrap="wrap">
        <Text element="h2" variant="h3">
          {KIND_LABELS[kind]} {key}
        </Text>
        {'status' in value && <StatusBadge status={value.status} />}
        {'lifecycle' in value && <StatusBadge status={value.lifecycle} />}
      </Stack>
      <Stack direction="row" gap={1} wrap="wrap">
        <Button
          variant="secondary"
          icon="pen"
          onClick={() => setEditing(editing === value.entity ? undefined : value.entity)}
        >
          Edit
        </Button>
        <DeleteEntity key={value.entity} api={api} kind={kind} entityKey={key} />
      </Stack>
      {editing === value.entity ? (
        <EditEntity
          key={value.entity}
          api={api}
          kind={kind}
          detail={value}
          onSaved={() => {
            setEditing(undefined);
            reload();
          }}
          onCancel={() => setEditing(undefined)}
        />
      ) : (
        'description' in value && value.description && <Text element="p">{value.description}</Text>
      )}
      <Details detail={value} />
      {kind === 'alias' && <AliasActions api={api} alias={value as AliasDetail} onChange={reload} />}
      <Relations api={api} detail={value} onChange={reload} />
      {'contacts' in value && <Contacts contacts={value.contacts} />}
      <Notes api={api} entity={value.entity} notes={value.notes} onAdded={reload} />
      <Renewals renewals={value.renewals} />
      {(kind === 'server' || kind === 'application') && (
        <EntityAlerts alerting={alerting} entity={value as ServerDetail | ApplicationDetail} />
      )}
      {(kind === 'server' || kind === 'application') && (
        <section aria-label="Graphs">
          <Text element="h3" variant="h4">
            Graphs
          </Text>
          {'seriesTarget' in value && value.seriesTarget ? (
            <EntityGraphs api={api} kind={kind} entity={value.entity} target={value.seriesTarget} revision={version} />
          ) : (
            <Text element="p" color="secondary">
              No series are tied to this {kind}: set its <code>series</code> (labels such as <code>host=web1</code>, or
              a Graphite glob) to see its graphs here.
            </Text>
          )}
        </section>
      )}
    </Stack>
  );
}

/** The entity's own fields, in the order a person reads them; empty ones are left out. */
function Details({ detail }: { detail: Detail }) {
  const styles = useStyles2(getTableStyles);
  const rows: Array<[string, React.ReactNode]> = [];
  const add = (label: string, value: React.ReactNode) => {
    if (value !== undefined && value !== null && value !== '') {
      rows.push([label, value]);
    }
  };
  if ('hostname' in detail) {
    add('Role', detail.role);
    add('Environment', detail.environment);
    add('Location', detail.location && <Link to={entityUrl('location', detail.location)}>{detail.location}</Link>);
    add('Provider', [detail.provider, detail.instanceId].filter(Boolean).join(' '));
    add('OS', detail.os);
    add(
      'Size',
      [
        detail.cpus !== undefined && `${detail.cpus} CPU`,
        detail.memoryGb !== undefined && `${detail.memoryGb} GB memory`,
        detail.diskGb !== undefined && `${detail.diskGb} GB disk`,
      ]
        .filter(Boolean)
        .join(', ')
    );
    add(
      'Addresses',
      detail.addresses
        .map((a) => [a.address, a.interface, a.mac && `MAC ${a.mac}`].filter(Boolean).join(' '))
        .join('; ')
    );
    add('Series', detail.series);
  } else if ('lifecycle' in detail) {
    add('Technology', detail.technology);
    add('Owner', detail.owner);
    add('Repository', detail.repository);
    add(
      'Runbook',
      detail.runbook && (
        <TextLink href={detail.runbook} external>
          {detail.runbook}
        </TextLink>
      )
    );
    add('Error tracker', detail.errorTracker);
    add('Series', detail.series);
  } else if ('fqdn' in detail) {
    add('Record type', detail.type);
    add('Requested by', detail.requestedBy);
    add('Registrar', detail.registrar);
    add('DNS managed by', detail.dnsManagedBy);
  }
  if (rows.length === 0) {
    return null;
  }
  return (
    <table className={styles.table} aria-label="Details">
      <tbody>
        {rows.map(([label, value]) => (
          <tr key={label}>
            <th scope="row">{label}</th>
            <td>{value}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Who runs where under which name: the cross-references the Master Server Grid made people do by hand. */
function Relations({ api, detail, onChange }: { api: InventoryApi; detail: Detail; onChange: () => void }) {
  if ('hostname' in detail) {
    return (
      <section aria-label="Relations">
        <Text element="h3" variant="h4">
          Applications and aliases
        </Text>
        <LinkList
          empty="No application is deployed on this server."
          items={detail.applications.map((a) => ({
            kind: 'application' as const,
            key: a.application,
            suffix: a.environment,
          }))}
        />
        <DeployForm api={api} server={detail.hostname} onDeployed={onChange} />
        <LinkList
          empty="No alias points at this server."
          items={detail.aliases.map((fqdn) => ({ kind: 'alias' as const, key: fqdn }))}
        />
        <LinkButton variant="secondary" size="sm" icon="envelope" href={aliasRequestUrl(detail.hostname)}>
          Request an alias for this server
        </LinkButton>
      </section>
    );
  }
  if ('lifecycle' in detail) {
    return (
      <section aria-label="Relations">
        <Text element="h3" variant="h4">
          Servers and aliases
        </Text>
        <LinkList
          empty="Not deployed on any server."
          items={detail.servers.map((d) => ({ kind: 'server' as const, key: d.server, suffix: d.environment }))}
        />
        <LinkList
          empty="Answers under no alias."
          items={detail.aliases.map((fqdn) => ({ kind: 'alias' as const, key: fqdn }))}
        />
      </section>
    );
  }
  if ('fqdn' in detail) {
    return (
      <section aria-label="Relations">
        <Text element="h3" variant="h4">
          Points at
        </Text>
        <p>{detail.server ? <Link to={entityUrl('server', detail.server)}>{detail.server}</Link> : detail.target}</p>
        <LinkList
          empty="No application answers under this alias."
          items={detail.applications.map((name) => ({ kind: 'application' as const, key: name }))}
        />
      </section>
    );
  }
  return (
    <section aria-label="Relations">
      <Text element="h3" variant="h4">
        Servers here
      </Text>
      <LinkList
        empty="No server is at this location."
        items={detail.servers.map((hostname) => ({ kind: 'server' as const, key: hostname }))}
      />
    </section>
  );
}

function LinkList({
  items,
  empty,
}: {
  items: Array<{ kind: InventoryKind; key: string; suffix?: string }>;
  empty: string;
}) {
  if (items.length === 0) {
    return (
      <Text element="p" color="secondary">
        {empty}
      </Text>
    );
  }
  return (
    <ul>
      {items.map((i) => (
        <li key={`${i.kind}:${i.key}:${i.suffix ?? ''}`}>
          <Link to={entityUrl(i.kind, i.key)}>{i.key}</Link> {i.suffix && <Badge text={i.suffix} color="blue" />}
        </li>
      ))}
    </ul>
  );
}

/** Attaches an application to the server; the worker checks that both exist and the pair is new. */
function DeployForm({ api, server, onDeployed }: { api: InventoryApi; server: string; onDeployed: () => void }) {
  const [application, setApplication] = useState('');
  const [environment, setEnvironment] = useState('production');
  const [error, setError] = useState<unknown>();
  const apps = useLoad(() => api.list('application'), 'applications');
  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    setError(undefined);
    try {
      await api.deploy(application.trim(), { server, environment: environment.trim() });
      setApplication('');
      onDeployed();
    } catch (err) {
      setError(err);
    }
  };
  const invalidApp = fieldError(error, 'application') ?? fieldError(error, 'name');
  return (
    <form aria-label="Deploy an application" onSubmit={submit}>
      <Stack direction="row" gap={1} alignItems="flex-start" wrap="wrap">
        <Field label="Application" invalid={!!invalidApp} error={invalidApp}>
          <Input
            id="inventory-deploy-application"
            width={24}
            list="inventory-applications"
            value={application}
            onChange={(e) => setApplication(e.currentTarget.value)}
          />
        </Field>
        <datalist id="inventory-applications">
          {apps.value?.items.map((a) => (
            <option key={a.name} value={a.name} />
          ))}
        </datalist>
        <Field
          label="Environment"
          invalid={!!fieldError(error, 'environment')}
          error={fieldError(error, 'environment')}
        >
          <Input
            id="inventory-deploy-environment"
            width={16}
            value={environment}
            onChange={(e) => setEnvironment(e.currentTarget.value)}
          />
        </Field>
        <Field label=" ">
          <Button type="submit" variant="secondary" disabled={application.trim() === ''}>
            Deploy
          </Button>
        </Field>
      </Stack>
      <ApiErrorText error={error} />
    </form>
  );
}

function Contacts({ contacts }: { contacts: InventoryContact[] }) {
  const styles = useStyles2(getTableStyles);
  return (
    <section aria-label="Contacts">
      <Text element="h3" variant="h4">
        Contacts
      </Text>
      {contacts.length === 0 ? (
        <Text element="p" color="secondary">
          Nobody to call is recorded.
        </Text>
      ) : (
        <table className={styles.table}>
          <thead>
            <tr>
              <th>Name</th>
              <th>Role</th>
              <th>E-mail</th>
              <th>Phone</th>
            </tr>
          </thead>
          <tbody>
            {contacts.map((c, i) => (
              <tr key={i}>
                <td>{c.name}</td>
                <td>{c.role}</td>
                <td>{c.email && <TextLink href={`mailto:${c.email}`}>{c.email}</TextLink>}</td>
                <td>{c.phone}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

/** Notes, pinned first then newest first, with a box to add one: the change log people keep while working. */
function Notes({
  api,
  entity,
  notes,
  onAdded,
}: {
  api: InventoryApi;
  entity: string;
  notes: InventoryNote[];
  onAdded: () => void;
}) {
  const [body, setBody] = useState('');
  const [error, setError] = useState<unknown>();
  const [saving, setSaving] = useState(false);
  const sorted = [...notes].sort((a, b) => Number(b.pinned) - Number(a.pinned) || b.time - a.time);
  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    setSaving(true);
    setError(undefined);
    try {
      await api.addNote({ entity, body: body.trim() });
      setBody('');
      onAdded();
    } catch (err) {
      setError(err);
    }
    setSaving(false);
  };
  return (
    <section aria-label="Notes">
      <Text element="h3" variant="h4">
        Notes
      </Text>
      {sorted.length === 0 ? (
        <Text element="p" color="secondary">
          No notes yet.
        </Text>
      ) : (
        <ul aria-label="Notes list">
          {sorted.map((n) => (
            <li key={n.id}>
              <Text variant="bodySmall" color="secondary">
                {dateTimeFormat(n.time * 1000)} · {n.author}
              </Text>{' '}
              {n.pinned && <Badge text="pinned" color="purple" />}
              <div style={{ whiteSpace: 'pre-wrap' }}>{n.body}</div>
            </li>
          ))}
        </ul>
      )}
      <form aria-label="Add a note" onSubmit={submit}>
        <Field label="New note" invalid={!!fieldError(error, 'body')} error={fieldError(error, 'body')}>
          <TextArea id="inventory-new-note" rows={3} value={body} onChange={(e) => setBody(e.currentTarget.value)} />
        </Field>
        <ApiErrorText error={error} />
        <Button type="submit" variant="secondary" disabled={saving || body.trim() === ''}>
          Add note
        </Button>
      </form>
    </section>
  );
}

function Renewals({ renewals }: { renewals: InventoryRenewal[] }) {
  if (renewals.length === 0) {
    return null;
  }
  return (
    <section aria-label="Renewals">
      <Text element="h3" variant="h4">
        Renewals
      </Text>
      <ul>
        {renewals.map((r) => (
          <li key={r.id}>
            {r.name}: {r.start} to {r.end} {r.endingSoon && <Badge text="ending within 4 weeks" color="orange" />}
            {r.notes && (
              <Text element="p" color="secondary">
                {r.notes}
              </Text>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
