/**
 * Webhooks: a POST of JSON to any URL, in one of two shapes.
 *
 * `format: json` (the default), Mission Control's own, times in Unix seconds:
 *
 *   { "receiver": "ops-hook", "kind": "firing" | "recovered" | "throttled" | "test", "at": 1763800000,
 *     "held": 3,                                   // throttled only
 *     "alerts": [ { "status": "firing" | "resolved", "rule": { "uid", "title", "group", "type" },
 *                   "key", "labels", "annotations", "state", "value", "reason", "target",
 *                   "condition": { "op", "threshold", "recoveryThreshold" }, "runbookUrl",
 *                   "startsAt", "endsAt" (null while firing), "notification" } ] }
 *
 * `format: alertmanager`, the body Alertmanager's webhook receiver sends (version "4"), so that anything written for
 * Alertmanager webhooks (chat bridges, ticketing hooks) works unchanged.
 */
import { createHash } from 'node:crypto';

import { basicAuth, postJson } from './http';
import type { AlertItem, Notification, NotifierDefinition } from './notifier';
import { checkSettings, str, type SettingsSpec } from './settings';

const SETTINGS: SettingsSpec = {
  url: { kind: 'url', required: true },
  format: { kind: 'string', oneOf: ['json', 'alertmanager'] },
  username: { kind: 'string' },
  password: { kind: 'string' },
  bearerToken: { kind: 'string' },
};

/** Alertmanager's zero time, which it writes as endsAt of a firing alert. */
const ZERO_TIME = '0001-01-01T00:00:00Z';

export const webhookNotifier: NotifierDefinition = {
  type: 'webhook',
  secrets: ['password', 'bearerToken'],
  check: (settings) => checkSettings(SETTINGS, settings),
  create(name, settings) {
    const url = str(settings, 'url');
    const alertmanagerFormat = str(settings, 'format') === 'alertmanager';
    const headers = authHeaders(settings);
    return {
      name,
      type: 'webhook',
      resendsEveryEvaluation: false,
      async send(n) {
        await postJson(url, alertmanagerFormat ? alertmanagerPayload(name, n) : jsonPayload(name, n), { headers });
      },
    };
  },
};

export function authHeaders(settings: Record<string, unknown>): Record<string, string> {
  const token = str(settings, 'bearerToken');
  if (token) return { authorization: `Bearer ${token}` };
  const username = str(settings, 'username');
  return username ? { authorization: basicAuth(username, str(settings, 'password')) } : {};
}

export function jsonPayload(receiver: string, n: Notification): unknown {
  return {
    receiver,
    kind: n.kind,
    at: n.at / 1000,
    ...(n.held === undefined ? {} : { held: n.held }),
    alerts: n.alerts.map((a) => ({
      status: a.status,
      rule: { uid: a.ruleUid, title: a.ruleTitle, group: a.group, type: a.type },
      key: a.key,
      labels: a.labels,
      annotations: a.annotations,
      state: a.state,
      value: a.value,
      reason: a.reason,
      target: a.target,
      condition: a.condition ?? null,
      runbookUrl: a.runbookUrl ?? null,
      startsAt: a.startsAt / 1000,
      endsAt: a.status === 'resolved' ? a.endsAt / 1000 : null,
      notification: a.notification,
    })),
  };
}

/** Alertmanager's webhook body (version 4), one group per notification, grouped by alertname. */
export function alertmanagerPayload(receiver: string, n: Notification): unknown {
  const alerts = n.alerts.map((a) => ({
    status: a.status,
    labels: a.labels,
    annotations: withRunbook(a),
    startsAt: new Date(a.startsAt).toISOString(),
    endsAt: a.status === 'resolved' ? new Date(a.endsAt).toISOString() : ZERO_TIME,
    generatorURL: '',
    fingerprint: fingerprint(a.labels),
  }));
  const commonLabels = common(alerts.map((a) => a.labels));
  const groupLabels = commonLabels.alertname === undefined ? {} : { alertname: commonLabels.alertname };
  return {
    version: '4',
    groupKey: `{}:{${Object.entries(groupLabels)
      .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
      .join(',')}}`,
    truncatedAlerts: 0,
    status: alerts.some((a) => a.status === 'firing') ? 'firing' : 'resolved',
    receiver,
    groupLabels,
    commonLabels,
    commonAnnotations: common(alerts.map((a) => a.annotations)),
    externalURL: '',
    alerts,
  };
}

/** Annotations with the runbook under the name Alertmanager users give it. */
export function withRunbook(a: AlertItem): Record<string, string> {
  return a.runbookUrl ? { ...a.annotations, runbook_url: a.runbookUrl } : a.annotations;
}

/** The pairs every map has in common. */
function common(maps: ReadonlyArray<Record<string, string>>): Record<string, string> {
  if (maps.length === 0) return {};
  const [first, ...rest] = maps;
  return Object.fromEntries(Object.entries(first!).filter(([k, v]) => rest.every((m) => m[k] === v)));
}

/** A stable 16-hex-digit identity of a label set (Alertmanager's fingerprint plays the same part). */
export function fingerprint(labels: Record<string, string>): string {
  const h = createHash('sha256');
  for (const k of Object.keys(labels).sort()) h.update(`${k}\xff${labels[k]}\xff`);
  return h.digest('hex').slice(0, 16);
}
