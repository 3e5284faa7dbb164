import React, { useState } from 'react';
import { Link } from 'react-router-dom';
import { dateTimeFormat, dateTimeFormatTimeAgo } from '@grafana/data';
import { config } from '@grafana/runtime';
import { Alert, Badge, Button, Drawer, Stack, Text, TextLink } from '@grafana/ui';

import type { AlertingApi } from '../../api/alerting';
import { errorMessage } from './hooks';

import type { AlertInstance, AlertRuleInfo } from '../../shared/api';
import { formatValue, instanceTitle } from './states';
import { StateBadge } from './StateBadge';

/** How long the drawer's "Acknowledge" holds re-notifications; longer ones are made on the Silences tab. */
export const QUICK_ACK_SECONDS = 3600;

interface Props {
  api: AlertingApi;
  instance: AlertInstance;
  rule?: AlertRuleInfo;
  /** The rule page's URL. */
  ruleHref: string;
  onClose: () => void;
}

/** What a click on a grid square opens: everything the worker knows about the instance, and where to go next. */
export function InstanceDetails({ api, instance, rule, ruleHref, onClose }: Props) {
  const [ack, setAck] = useState<{ done?: boolean; error?: string }>({});
  const acknowledge = async () => {
    try {
      await api.createAck({
        ruleUid: instance.ruleUid,
        ...(instance.key !== '' ? { key: instance.key } : {}),
        expiresAt: Math.floor(Date.now() / 1000) + QUICK_ACK_SECONDS,
        // Grafana's signed-in user: the person who will be asked why notifications stopped.
        author: config.bootData?.user?.login || 'grafana',
      });
      setAck({ done: true });
    } catch (err) {
      setAck({ error: errorMessage(err) });
    }
  };
  const firing = instance.state === 'alerting' || instance.state === 'nodata' || instance.state === 'error';
  return (
    <Drawer title={instanceTitle(instance)} onClose={onClose} size="md">
      <Stack direction="column" gap={2}>
        <Stack direction="row" gap={1} alignItems="center" wrap="wrap">
          <StateBadge state={instance.state} />
          <Text>
            since {dateTimeFormat(instance.since * 1000)} ({dateTimeFormatTimeAgo(instance.since * 1000)})
          </Text>
          {instance.silencedBy && <Badge color="blue" icon="bell-slash" text="Silenced" />}
          {instance.acknowledgedBy && <Badge color="purple" text={`Acknowledged by ${instance.acknowledgedBy}`} />}
        </Stack>
        <dl aria-label="Instance">
          <dt>Value</dt>
          <dd>{formatValue(instance.value)}</dd>
          <dt>Reason</dt>
          <dd>{instance.reason}</dd>
          <dt>Rule</dt>
          <dd>
            <Link to={ruleHref}>{rule?.spec.title ?? instance.ruleUid}</Link>
          </dd>
          {rule?.spec.runbookUrl && (
            <>
              <dt>Runbook</dt>
              <dd>
                <TextLink href={rule.spec.runbookUrl} external>
                  {rule.spec.runbookUrl}
                </TextLink>
              </dd>
            </>
          )}
          <dt>Notifications this episode</dt>
          <dd>
            {instance.notifications}
            {instance.lastNotifiedAt !== undefined && `, last ${dateTimeFormat(instance.lastNotifiedAt * 1000)}`}
          </dd>
        </dl>
        {firing && !instance.acknowledgedBy && !ack.done && (
          <div>
            <Button size="sm" variant="secondary" icon="check" onClick={acknowledge}>
              Acknowledge for 1 hour
            </Button>
          </div>
        )}
        {ack.done && <Text color="success">Acknowledged: no re-notification for an hour, or until it recovers.</Text>}
        {ack.error && (
          <Alert severity="error" title="Not acknowledged">
            {ack.error}
          </Alert>
        )}
        <section aria-label="Labels">
          <Text element="h4">Labels</Text>
          <Stack direction="row" gap={0.5} wrap="wrap">
            {Object.entries(instance.labels).map(([name, value]) => (
              <Badge key={name} color="blue" text={`${name}=${value}`} />
            ))}
          </Stack>
        </section>
        {Object.keys(instance.annotations).length > 0 && (
          <section aria-label="Annotations">
            <Text element="h4">Annotations</Text>
            <dl>
              {Object.entries(instance.annotations).map(([name, value]) => (
                <React.Fragment key={name}>
                  <dt>{name}</dt>
                  <dd>{value}</dd>
                </React.Fragment>
              ))}
            </dl>
          </section>
        )}
      </Stack>
    </Drawer>
  );
}
