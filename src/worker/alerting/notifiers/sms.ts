/**
 * SMS through a provider's HTTP API, one message per recipient:
 * - `twilio`: POST {baseUrl}/2010-04-01/Accounts/{accountSid}/Messages.json, form To, From, Body, basic auth
 *   accountSid:authToken.
 * - `vonage` (Nexmo, as seed 002 names it): POST {baseUrl}/sms/json, form api_key, api_secret, from, to, text; it
 *   answers 200 even on failure, with a non-zero `status` per message.
 * `baseUrl` defaults to the provider's public endpoint; setting it points the notifier at a compatible gateway or a
 * test double.
 */
import { subject } from './format';
import { basicAuth, postForm } from './http';
import type { Notification, NotifierDefinition } from './notifier';
import { checkSettings, list, str, type SettingsSpec } from './settings';

const SETTINGS: SettingsSpec = {
  provider: { kind: 'string', required: true, oneOf: ['twilio', 'vonage'] },
  baseUrl: { kind: 'url' },
  from: { kind: 'string', required: true },
  to: { kind: 'list', required: true },
  accountSid: { kind: 'string' },
  authToken: { kind: 'string' },
  apiKey: { kind: 'string' },
  apiSecret: { kind: 'string' },
};

const DEFAULT_BASE: Record<string, string> = {
  twilio: 'https://api.twilio.com',
  vonage: 'https://rest.nexmo.com',
};

/** Long enough for the subject and the reason, short enough to stay within a few SMS segments. */
const MAX_CHARS = 300;

export const smsNotifier: NotifierDefinition = {
  type: 'sms',
  secrets: ['authToken', 'apiSecret'],
  check(settings) {
    const errors = checkSettings(SETTINGS, settings);
    const needs = settings.provider === 'twilio' ? ['accountSid', 'authToken'] : ['apiKey', 'apiSecret'];
    for (const k of needs) {
      if (!str(settings, k))
        errors.push({ field: `settings.${k}`, error: `required for ${String(settings.provider)}` });
    }
    return errors;
  },
  create(name, settings) {
    const provider = str(settings, 'provider');
    const base = (str(settings, 'baseUrl') || DEFAULT_BASE[provider]!).replace(/\/+$/, '');
    const from = str(settings, 'from');
    const recipients = list(settings, 'to');
    const deliver =
      provider === 'twilio'
        ? async (to: string, text: string) => {
            const sid = str(settings, 'accountSid');
            await postForm(
              `${base}/2010-04-01/Accounts/${encodeURIComponent(sid)}/Messages.json`,
              { To: to, From: from, Body: text },
              { headers: { authorization: basicAuth(sid, str(settings, 'authToken')) } }
            );
          }
        : async (to: string, text: string) => {
            const answer = await postForm(`${base}/sms/json`, {
              api_key: str(settings, 'apiKey'),
              api_secret: str(settings, 'apiSecret'),
              from,
              to,
              text,
            });
            const failed = (
              JSON.parse(answer) as { messages?: Array<{ status: string; 'error-text'?: string }> }
            ).messages?.find((m) => m.status !== '0');
            if (failed)
              throw new Error(`vonage refused the message: ${failed['error-text'] ?? `status ${failed.status}`}`);
          };
    return {
      name,
      type: 'sms',
      resendsEveryEvaluation: false,
      async send(n) {
        const text = smsText(n);
        for (const to of recipients) await deliver(to, text);
      },
    };
  },
};

export function smsText(n: Notification): string {
  const detail = n.kind === 'throttled' ? '' : `: ${n.alerts[0]!.reason}`;
  const text = `${subject(n)}${detail}`;
  return text.length > MAX_CHARS ? `${text.slice(0, MAX_CHARS - 3)}...` : text;
}
