import React, { useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { css } from '@emotion/css';
import { dateTimeFormat, type GrafanaTheme2 } from '@grafana/data';
import { Alert, Badge, LoadingPlaceholder, Stack, Text, TextLink, useStyles2 } from '@grafana/ui';

import type { AlertingApi } from '../../api/alerting';
import type {
  AlertInstance,
  AlertNotificationRecord,
  AlertPreviewResponse,
  AlertRuleResponse,
  AlertRuleSpec,
  AlertTransition,
} from '../../shared/api';
import { useLoad } from '../../utils/useLoad';
import { InstanceDetails } from './InstanceDetails';
import { alertsUrl } from './paths';
import { SeriesChart } from './SeriesChart';
import { StateBadge } from './StateBadge';
import { STATES, STATE_NAMES, formatValue, instanceTitle } from './states';
import { StatusGrid } from './StatusGrid';

const DAY = 86_400;

/** One sentence for a rule's condition, as a person would say it. */
export function describeCondition(spec: AlertRuleSpec): string {
  const parts: string[] = [];
  const reduced = `${spec.reducer ?? 'last'} over ${spec.window}`;
  if (spec.condition) {
    const { op, threshold, recoveryThreshold } = spec.condition;
    parts.push(
      `${reduced} ${op === 'above' ? '≥' : '≤'} ${threshold}` +
        (recoveryThreshold !== undefined ? `, recovers past ${recoveryThreshold}` : '')
    );
  }
  if (spec.minSeries !== undefined) {
    parts.push(`fewer than ${spec.minSeries} series reporting`);
  }
  if (spec.for && spec.for !== '0s') {
    parts.push(`for ${spec.for}`);
  }
  return parts.length > 0 ? parts.join('; ') : `no data for ${spec.window}`;
}

interface Loaded {
  rule: AlertRuleResponse;
  transitions: AlertTransition[];
  notifications: AlertNotificationRecord[];
}

/** A rule: its query over 24 h and 7 d against the threshold, its instances, state history and notifications. */
export function RulePage({ api }: { api: AlertingApi }) {
  const uid = useParams().uid ?? '';
  const styles = useStyles2(getStyles);
  const [selected, setSelected] = useState<AlertInstance>();
  const loaded = useLoad<Loaded>(async () => {
    const [rule, transitions, notifications] = await Promise.all([
      api.rule(uid),
      api.history({ rule: uid, limit: 100 }),
      api.notifications({ rule: uid, limit: 100 }),
    ]);
    return { rule, transitions, notifications };
  }, uid);

  if (!loaded.value) {
    return loaded.error ? (
      <Alert severity="error" title={`Could not load the rule "${uid}"`}>
        {loaded.error}
      </Alert>
    ) : (
      <LoadingPlaceholder text="Loading the rule…" />
    );
  }
  const { rule, transitions, notifications } = loaded.value;
  const { spec } = rule;
  return (
    <Stack direction="column" gap={3}>
      <Stack direction="column" gap={1}>
        <Stack direction="row" gap={1} alignItems="center" wrap="wrap">
          <Text element="h2" variant="h3">
            {spec.title}
          </Text>
          {STATES.filter((s) => rule.states[s] > 0).map((s) => (
            <StateBadge key={s} state={s} count={rule.states[s]} />
          ))}
          {spec.paused && <Badge color="darkgrey" icon="pause" text="Paused" />}
        </Stack>
        <Text color="secondary">
          <code>{spec.target}</code>: {describeCondition(spec)}. Group {spec.group}
          {spec.type === 'notice' ? ', a notice' : ''}.
        </Text>
        {spec.runbookUrl && (
          <TextLink href={spec.runbookUrl} external>
            Runbook
          </TextLink>
        )}
        {rule.provisioned ? (
          <Text color="secondary">Provisioned: change it in the worker&apos;s provisioning folder.</Text>
        ) : (
          <Link to={alertsUrl.editRule(spec.uid)}>Edit rule</Link>
        )}
        {rule.lastEvaluation?.error && (
          <Alert severity="error" title="The last evaluation failed">
            {rule.lastEvaluation.error}
          </Alert>
        )}
      </Stack>
      <div className={styles.charts}>
        <RuleChart api={api} spec={spec} range={DAY} title="Last 24 hours" />
        <RuleChart api={api} spec={spec} range={7 * DAY} title="Last 7 days" />
      </div>
      <section aria-label="Instances">
        <Text element="h3" variant="h4">
          Instances
        </Text>
        <StatusGrid instances={rule.instances} onSelect={setSelected} />
      </section>
      <section aria-label="State history">
        <Text element="h3" variant="h4">
          State history
        </Text>
        {transitions.length === 0 ? (
          <Text color="secondary">No state change recorded.</Text>
        ) : (
          <table className={styles.table}>
            <thead>
              <tr>
                <th>Time</th>
                <th>Instance</th>
                <th>Change</th>
                <th>Value</th>
                <th>Reason</th>
              </tr>
            </thead>
            <tbody>
              {transitions.map((t) => (
                <tr key={`${t.at}/${t.key}`}>
                  <td>{dateTimeFormat(t.at * 1000)}</td>
                  <td>{instanceTitle(t)}</td>
                  <td>
                    {STATE_NAMES[t.from]} → {STATE_NAMES[t.to]}
                  </td>
                  <td>{formatValue(t.value)}</td>
                  <td>{t.reason}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <section aria-label="Notifications">
        <Text element="h3" variant="h4">
          Notifications
        </Text>
        {notifications.length === 0 ? (
          <Text color="secondary">Nothing sent for this rule.</Text>
        ) : (
          <table className={styles.table}>
            <thead>
              <tr>
                <th>Time</th>
                <th>Notifier</th>
                <th>Kind</th>
                <th>Result</th>
              </tr>
            </thead>
            <tbody>
              {notifications.map((n, i) => (
                <tr key={`${n.at}/${n.notifier}/${i}`}>
                  <td>{dateTimeFormat(n.at * 1000)}</td>
                  <td>{n.notifier}</td>
                  <td>
                    {n.kind}
                    {n.state ? ` (${STATE_NAMES[n.state]})` : ''}
                  </td>
                  <td>{n.ok ? 'sent' : `failed: ${n.error ?? 'unknown error'}`}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      {selected && (
        <InstanceDetails
          api={api}
          instance={selected}
          rule={rule}
          ruleHref={alertsUrl.rule(uid)}
          onClose={() => setSelected(undefined)}
        />
      )}
    </Stack>
  );
}

/** The rule's query over `range` seconds, from the preview endpoint, which draws exactly what the rule evaluates. */
function RuleChart({
  api,
  spec,
  range,
  title,
}: {
  api: AlertingApi;
  spec: AlertRuleSpec;
  range: number;
  title: string;
}) {
  const preview = useLoad<AlertPreviewResponse>(() => api.preview({ rule: spec, range }), `${spec.uid}/${range}`);
  if (!preview.value) {
    return preview.error ? (
      <Alert severity="warning" title={`${title}: no graph`}>
        {preview.error}
      </Alert>
    ) : (
      <LoadingPlaceholder text={`Loading ${title.toLowerCase()}…`} />
    );
  }
  return (
    <SeriesChart
      title={title}
      series={preview.value.series}
      threshold={preview.value.threshold}
      recoveryThreshold={preview.value.recoveryThreshold}
    />
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  charts: css({
    display: 'grid',
    gridTemplateColumns: 'repeat(auto-fit, minmax(320px, 1fr))',
    gap: theme.spacing(2),
  }),
  table: css({
    width: '100%',
    borderCollapse: 'collapse',
    'th, td': {
      textAlign: 'left',
      padding: theme.spacing(0.5, 1),
      borderBottom: `1px solid ${theme.colors.border.weak}`,
    },
    th: { color: theme.colors.text.secondary, fontWeight: theme.typography.fontWeightMedium },
  }),
});
