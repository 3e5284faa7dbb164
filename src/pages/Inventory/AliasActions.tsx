import React, { useState } from 'react';
import { Alert, Button, Field, Input, RadioButtonGroup, Stack, Text } from '@grafana/ui';

import type { InventoryApi } from '../../api/inventory';
import {
  DNS_RECORD_TYPES,
  type AliasDetail,
  type DnsRecordType,
  type InventoryAliasWorkflowResponse,
} from '../../shared/api';
import { ApiErrorText, fieldError } from './errors';

/** What the worker mailed for a request, change or confirmation: the person asking needs to know whether it went. */
export function MailResult({ mail }: { mail: InventoryAliasWorkflowResponse['mail'] }) {
  if (!mail.sent) {
    return (
      <Alert severity="warning" title="No mail was sent">
        {mail.error ?? 'The worker has no SMTP server configured'}. Tell the hostmaster yourself.
      </Alert>
    );
  }
  return (
    <Alert severity="success" title="Mail sent">
      To {mail.to.join(', ')}
      {mail.cc.length > 0 && `, copy to ${mail.cc.join(', ')}`}
      {mail.subject && `: “${mail.subject}”`}
    </Alert>
  );
}

/** Confirm a pending alias (the hostmaster made the change) or ask for it to point elsewhere. */
export function AliasActions({
  api,
  alias,
  onChange,
}: {
  api: InventoryApi;
  alias: AliasDetail;
  onChange: () => void;
}) {
  const [result, setResult] = useState<InventoryAliasWorkflowResponse>();
  const [error, setError] = useState<unknown>();
  const [changing, setChanging] = useState(false);
  const [change, setChange] = useState({
    type: alias.type,
    server: alias.server ?? '',
    target: alias.target ?? '',
    requestedBy: alias.requestedBy ?? '',
    reason: '',
  });

  const run = async (action: () => Promise<InventoryAliasWorkflowResponse>) => {
    setError(undefined);
    try {
      setResult(await action());
      setChanging(false);
      onChange();
    } catch (err) {
      setError(err);
    }
  };
  const submitChange = (e: React.FormEvent) => {
    e.preventDefault();
    run(() =>
      api.changeAlias(alias.fqdn, {
        type: change.type,
        // Exactly one of the two: the worker says so under the field if both or neither are given.
        ...(change.server.trim() ? { server: change.server.trim() } : {}),
        ...(change.target.trim() ? { target: change.target.trim() } : {}),
        requestedBy: change.requestedBy.trim(),
        ...(change.reason.trim() ? { reason: change.reason.trim() } : {}),
      })
    );
  };
  const invalid = (f: string) => fieldError(error, f);

  return (
    <section aria-label="DNS workflow">
      <Stack direction="row" gap={1}>
        {alias.status === 'pending' && (
          <Button icon="check" onClick={() => run(() => api.confirmAlias(alias.fqdn))}>
            Confirm: DNS is changed
          </Button>
        )}
        {alias.status !== 'deprecated' && (
          <Button variant="secondary" icon="exchange-alt" onClick={() => setChanging(!changing)}>
            Request a change
          </Button>
        )}
      </Stack>
      {result && <MailResult mail={result.mail} />}
      {changing && (
        <form aria-label="Change request" onSubmit={submitChange}>
          <Text element="p" color="secondary">
            The alias goes back to pending and the hostmaster is mailed the new record.
          </Text>
          <Field label="Record type">
            <RadioButtonGroup
              options={DNS_RECORD_TYPES.map((t) => ({ label: t, value: t }))}
              value={change.type}
              onChange={(type: DnsRecordType) => setChange({ ...change, type })}
            />
          </Field>
          <Field
            label="Server"
            description="The inventory server it points at; or clear it and give a target"
            invalid={!!invalid('server')}
            error={invalid('server')}
          >
            <Input
              width={40}
              id="alias-change-server"
              value={change.server}
              onChange={(e) => setChange({ ...change, server: e.currentTarget.value })}
            />
          </Field>
          <Field
            label="Target"
            description="An address, a name outside the inventory, or a TXT value"
            invalid={!!invalid('target')}
            error={invalid('target')}
          >
            <Input
              width={40}
              id="alias-change-target"
              value={change.target}
              onChange={(e) => setChange({ ...change, target: e.currentTarget.value })}
            />
          </Field>
          <Field label="Requested by" invalid={!!invalid('requestedBy')} error={invalid('requestedBy')}>
            <Input
              width={40}
              id="alias-change-requestedBy"
              value={change.requestedBy}
              onChange={(e) => setChange({ ...change, requestedBy: e.currentTarget.value })}
            />
          </Field>
          <Field label="Reason">
            <Input
              width={60}
              id="alias-change-reason"
              value={change.reason}
              onChange={(e) => setChange({ ...change, reason: e.currentTarget.value })}
            />
          </Field>
          <Button type="submit">Send change request</Button>
        </form>
      )}
      <ApiErrorText error={error} />
    </section>
  );
}
