import React from 'react';
import { Link } from 'react-router-dom';
import { dateTimeFormat } from '@grafana/data';
import { Alert, LoadingPlaceholder, Text, useStyles2 } from '@grafana/ui';

import type { AlertingApi } from '../../api/alerting';
import type { ApplicationDetail, ServerDetail } from '../../shared/api';
import { useLoad } from '../../utils/useLoad';
import { alertsUrl } from '../Alerts/paths';
import { StateBadge } from '../Alerts/StateBadge';
import { formatValue, instanceTitle, sortInstances } from '../Alerts/states';
import { entityInstances } from './entityAlerts';
import { getTableStyles } from './InventoryLists';

/** The alert instances on a server's or an application's series, worst first: is anything wrong with it right now? */
export function EntityAlerts({
  alerting,
  entity,
}: {
  alerting: AlertingApi;
  entity: ServerDetail | ApplicationDetail;
}) {
  const styles = useStyles2(getTableStyles);
  const { value, error } = useLoad(() => alerting.instances(), `${entity.entity}|${entity.series ?? ''}`);
  const kind = 'hostname' in entity ? 'server' : 'application';
  let body: React.ReactNode;
  if (error) {
    body = (
      <Alert severity="warning" title="Could not load the alert instances">
        {error}
      </Alert>
    );
  } else if (!value) {
    body = <LoadingPlaceholder text="Loading alert instances…" />;
  } else {
    const mine = sortInstances(entityInstances(entity, value));
    body =
      mine.length === 0 ? (
        <Text element="p" color="secondary">
          No alert rule watches this {kind}: none has an instance on its series
          {kind === 'server' ? ' or a host label naming it' : ' or an application label naming it'}.
        </Text>
      ) : (
        <table className={styles.table} aria-label="Alert instances">
          <thead>
            <tr>
              <th>State</th>
              <th>Rule</th>
              <th>Series</th>
              <th>Value</th>
              <th>Since</th>
            </tr>
          </thead>
          <tbody>
            {mine.map((i) => (
              <tr key={`${i.ruleUid}|${i.key}`}>
                <td>
                  <StateBadge state={i.state} />
                </td>
                <td>
                  <Link to={alertsUrl.rule(i.ruleUid)}>{i.labels.alertname ?? i.ruleUid}</Link>
                </td>
                <td>{instanceTitle({ key: i.key, labels: withoutRuleLabels(i.labels) })}</td>
                <td title={i.reason}>{formatValue(i.value)}</td>
                <td>{dateTimeFormat(i.since * 1000)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      );
  }
  return (
    <section aria-label="Alerts">
      <Text element="h3" variant="h4">
        Alert instances
      </Text>
      {body}
    </section>
  );
}

/** The rule's name and uid are in the Rule column already. */
function withoutRuleLabels(labels: Record<string, string>): Record<string, string> {
  const { alertname: _alertname, rule_uid: _ruleUid, ...rest } = labels;
  return rest;
}
