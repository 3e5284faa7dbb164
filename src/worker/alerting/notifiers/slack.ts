/**
 * Slack incoming webhooks: one message per notification, its colour the state's (as Hound's grid: red alerting,
 * orange error, grey no data, green recovered). The webhook URL is the credential, so it is the secret.
 */
import { bodyText, subject } from './format';
import { postJson } from './http';
import type { Notification, NotifierDefinition } from './notifier';
import { checkSettings, str, type SettingsSpec } from './settings';

const SETTINGS: SettingsSpec = {
  url: { kind: 'url', required: true },
  channel: { kind: 'string' },
  username: { kind: 'string' },
};

export const slackNotifier: NotifierDefinition = {
  type: 'slack',
  secrets: ['url'],
  check: (settings) => checkSettings(SETTINGS, settings),
  create(name, settings) {
    const url = str(settings, 'url');
    const extra: Record<string, string> = {};
    if (str(settings, 'channel')) extra.channel = str(settings, 'channel');
    if (str(settings, 'username')) extra.username = str(settings, 'username');
    return {
      name,
      type: 'slack',
      resendsEveryEvaluation: false,
      async send(n) {
        await postJson(url, {
          ...extra,
          text: subject(n),
          attachments: [{ color: colour(n), text: bodyText(n), ts: Math.floor(n.at / 1000) }],
        });
      },
    };
  },
};

function colour(n: Notification): string {
  const item = n.alerts[0];
  if (n.kind === 'test' || !item) return '#5794f2';
  if (n.kind === 'throttled') return '#ff9830';
  if (item.status === 'resolved') return '#73bf69';
  if (item.state === 'error') return '#ff9830';
  if (item.state === 'nodata') return '#8e8e8e';
  return '#f2495c';
}
