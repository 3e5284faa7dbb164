import type { GrafanaTheme2 } from '@grafana/data';

import type { AlertInstance, AlertState } from '../../shared/api';

/** The alert states in the order the page lists them: the ones that need a person first. */
export const STATES: readonly AlertState[] = ['alerting', 'error', 'pending', 'nodata', 'ok'];

export const STATE_NAMES: Record<AlertState, string> = {
  alerting: 'Alerting',
  error: 'Error',
  pending: 'Pending',
  nodata: 'No data',
  ok: 'OK',
};

/** Hound's grid colours: green OK, red alerting, orange error, grey no data, yellow pending, from the theme. */
export function stateColor(theme: GrafanaTheme2, state: AlertState): string {
  switch (state) {
    case 'ok':
      return theme.visualization.getColorByName('green');
    case 'alerting':
      return theme.visualization.getColorByName('red');
    case 'error':
      return theme.visualization.getColorByName('orange');
    case 'pending':
      return theme.visualization.getColorByName('yellow');
    case 'nodata':
      return theme.colors.text.disabled;
  }
}

/** What names an instance to a person: its series name, its other labels, or "the rule" for the rule-level one. */
export function instanceTitle(instance: Pick<AlertInstance, 'key' | 'labels'>): string {
  if (instance.key === '') {
    return 'Rule (no data, too few series, query errors)';
  }
  const { name, ...rest } = instance.labels;
  const others = Object.entries(rest).map(([k, v]) => `${k}=${v}`);
  return name ? [name, ...others].join(' ') : others.join(', ');
}

/** What holds an instance's notifications back, in words: `silenced`, `acknowledged by ana`. */
export function suppressions(instance: Pick<AlertInstance, 'silencedBy' | 'acknowledgedBy'>): string[] {
  const held: string[] = [];
  if (isSilenced(instance)) {
    held.push('silenced');
  }
  if (instance.acknowledgedBy !== undefined) {
    held.push(`acknowledged by ${instance.acknowledgedBy}`);
  }
  return held;
}

export function isSilenced(instance: Pick<AlertInstance, 'silencedBy'>): boolean {
  return (instance.silencedBy?.length ?? 0) > 0;
}

/** The state as a square names it: `Alerting`, or `Alerting, silenced` when its notifications are held back. */
export function instanceStatus(instance: Pick<AlertInstance, 'state' | 'silencedBy' | 'acknowledgedBy'>): string {
  return [STATE_NAMES[instance.state], ...suppressions(instance)].join(', ');
}

/** Most severe state first, then by title, so the grid reads the same on every refresh. */
export function sortInstances<T extends Pick<AlertInstance, 'key' | 'labels' | 'state'>>(instances: T[]): T[] {
  return [...instances].sort(
    (a, b) => STATES.indexOf(a.state) - STATES.indexOf(b.state) || instanceTitle(a).localeCompare(instanceTitle(b))
  );
}

export function formatValue(value: number | null): string {
  if (value === null) {
    return 'no value';
  }
  return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(4)));
}
