import React, { useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { Alert, Button, ConfirmModal, Field, Input, RadioButtonGroup, Stack, TextArea } from '@grafana/ui';

import type { InventoryApi } from '../../api/inventory';
import {
  ALIAS_STATUSES,
  APPLICATION_LIFECYCLES,
  SERVER_STATUSES,
  type AliasDetail,
  type ApplicationDetail,
  type InventoryKind,
  type LocationDetail,
  type ServerDetail,
} from '../../shared/api';
import { ApiErrorText, fieldError } from './errors';
import { entityUrl, listUrl } from './paths';

type Detail = LocationDetail | ServerDetail | ApplicationDetail | AliasDetail;

interface EditableField {
  name: string;
  label: string;
  /** Sent as a number; the worker says what is wrong with one that is not. */
  numeric?: boolean;
  options?: readonly string[];
  multiline?: boolean;
  description?: string;
}

const SERIES: EditableField = {
  name: 'series',
  label: 'Series',
  description: 'Labels of its series (host=web1) or a Graphite glob (servers.web1.*)',
};

/**
 * The fields a person corrects on the page, key first (changing it renames the entity). Lists have their own forms or
 * YAML; an alias's record type and target are changed through the DNS workflow, which mails the hostmaster.
 */
const EDITABLE: Record<InventoryKind, readonly EditableField[]> = {
  location: [
    { name: 'name', label: 'Name' },
    { name: 'description', label: 'Description', multiline: true },
  ],
  server: [
    { name: 'hostname', label: 'Hostname' },
    { name: 'description', label: 'Description', multiline: true },
    { name: 'role', label: 'Role' },
    { name: 'environment', label: 'Environment' },
    { name: 'location', label: 'Location' },
    { name: 'provider', label: 'Provider' },
    { name: 'instanceId', label: 'Instance id' },
    { name: 'os', label: 'OS' },
    { name: 'cpus', label: 'CPUs', numeric: true },
    { name: 'memoryGb', label: 'Memory (GB)', numeric: true },
    { name: 'diskGb', label: 'Disk (GB)', numeric: true },
    { name: 'status', label: 'Status', options: SERVER_STATUSES },
    SERIES,
  ],
  application: [
    { name: 'name', label: 'Name' },
    { name: 'description', label: 'Description', multiline: true },
    { name: 'technology', label: 'Technology' },
    { name: 'repository', label: 'Repository' },
    { name: 'owner', label: 'Owner' },
    { name: 'runbook', label: 'Runbook', description: 'An http(s) URL' },
    { name: 'errorTracker', label: 'Error tracker' },
    { name: 'lifecycle', label: 'Lifecycle', options: APPLICATION_LIFECYCLES },
    SERIES,
  ],
  alias: [
    { name: 'fqdn', label: 'FQDN' },
    { name: 'status', label: 'Status', options: ALIAS_STATUSES },
    { name: 'registrar', label: 'Registrar' },
    { name: 'dnsManagedBy', label: 'DNS managed by' },
    { name: 'description', label: 'Description', multiline: true },
  ],
};

function text(detail: Detail, field: string): string {
  const value = (detail as unknown as Record<string, unknown>)[field];
  return value === undefined || value === null ? '' : String(value);
}

/**
 * Only what the person changed, so that a field someone else changed meanwhile is not written back; an emptied field
 * is cleared with null, as the worker's PATCH takes it.
 */
export function changedFields(
  fields: readonly EditableField[],
  detail: Detail,
  values: Record<string, string>
): Record<string, unknown> {
  const patch: Record<string, unknown> = {};
  for (const f of fields) {
    const value = values[f.name].trim();
    if (value === text(detail, f.name)) {
      continue;
    }
    if (value === '') {
      patch[f.name] = null;
    } else if (f.numeric && Number.isFinite(Number(value))) {
      patch[f.name] = Number(value);
    } else {
      patch[f.name] = value;
    }
  }
  return patch;
}

/** Edits the entity's own fields; the worker checks them all and says which is wrong under it. */
export function EditEntity({
  api,
  kind,
  detail,
  onSaved,
  onCancel,
}: {
  api: InventoryApi;
  kind: InventoryKind;
  detail: Detail;
  onSaved: () => void;
  onCancel: () => void;
}) {
  const navigate = useNavigate();
  const fields = EDITABLE[kind];
  const [values, setValues] = useState(() => Object.fromEntries(fields.map((f) => [f.name, text(detail, f.name)])));
  const [error, setError] = useState<unknown>();
  const [saving, setSaving] = useState(false);
  const set = (name: string, value: string) => setValues({ ...values, [name]: value });
  const keyName = fields[0].name;

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    const patch = changedFields(fields, detail, values);
    if (Object.keys(patch).length === 0) {
      onCancel();
      return;
    }
    setSaving(true);
    setError(undefined);
    try {
      const saved = await api.update(kind, text(detail, keyName), patch);
      const key = text(saved, keyName);
      if (key !== text(detail, keyName)) {
        navigate(entityUrl(kind, key), { replace: true });
      }
      onSaved();
    } catch (err) {
      setError(err);
      setSaving(false);
    }
  };

  return (
    <form aria-label={`Edit ${kind}`} onSubmit={submit}>
      <Stack direction="row" gap={2} alignItems="flex-start" wrap="wrap">
        {fields.map((f) => {
          const id = `inventory-edit-${f.name}`;
          const invalid = fieldError(error, f.name);
          return (
            <Field
              key={f.name}
              label={f.label}
              description={f.description}
              invalid={!!invalid}
              error={invalid}
              required={f.name === keyName}
            >
              {f.options ? (
                <RadioButtonGroup
                  options={f.options.map((o) => ({ label: o, value: o }))}
                  value={values[f.name]}
                  onChange={(v: string) => set(f.name, v)}
                />
              ) : f.multiline ? (
                <TextArea
                  id={id}
                  cols={60}
                  rows={2}
                  value={values[f.name]}
                  onChange={(e) => set(f.name, e.currentTarget.value)}
                />
              ) : (
                <Input
                  id={id}
                  width={f.numeric ? 12 : 32}
                  value={values[f.name]}
                  onChange={(e) => set(f.name, e.currentTarget.value)}
                />
              )}
            </Field>
          );
        })}
      </Stack>
      <ApiErrorText error={error} />
      <Stack direction="row" gap={1}>
        <Button type="submit" disabled={saving}>
          Save
        </Button>
        <Button variant="secondary" fill="text" onClick={onCancel}>
          Cancel
        </Button>
      </Stack>
    </form>
  );
}

const CONSEQUENCES: Record<InventoryKind, string> = {
  location: 'Its notes and renewals are deleted with it.',
  server: 'Its notes and renewals are deleted with it, and the applications deployed on it lose that deployment.',
  application: 'Its notes and renewals are deleted with it.',
  alias: 'Its notes and renewals are deleted with it, and the applications answering under it lose that link.',
};

/**
 * Deletes the entity after asking. The worker refuses while others refer to it (aliases pointing at a server, servers
 * at a location) and names them; that answer stays on the page so the person can go and change those first.
 */
export function DeleteEntity({ api, kind, entityKey }: { api: InventoryApi; kind: InventoryKind; entityKey: string }) {
  const navigate = useNavigate();
  const [asking, setAsking] = useState(false);
  const [error, setError] = useState<unknown>();
  const remove = async () => {
    setAsking(false);
    setError(undefined);
    try {
      await api.remove(kind, entityKey);
      navigate(listUrl(kind === 'location' ? 'server' : kind));
    } catch (err) {
      setError(err);
    }
  };
  return (
    <>
      <Button variant="destructive" icon="trash-alt" onClick={() => setAsking(true)}>
        Delete
      </Button>
      <ConfirmModal
        isOpen={asking}
        title={`Delete ${entityKey}?`}
        body={`The ${kind} ${entityKey} is removed from the inventory.`}
        description={`${CONSEQUENCES[kind]} The history keeps a record of the deletion.`}
        confirmText="Delete"
        onConfirm={remove}
        onDismiss={() => setAsking(false)}
      />
      {error !== undefined && (
        // A line of its own below the buttons.
        <div style={{ flexBasis: '100%' }}>
          <Alert severity="error" title="Not deleted">
            {error instanceof Error ? error.message : String(error)}
          </Alert>
        </div>
      )}
    </>
  );
}
