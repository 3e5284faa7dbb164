import React, { useMemo, useState } from 'react';
import { Link } from 'react-router-dom';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import {
  Alert,
  Badge,
  FilterPill,
  Input,
  LoadingPlaceholder,
  RadioButtonGroup,
  Stack,
  Text,
  useStyles2,
} from '@grafana/ui';

import type { AlertingApi } from '../../api/alerting';
import type { AlertInstance, AlertRuleInfo, AlertRulesResponse } from '../../shared/api';
import { useLoad } from '../../utils/useLoad';
import { alertsUrl } from './paths';
import { filterRules, matchesNotifications, NO_FILTERS, type AlertFilters, type NotificationFilter } from './filters';
import { useRefresh } from './hooks';
import { InstanceDetails } from './InstanceDetails';
import { StateBadge } from './StateBadge';
import { STATES, STATE_NAMES } from './states';
import { StatusGrid } from './StatusGrid';

const NOTIFICATION_FILTERS: Array<{ value: NotificationFilter; label: string; description: string }> = [
  { value: 'all', label: 'All', description: 'Every instance' },
  { value: 'active', label: 'Active', description: 'Neither silenced nor acknowledged: notifications go out' },
  { value: 'silenced', label: 'Silenced', description: 'Matched by an active silence: nothing is sent' },
  { value: 'acknowledged', label: 'Acknowledged', description: 'Someone is on it: re-notifications wait' },
];

/** The shortest group interval in the provisioning example is 30 s; polling faster would show nothing new. */
export const RULES_POLL_MS = 30_000;

interface Loaded {
  rules: AlertRulesResponse;
  instances: AlertInstance[];
}

/** Every rule with its instances as Hound's grid, and filters to find the ones that matter now. */
export function RuleList({ api }: { api: AlertingApi }) {
  const styles = useStyles2(getStyles);
  const [tick] = useRefresh(RULES_POLL_MS);
  const loaded = useLoad<Loaded>(async () => {
    const [rules, instances] = await Promise.all([api.rules(), api.instances()]);
    return { rules, instances };
  }, String(tick));
  const [filters, setFilters] = useState<AlertFilters>(NO_FILTERS);
  const [selected, setSelected] = useState<AlertInstance>();

  const rows = useMemo(
    () => (loaded.value ? filterRules(loaded.value.rules.rules, loaded.value.instances, filters) : []),
    [loaded.value, filters]
  );

  if (!loaded.value) {
    if (loaded.error) {
      return (
        <Alert severity="error" title="Could not load the alert rules">
          {loaded.error}
        </Alert>
      );
    }
    return <LoadingPlaceholder text="Loading alert rules…" />;
  }
  const { rules, instances } = loaded.value;
  const totals = Object.fromEntries(STATES.map((s) => [s, instances.filter((i) => i.state === s).length]));
  const toggleState = (state: (typeof STATES)[number]) =>
    setFilters((f) => ({
      ...f,
      states: f.states.includes(state) ? f.states.filter((s) => s !== state) : [...f.states, state],
    }));
  const selectedRule = selected && rules.rules.find((r) => r.spec.uid === selected.ruleUid);

  return (
    <Stack direction="column" gap={2}>
      {loaded.error && (
        <Alert severity="warning" title="The list is not up to date">
          {loaded.error}
        </Alert>
      )}
      <Stack direction="row" gap={1} wrap="wrap" alignItems="center">
        <div className={styles.filter}>
          <Input
            aria-label="Search rules and instances"
            placeholder="Search by rule, target or series"
            value={filters.text}
            onChange={(e) => setFilters({ ...filters, text: e.currentTarget.value })}
          />
        </div>
        <div className={styles.filter}>
          <Input
            aria-label="Label filter"
            placeholder="Labels, e.g. team=ops"
            value={filters.labels}
            onChange={(e) => setFilters({ ...filters, labels: e.currentTarget.value })}
          />
        </div>
        <Link to={alertsUrl.newRule()}>New rule</Link>
      </Stack>
      <Stack direction="row" gap={2} wrap="wrap" alignItems="center">
        <Stack direction="row" gap={1} wrap="wrap" role="group" aria-label="Filter by state">
          {STATES.map((state) => (
            <FilterPill
              key={state}
              label={`${STATE_NAMES[state]} (${totals[state]})`}
              selected={filters.states.includes(state)}
              onClick={() => toggleState(state)}
            />
          ))}
        </Stack>
        <RadioButtonGroup
          aria-label="Filter by notifications"
          size="sm"
          options={NOTIFICATION_FILTERS.map((option) => ({
            ...option,
            label:
              option.value === 'all'
                ? option.label
                : `${option.label} (${instances.filter((i) => matchesNotifications(i, option.value)).length})`,
          }))}
          value={filters.notifications}
          onChange={(notifications) => setFilters((f) => ({ ...f, notifications }))}
        />
      </Stack>
      {rows.length === 0 ? (
        <Text color="secondary">
          {rules.rules.length === 0 ? 'No alert rules yet.' : 'No rule or instance matches these filters.'}
        </Text>
      ) : (
        <table className={styles.table} aria-label="Alert rules">
          <thead>
            <tr>
              <th>Rule</th>
              <th>States</th>
              <th>Instances</th>
            </tr>
          </thead>
          <tbody>
            {rows.map(({ rule, instances: shown }) => (
              <RuleRowView key={rule.spec.uid} rule={rule} instances={shown} onSelect={setSelected} />
            ))}
          </tbody>
        </table>
      )}
      {selected && (
        <InstanceDetails
          api={api}
          instance={selected}
          rule={selectedRule}
          ruleHref={alertsUrl.rule(selected.ruleUid)}
          onClose={() => setSelected(undefined)}
        />
      )}
    </Stack>
  );
}

function RuleRowView({
  rule,
  instances,
  onSelect,
}: {
  rule: AlertRuleInfo;
  instances: AlertInstance[];
  onSelect: (instance: AlertInstance) => void;
}) {
  const { spec } = rule;
  return (
    <tr>
      <th scope="row">
        <Stack direction="column" gap={0.5}>
          <Link to={alertsUrl.rule(spec.uid)}>{spec.title}</Link>
          <Stack direction="row" gap={0.5} wrap="wrap">
            <Text variant="bodySmall" color="secondary">
              {spec.group} · {spec.target}
            </Text>
            {spec.type === 'notice' && <Badge color="blue" text="Notice" />}
            {spec.paused && <Badge color="darkgrey" icon="pause" text="Paused" />}
            {rule.provisioned && <Badge color="purple" text="Provisioned" />}
          </Stack>
          {rule.lastEvaluation?.error && (
            <Text variant="bodySmall" color="error">
              {rule.lastEvaluation.error}
            </Text>
          )}
        </Stack>
      </th>
      <td>
        <Stack direction="column" gap={0.25}>
          {STATES.filter((s) => rule.states[s] > 0).map((s) => (
            <StateBadge key={s} state={s} count={rule.states[s]} />
          ))}
        </Stack>
      </td>
      <td>
        <StatusGrid instances={instances} onSelect={onSelect} />
      </td>
    </tr>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  filter: css({ width: 280 }),
  table: css({
    width: '100%',
    borderCollapse: 'collapse',
    'th, td': {
      textAlign: 'left',
      verticalAlign: 'top',
      padding: theme.spacing(1),
      borderBottom: `1px solid ${theme.colors.border.weak}`,
      fontWeight: theme.typography.fontWeightRegular,
    },
    'thead th': { fontWeight: theme.typography.fontWeightMedium, color: theme.colors.text.secondary },
    'tbody th': { width: '35%' },
    'td:nth-child(2)': { width: '12%' },
  }),
});
