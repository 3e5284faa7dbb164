import React, { useState } from 'react';
import { css } from '@emotion/css';
import { dateTimeFormat, type GrafanaTheme2 } from '@grafana/data';
import { Alert, Badge, Button, Field, Input, Combobox, LoadingPlaceholder, Stack, Text, useStyles2 } from '@grafana/ui';

import { fieldErrors, type AlertingApi } from '../../api/alerting';
import { ApiError } from '../../api/client';
import type { AlertAck, AlertRuleInfo, AlertSilence } from '../../shared/api';
import { useLoad } from '../../utils/useLoad';
import { errorMessage, useRefresh } from './hooks';
import { formatMatchers, fromLocalInput, parseMatchers, toLocalInput } from './matchers';

/** Silences end on their own; refreshing each minute shows them go from pending to active to expired. */
const POLL_MS = 60_000;
const DEFAULT_SILENCE_SECONDS = 2 * 3600;
const DEFAULT_ACK_SECONDS = 3600;

const STATUS_COLORS = { pending: 'blue', active: 'green', expired: 'darkgrey' } as const;

/** Silences (by label matchers, with start, end, author, comment) and acknowledgements: list, create, expire. */
export function Silences({ api }: { api: AlertingApi }) {
  const styles = useStyles2(getStyles);
  const [tick, refresh] = useRefresh(POLL_MS);
  const loaded = useLoad<{ silences: AlertSilence[]; acks: AlertAck[]; rules: AlertRuleInfo[] }>(async () => {
    const [silences, acks, rules] = await Promise.all([api.silences(), api.acks(), api.rules()]);
    return { silences, acks, rules: rules.rules };
  }, String(tick));
  const [actionError, setActionError] = useState<string>();

  const act = async (action: () => Promise<void>) => {
    setActionError(undefined);
    try {
      await action();
      refresh();
    } catch (err) {
      setActionError(errorMessage(err));
    }
  };

  if (!loaded.value) {
    return loaded.error ? (
      <Alert severity="error" title="Could not load silences">
        {loaded.error}
      </Alert>
    ) : (
      <LoadingPlaceholder text="Loading silences…" />
    );
  }
  const { silences, acks, rules } = loaded.value;
  return (
    <Stack direction="column" gap={3}>
      {actionError && (
        <Alert severity="error" title="The worker refused" onRemove={() => setActionError(undefined)}>
          {actionError}
        </Alert>
      )}
      <section aria-label="Silences">
        <Text element="h2" variant="h3">
          Silences
        </Text>
        <Text element="p" color="secondary">
          Instances whose labels match every matcher send nothing between start and end; their state still changes.
        </Text>
        {silences.length === 0 ? (
          <Text color="secondary">No silences.</Text>
        ) : (
          <table className={styles.table}>
            <thead>
              <tr>
                <th>Matchers</th>
                <th>Status</th>
                <th>Starts</th>
                <th>Ends</th>
                <th>Author</th>
                <th>Comment</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {silences.map((s) => (
                <tr key={s.id}>
                  <td>
                    <code>{formatMatchers(s.matchers)}</code>
                  </td>
                  <td>
                    <Badge color={STATUS_COLORS[s.status]} text={s.status} />
                  </td>
                  <td>{dateTimeFormat(s.startsAt * 1000)}</td>
                  <td>{dateTimeFormat(s.endsAt * 1000)}</td>
                  <td>{s.author}</td>
                  <td>{s.comment}</td>
                  <td>
                    {s.status !== 'expired' && (
                      <Button
                        size="sm"
                        variant="secondary"
                        aria-label={`Expire silence ${formatMatchers(s.matchers)}`}
                        onClick={() => act(() => api.expireSilence(s.id))}
                      >
                        Expire
                      </Button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <NewSilence api={api} onCreated={refresh} />
      </section>
      <section aria-label="Acknowledgements">
        <Text element="h2" variant="h3">
          Acknowledgements
        </Text>
        <Text element="p" color="secondary">
          An acknowledgement holds re-notifications of a firing rule or instance until it expires or the instance
          recovers; the recovered message is still sent.
        </Text>
        {acks.length === 0 ? (
          <Text color="secondary">No acknowledgements.</Text>
        ) : (
          <table className={styles.table}>
            <thead>
              <tr>
                <th>Rule</th>
                <th>Instance</th>
                <th>Expires</th>
                <th>Author</th>
                <th>Comment</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {acks.map((a) => (
                <tr key={a.id}>
                  <td>{a.ruleUid}</td>
                  <td>{a.key ? <code>{a.key}</code> : 'every instance'}</td>
                  <td>{dateTimeFormat(a.expiresAt * 1000)}</td>
                  <td>{a.author}</td>
                  <td>{a.comment}</td>
                  <td>
                    <Button
                      size="sm"
                      variant="secondary"
                      aria-label={`Remove acknowledgement of ${a.ruleUid}`}
                      onClick={() => act(() => api.deleteAck(a.id))}
                    >
                      Remove
                    </Button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <NewAck api={api} rules={rules} onCreated={refresh} />
      </section>
    </Stack>
  );
}

function NewAck({ api, rules, onCreated }: { api: AlertingApi; rules: AlertRuleInfo[]; onCreated: () => void }) {
  const [now] = useState(() => Math.floor(Date.now() / 1000));
  const [ruleUid, setRuleUid] = useState('');
  const [key, setKey] = useState('');
  const [expiresAt, setExpiresAt] = useState(() => toLocalInput(now + DEFAULT_ACK_SECONDS));
  const [author, setAuthor] = useState('');
  const [comment, setComment] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});

  const create = async () => {
    try {
      await api.createAck({
        ruleUid,
        ...(key.trim() !== '' ? { key: key.trim() } : {}),
        expiresAt: fromLocalInput(expiresAt),
        author: author.trim(),
        ...(comment.trim() !== '' ? { comment: comment.trim() } : {}),
      });
      setErrors({});
      setKey('');
      setComment('');
      onCreated();
    } catch (err) {
      setErrors(err instanceof ApiError && err.body ? fieldErrors(err.body) : { '': errorMessage(err) });
    }
  };
  const field = (name: string) => ({ invalid: Boolean(errors[name]), error: errors[name] });

  return (
    <form
      aria-label="New acknowledgement"
      onSubmit={(e) => {
        e.preventDefault();
        create();
      }}
    >
      <Text element="h3" variant="h4">
        New acknowledgement
      </Text>
      <Field label="Rule" {...field('ruleUid')}>
        <Combobox
          id="ack-rule"
          options={rules.map((r) => ({ value: r.spec.uid, label: r.spec.title, description: r.spec.uid }))}
          value={ruleUid || null}
          onChange={(option) => setRuleUid(option?.value ?? '')}
        />
      </Field>
      <Field
        label="Instance"
        description='Its key, e.g. name="servers.web3.loadavg.01"; empty for every instance'
        {...field('key')}
      >
        <Input id="ack-key" value={key} onChange={(e) => setKey(e.currentTarget.value)} />
      </Field>
      <Field label="Expires" {...field('expiresAt')}>
        <Input
          id="ack-expires"
          type="datetime-local"
          value={expiresAt}
          onChange={(e) => setExpiresAt(e.currentTarget.value)}
        />
      </Field>
      <Field label="Author" {...field('author')}>
        <Input id="ack-author" value={author} onChange={(e) => setAuthor(e.currentTarget.value)} />
      </Field>
      <Field label="Comment" {...field('comment')}>
        <Input id="ack-comment" value={comment} onChange={(e) => setComment(e.currentTarget.value)} />
      </Field>
      {errors[''] && (
        <Alert severity="error" title="Not created">
          {errors['']}
        </Alert>
      )}
      <Button type="submit">Acknowledge</Button>
    </form>
  );
}

function NewSilence({ api, onCreated }: { api: AlertingApi; onCreated: () => void }) {
  const [now] = useState(() => Math.floor(Date.now() / 1000));
  const [matchers, setMatchers] = useState('');
  const [startsAt, setStartsAt] = useState(() => toLocalInput(now));
  const [endsAt, setEndsAt] = useState(() => toLocalInput(now + DEFAULT_SILENCE_SECONDS));
  const [author, setAuthor] = useState('');
  const [comment, setComment] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [sending, setSending] = useState(false);

  const create = async () => {
    const parsed = parseMatchers(matchers);
    if (parsed.errors.length > 0) {
      setErrors({
        matchers: `not a matcher: ${parsed.errors.join(', ')} (write name=value, name!=value, name=~regex)`,
      });
      return;
    }
    setSending(true);
    try {
      await api.createSilence({
        matchers: parsed.matchers,
        startsAt: fromLocalInput(startsAt),
        endsAt: fromLocalInput(endsAt),
        author: author.trim(),
        comment: comment.trim(),
      });
      setErrors({});
      setMatchers('');
      setComment('');
      onCreated();
    } catch (err) {
      setErrors(err instanceof ApiError && err.body ? fieldErrors(err.body) : { '': errorMessage(err) });
    }
    setSending(false);
  };
  const field = (name: string) => ({ invalid: Boolean(errors[name]), error: errors[name] });

  return (
    <form
      aria-label="New silence"
      onSubmit={(e) => {
        e.preventDefault();
        create();
      }}
    >
      <Text element="h3" variant="h4">
        New silence
      </Text>
      <Field label="Matchers" description="e.g. team=ops, name=~servers\.web3\..*" {...field('matchers')}>
        <Input id="silence-matchers" value={matchers} onChange={(e) => setMatchers(e.currentTarget.value)} />
      </Field>
      <Stack direction="row" gap={1}>
        <Field label="Starts" {...field('startsAt')}>
          <Input
            id="silence-starts"
            type="datetime-local"
            value={startsAt}
            onChange={(e) => setStartsAt(e.currentTarget.value)}
          />
        </Field>
        <Field label="Ends" {...field('endsAt')}>
          <Input
            id="silence-ends"
            type="datetime-local"
            value={endsAt}
            onChange={(e) => setEndsAt(e.currentTarget.value)}
          />
        </Field>
      </Stack>
      <Field label="Author" {...field('author')}>
        <Input id="silence-author" value={author} onChange={(e) => setAuthor(e.currentTarget.value)} />
      </Field>
      <Field label="Comment" {...field('comment')}>
        <Input id="silence-comment" value={comment} onChange={(e) => setComment(e.currentTarget.value)} />
      </Field>
      {errors[''] && (
        <Alert severity="error" title="Not created">
          {errors['']}
        </Alert>
      )}
      <Button type="submit" disabled={sending}>
        Create silence
      </Button>
    </form>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  table: css({
    width: '100%',
    borderCollapse: 'collapse',
    marginBottom: theme.spacing(2),
    'th, td': {
      textAlign: 'left',
      padding: theme.spacing(0.5, 1),
      borderBottom: `1px solid ${theme.colors.border.weak}`,
    },
    th: { color: theme.colors.text.secondary, fontWeight: theme.typography.fontWeightMedium },
  }),
});
