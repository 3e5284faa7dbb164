import React, { useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { Button, Field, Input, RadioButtonGroup, Stack, Text, TextArea } from '@grafana/ui';

import type { InventoryApi } from '../../api/inventory';
import { DNS_RECORD_TYPES, type DnsRecordType, type InventoryAliasWorkflowResponse } from '../../shared/api';
import { MailResult } from './AliasActions';
import { ApiErrorText, fieldError } from './errors';
import { entityUrl } from './paths';

const EMPTY = {
  fqdn: '',
  server: '',
  target: '',
  applications: '',
  requestedBy: '',
  reason: '',
  description: '',
};

/**
 * Asks the hostmaster for a DNS name: the worker stores the alias pending and mails every detail, so nobody copies a
 * record by hand (Plexus's "new alias" form). `?server=` fills in the server it points at.
 */
export function AliasRequest({ api }: { api: InventoryApi }) {
  const [params] = useSearchParams();
  const [fields, setFields] = useState({ ...EMPTY, server: params.get('server') ?? '' });
  const [type, setType] = useState<DnsRecordType>('CNAME');
  const [error, setError] = useState<unknown>();
  const [result, setResult] = useState<InventoryAliasWorkflowResponse>();
  const [sending, setSending] = useState(false);
  const set = (name: keyof typeof EMPTY) => (e: React.FormEvent<HTMLInputElement | HTMLTextAreaElement>) =>
    setFields({ ...fields, [name]: e.currentTarget.value });
  const invalid = (name: string) => fieldError(error, name);
  const value = (name: keyof typeof EMPTY) => fields[name].trim();

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    setSending(true);
    setError(undefined);
    try {
      const applications = value('applications')
        .split(/[\s,]+/)
        .filter((a) => a !== '');
      // Optional fields are left out when empty: the worker rejects an empty FQDN or address, not a missing one.
      setResult(
        await api.requestAlias({
          fqdn: value('fqdn'),
          type,
          ...(value('server') ? { server: value('server') } : {}),
          ...(value('target') ? { target: value('target') } : {}),
          requestedBy: value('requestedBy'),
          ...(applications.length > 0 ? { applications } : {}),
          ...(value('reason') ? { reason: value('reason') } : {}),
          ...(value('description') ? { description: value('description') } : {}),
        })
      );
    } catch (err) {
      setError(err);
    }
    setSending(false);
  };

  if (result) {
    return (
      <Stack direction="column" gap={2}>
        <Text element="h2" variant="h3">
          Alias requested
        </Text>
        <Text element="p">
          <Link to={entityUrl('alias', result.alias.fqdn)}>{result.alias.fqdn}</Link> is pending until the hostmaster
          confirms the change.
        </Text>
        <MailResult mail={result.mail} />
        <Stack direction="row">
          <Button
            variant="secondary"
            onClick={() => {
              setResult(undefined);
              setFields({ ...EMPTY });
            }}
          >
            Request another
          </Button>
        </Stack>
      </Stack>
    );
  }

  return (
    <form aria-label="Alias request" onSubmit={submit}>
      <Text element="h2" variant="h3">
        Request an alias
      </Text>
      <Field label="FQDN" required invalid={!!invalid('fqdn')} error={invalid('fqdn')}>
        <Input id="alias-fqdn" width={48} value={fields.fqdn} onChange={set('fqdn')} placeholder="blog.example.edu" />
      </Field>
      <Field label="Record type">
        <RadioButtonGroup
          options={DNS_RECORD_TYPES.map((t) => ({ label: t, value: t }))}
          value={type}
          onChange={(t: DnsRecordType) => setType(t)}
        />
      </Field>
      <Field
        label="Server"
        description="The inventory server it points at; or give a target instead"
        invalid={!!invalid('server')}
        error={invalid('server')}
      >
        <Input id="alias-server" width={48} value={fields.server} onChange={set('server')} />
      </Field>
      <Field
        label="Target"
        description="An address, a name outside the inventory, or a TXT value"
        invalid={!!invalid('target')}
        error={invalid('target')}
      >
        <Input id="alias-target" width={48} value={fields.target} onChange={set('target')} />
      </Field>
      <Field
        label="Applications"
        description="Names of the applications that will answer under it, comma-separated"
        invalid={!!invalid('applications')}
        error={invalid('applications')}
      >
        <Input id="alias-applications" width={48} value={fields.applications} onChange={set('applications')} />
      </Field>
      <Field
        label="Requested by"
        description="Your e-mail address: the request is copied to it"
        required
        invalid={!!invalid('requestedBy')}
        error={invalid('requestedBy')}
      >
        <Input id="alias-requested-by" width={48} value={fields.requestedBy} onChange={set('requestedBy')} />
      </Field>
      <Field label="Reason" invalid={!!invalid('reason')} error={invalid('reason')}>
        <TextArea id="alias-reason" rows={2} value={fields.reason} onChange={set('reason')} />
      </Field>
      <ApiErrorText error={error} />
      <Button type="submit" icon="envelope" disabled={sending || value('fqdn') === '' || value('requestedBy') === ''}>
        Send request
      </Button>
    </form>
  );
}
