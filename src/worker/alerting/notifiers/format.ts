/**
 * Plain-text wording shared by the notifiers that speak to people (mail, Slack, SMS), in Hound's style:
 * `[ALERT] High load`, `[RECOVERED] High load`, `[NOTICE] Disk filling`.
 */
import { formatValue } from '../templates';
import type { AlertItem, Notification } from './notifier';

export function subjectTag(n: Notification, item: AlertItem): string {
  if (n.kind === 'test') return '[TEST]';
  if (n.kind === 'throttled') return '[THROTTLED]';
  if (item.status === 'resolved') return '[RECOVERED]';
  if (item.state === 'error') return '[ERROR]';
  if (item.state === 'nodata') return '[NO DATA]';
  return item.type === 'notice' ? '[NOTICE]' : '[ALERT]';
}

/** `[ALERT] High load (host=web1)`, or for a throttled batch `[THROTTLED] 40 alerts held back`. */
export function subject(n: Notification): string {
  if (n.kind === 'throttled') {
    return `[THROTTLED] ${n.held} notification${n.held === 1 ? '' : 's'} held back by the global throttle`;
  }
  const item = n.alerts[0]!;
  const which = instanceText(item);
  return `${subjectTag(n, item)} ${item.ruleTitle}${which ? ` (${which})` : ''}`;
}

/** What tells instances of one rule apart: a Graphite path alone, or the series' tags. */
export function instanceText(item: AlertItem): string {
  const { name, ...tags } = item.seriesLabels;
  const rest = Object.entries(tags);
  // A Graphite path says it all; tags say more than the path they were parsed from.
  if (rest.length === 0) return name ?? '';
  return rest.map(([k, v]) => `${k}=${v}`).join(', ');
}

/** One line per alert: what, where, the value and why. */
export function alertLine(item: AlertItem): string {
  const which = instanceText(item);
  const state = item.status === 'resolved' ? 'recovered' : item.state;
  return `${item.ruleTitle}${which ? ` [${which}]` : ''}: ${state}, ${item.reason}`;
}

/** A whole message as text: the body of a plain mail, a Slack message, the longer form of an SMS. */
export function bodyText(n: Notification): string {
  if (n.kind === 'throttled') {
    return [
      `The global throttle held back ${n.held} notification${n.held === 1 ? '' : 's'}:`,
      '',
      ...n.alerts.map((a) => `- ${alertLine(a)}`),
    ].join('\n');
  }
  const item = n.alerts[0]!;
  const lines = [alertLine(item)];
  if (item.value !== null) lines.push(`Value: ${formatValue(item.value)}`);
  if (item.target) lines.push(`Target: ${item.target}`);
  for (const [k, v] of Object.entries(item.annotations)) lines.push(`${k}: ${v}`);
  if (item.runbookUrl) lines.push('', `Runbook: ${item.runbookUrl}`);
  return lines.join('\n');
}
