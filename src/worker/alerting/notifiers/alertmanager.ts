/**
 * Sending alerts to an Alertmanager, as Prometheus does: POST /api/v2/alerts with every firing alert on every
 * evaluation (endsAt a few intervals ahead, so Alertmanager resolves them itself if the worker goes away) and a
 * resolved alert (endsAt now) when one recovers. Grouping, repetition, inhibition and routing are then
 * Alertmanager's.
 */
import { postJson } from './http';
import type { NotifierDefinition } from './notifier';
import { checkSettings, str, type SettingsSpec } from './settings';
import { authHeaders, withRunbook } from './webhook';

const SETTINGS: SettingsSpec = {
  url: { kind: 'url', required: true },
  username: { kind: 'string' },
  password: { kind: 'string' },
};

export const alertmanagerNotifier: NotifierDefinition = {
  type: 'alertmanager',
  secrets: ['password'],
  check: (settings) => checkSettings(SETTINGS, settings),
  create(name, settings) {
    const endpoint = `${str(settings, 'url').replace(/\/+$/, '')}/api/v2/alerts`;
    const headers = authHeaders(settings);
    return {
      name,
      type: 'alertmanager',
      resendsEveryEvaluation: true,
      async send(n) {
        const body = n.alerts.map((a) => ({
          labels: a.labels,
          annotations: withRunbook(a),
          startsAt: new Date(a.startsAt).toISOString(),
          endsAt: new Date(a.endsAt).toISOString(),
        }));
        if (body.length > 0) await postJson(endpoint, body, { headers });
      },
    };
  },
};
