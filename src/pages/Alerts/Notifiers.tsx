import React, { useState } from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import {
  Alert,
  Badge,
  Button,
  Field,
  Input,
  LoadingPlaceholder,
  SecretInput,
  Stack,
  Text,
  useStyles2,
} from '@grafana/ui';

import { fieldErrors, type AlertingApi } from '../../api/alerting';
import { ApiError } from '../../api/client';
import { ALERT_SECRET_MASK, type AlertNotifierInfo, type AlertNotifierTestResponse } from '../../shared/api';
import { useLoad } from '../../utils/useLoad';
import { errorMessage, useRefresh } from './hooks';

const TYPE_NAMES: Record<string, string> = {
  smtp: 'E-mail',
  webhook: 'Webhook',
  alertmanager: 'Alertmanager',
  slack: 'Slack',
  sms: 'SMS',
};

/** Notifiers with their settings and a "send test" action. Secrets show as configured, never as their value. */
export function Notifiers({ api }: { api: AlertingApi }) {
  const [tick, refresh] = useRefresh(5 * 60_000);
  const loaded = useLoad(() => api.notifiers(), String(tick));
  if (!loaded.value) {
    return loaded.error ? (
      <Alert severity="error" title="Could not load notifiers">
        {loaded.error}
      </Alert>
    ) : (
      <LoadingPlaceholder text="Loading notifiers…" />
    );
  }
  if (loaded.value.length === 0) {
    return <Text color="secondary">No notifiers: define them in the worker&apos;s provisioning folder.</Text>;
  }
  return (
    <Stack direction="column" gap={2}>
      {loaded.value.map((n) => (
        <NotifierCard key={n.spec.name} api={api} notifier={n} onSaved={refresh} />
      ))}
    </Stack>
  );
}

/** A setting's value as text; lists (e-mail or SMS recipients) comma-separated. */
function settingText(value: unknown): string {
  return Array.isArray(value) ? value.join(', ') : String(value ?? '');
}

function NotifierCard({
  api,
  notifier,
  onSaved,
}: {
  api: AlertingApi;
  notifier: AlertNotifierInfo;
  onSaved: () => void;
}) {
  const styles = useStyles2(getStyles);
  const { spec, provisioned, secureFields } = notifier;
  const [test, setTest] = useState<AlertNotifierTestResponse | { ok: false; error: string }>();
  const [testing, setTesting] = useState(false);
  // Edits of a non-provisioned notifier: plain settings as typed, secrets only once reset (else the mask is sent).
  const [values, setValues] = useState<Record<string, string>>({});
  const [reset, setReset] = useState<Set<string>>(new Set());
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [saved, setSaved] = useState(false);

  const sendTest = async () => {
    setTesting(true);
    setTest(undefined);
    try {
      setTest(await api.testNotifier(spec.name));
    } catch (err) {
      setTest({ ok: false, error: errorMessage(err) });
    }
    setTesting(false);
  };

  const save = async () => {
    const settings: Record<string, unknown> = { ...spec.settings };
    for (const [key, value] of Object.entries(values)) {
      settings[key] = Array.isArray(spec.settings[key]) ? value.split(',').map((v) => v.trim()) : value;
    }
    for (const key of secureFields) {
      if (!reset.has(key)) {
        settings[key] = ALERT_SECRET_MASK;
      }
    }
    try {
      await api.updateNotifier({ ...spec, settings });
      setErrors({});
      setSaved(true);
      setReset(new Set());
      setValues({});
      onSaved();
    } catch (err) {
      setErrors(err instanceof ApiError && err.body ? fieldErrors(err.body) : { '': errorMessage(err) });
    }
  };

  const keys = Object.keys(spec.settings);
  return (
    <section aria-label={`Notifier ${spec.name}`} className={styles.card}>
      <Stack direction="row" gap={1} alignItems="center" wrap="wrap">
        <Text element="h3" variant="h4">
          {spec.name}
        </Text>
        <Badge color="blue" text={TYPE_NAMES[spec.type] ?? spec.type} />
        {provisioned && <Badge color="purple" text="Provisioned" />}
      </Stack>
      {provisioned ? (
        <dl className={styles.settings}>
          {keys.map((key) => (
            <React.Fragment key={key}>
              <dt>{key}</dt>
              <dd>
                {secureFields.includes(key) ? (
                  <Badge color="green" text="configured" />
                ) : (
                  settingText(spec.settings[key])
                )}
              </dd>
            </React.Fragment>
          ))}
        </dl>
      ) : (
        <div>
          {keys.map((key) =>
            secureFields.includes(key) ? (
              <Field key={key} label={key} {...errorProps(errors, `settings.${key}`)}>
                <SecretInput
                  id={`${spec.name}-${key}`}
                  isConfigured={!reset.has(key)}
                  value={values[key] ?? ''}
                  onReset={() => {
                    setReset(new Set(reset).add(key));
                    setValues({ ...values, [key]: '' });
                  }}
                  onChange={(e) => setValues({ ...values, [key]: e.currentTarget.value })}
                />
              </Field>
            ) : (
              <Field key={key} label={key} {...errorProps(errors, `settings.${key}`)}>
                <Input
                  id={`${spec.name}-${key}`}
                  value={values[key] ?? settingText(spec.settings[key])}
                  onChange={(e) => setValues({ ...values, [key]: e.currentTarget.value })}
                />
              </Field>
            )
          )}
        </div>
      )}
      {Object.entries(errors)
        .filter(([field]) => !field.startsWith('settings.'))
        .map(([field, error]) => (
          <Alert key={field} severity="error" title="Not saved">
            {error}
          </Alert>
        ))}
      {saved && <Text color="success">Saved.</Text>}
      {test &&
        (test.ok ? (
          <Alert severity="success" title="Test sent" />
        ) : (
          <Alert severity="error" title="Test failed">
            {test.error}
          </Alert>
        ))}
      <Stack direction="row" gap={1}>
        <Button variant="secondary" icon="message" onClick={sendTest} disabled={testing}>
          {testing ? 'Sending…' : 'Send test'}
        </Button>
        {!provisioned && <Button onClick={save}>Save</Button>}
      </Stack>
    </section>
  );
}

function errorProps(errors: Record<string, string>, field: string) {
  return { invalid: Boolean(errors[field]), error: errors[field] };
}

const getStyles = (theme: GrafanaTheme2) => ({
  card: css({
    padding: theme.spacing(2),
    border: `1px solid ${theme.colors.border.weak}`,
    borderRadius: theme.shape.radius.default,
  }),
  settings: css({
    display: 'grid',
    gridTemplateColumns: 'max-content 1fr',
    gap: theme.spacing(0.5, 2),
    dt: { color: theme.colors.text.secondary },
    dd: { margin: 0 },
  }),
});
