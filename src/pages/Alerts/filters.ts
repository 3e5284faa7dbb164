import type { AlertInstance, AlertRuleInfo, AlertState } from '../../shared/api';
import { instanceTitle, isSilenced } from './states';

/**
 * Grafana's notification state filter for Alertmanager's alerts (active or suppressed), with the worker's two ways of
 * holding notifications back told apart: `active` instances are neither silenced nor acknowledged.
 */
export type NotificationFilter = 'all' | 'active' | 'silenced' | 'acknowledged';

/**
 * The rule list's filters: empty `states` means every state; `notifications` whether silenced and acknowledged
 * instances are shown, hidden or the only ones; `labels` is `name=value` pairs, `text` a substring.
 */
export interface AlertFilters {
  states: AlertState[];
  notifications: NotificationFilter;
  labels: string;
  text: string;
}

export const NO_FILTERS: AlertFilters = { states: [], notifications: 'all', labels: '', text: '' };

export function matchesNotifications(instance: AlertInstance, filter: NotificationFilter): boolean {
  const acknowledged = instance.acknowledgedBy !== undefined;
  switch (filter) {
    case 'all':
      return true;
    case 'active':
      return !isSilenced(instance) && !acknowledged;
    case 'silenced':
      return isSilenced(instance);
    case 'acknowledged':
      return acknowledged;
  }
}

export interface RuleRow {
  rule: AlertRuleInfo;
  instances: AlertInstance[];
}

/** `team=web, host=web1` or `team=web host=web1`; a token without `=` is ignored rather than matching nothing. */
export function parseLabelFilter(input: string): Array<[string, string]> {
  return input
    .split(/[\s,]+/)
    .map((token) => token.split('='))
    .filter((parts) => parts.length >= 2 && parts[0] !== '')
    .map(([name, ...value]) => [name, value.join('=')]);
}

function includes(haystack: string, needle: string): boolean {
  return haystack.toLowerCase().includes(needle);
}

/**
 * The rules to list and, for each, the instances to draw. A rule whose title, uid or target matches the text keeps all
 * its instances (that pass the state, notification and label filters); otherwise only instances whose name or labels
 * match are kept. Once a state, notification or label filter is set, rules left with no instance are hidden: the
 * question is "which instances".
 */
export function filterRules(rules: AlertRuleInfo[], instances: AlertInstance[], filters: AlertFilters): RuleRow[] {
  const text = filters.text.trim().toLowerCase();
  const labels = parseLabelFilter(filters.labels);
  const narrowed = filters.states.length > 0 || filters.notifications !== 'all' || labels.length > 0;
  const rows: RuleRow[] = [];
  for (const rule of rules) {
    const ruleMatches =
      text === '' || [rule.spec.title, rule.spec.uid, rule.spec.target].some((field) => includes(field, text));
    const kept = instances.filter(
      (i) =>
        i.ruleUid === rule.spec.uid &&
        (filters.states.length === 0 || filters.states.includes(i.state)) &&
        matchesNotifications(i, filters.notifications) &&
        labels.every(([name, value]) => i.labels[name] === value) &&
        (ruleMatches || includes(instanceTitle(i), text) || Object.values(i.labels).some((v) => includes(v, text)))
    );
    if (kept.length > 0 || (ruleMatches && !narrowed)) {
      rows.push({ rule, instances: kept });
    }
  }
  return rows;
}
