/**
 * E-mail through the worker's mailer (its `smtp` configuration, which also sets the sender): Hound's message
 * ([ALERT] / [NOTICE] / [RECOVERED] and the rule's title in the subject, what and why in the body, the runbook link)
 * with the 24 h and 7 d graphs of the target as inline PNG images, the threshold drawn on them. Alert and recovery mails carry both graphs; test and throttled
 * mails, which are about no single series, carry none.
 */
import type { MailMessage } from '../../notify/mailer';
import { bodyText, subject } from './format';
import type { Notification, NotifierDefinition, NotifierDeps } from './notifier';
import { checkSettings, list, str, type SettingsSpec } from './settings';

const SETTINGS: SettingsSpec = {
  to: { kind: 'list', required: true },
  subjectPrefix: { kind: 'string' },
};

export const smtpNotifier: NotifierDefinition = {
  type: 'smtp',
  secrets: [],
  check: (settings) => checkSettings(SETTINGS, settings),
  create(name, settings, deps) {
    const to = list(settings, 'to');
    const prefix = str(settings, 'subjectPrefix');
    return {
      name,
      type: 'smtp',
      resendsEveryEvaluation: false,
      async send(n) {
        if (!deps.mailer) throw new Error('no mail server: configure the worker\'s "smtp" section');
        await deps.mailer.send({ ...(await composeMail(n, deps)), to, subject: `${prefix}${subject(n)}` });
      },
    };
  },
};

export async function composeMail(
  n: Notification,
  deps: Pick<NotifierDeps, 'graphs'>
): Promise<Pick<MailMessage, 'text' | 'html' | 'attachments'>> {
  const text = bodyText(n);
  const item = n.alerts[0];
  if (n.kind === 'test' || n.kind === 'throttled' || !item) return { text, html: htmlParagraphs(text) };
  const graphs = await deps.graphs(item);
  const html = [
    htmlParagraphs(text),
    '<p><b>Last 24 hours</b><br><img src="cid:graph-24h" width="800" alt="last 24 hours"></p>',
    '<p><b>Last 7 days</b><br><img src="cid:graph-7d" width="800" alt="last 7 days"></p>',
  ].join('\n');
  return {
    text,
    html,
    attachments: [
      { filename: 'last-24h.png', content: graphs.day, contentType: 'image/png', cid: 'graph-24h' },
      { filename: 'last-7d.png', content: graphs.week, contentType: 'image/png', cid: 'graph-7d' },
    ],
  };
}

function htmlParagraphs(text: string): string {
  const escaped = text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return `<p style="font-family: sans-serif">${escaped.replace(/\n/g, '<br>\n')}</p>`;
}
