import { ALERT_SECRET_MASK } from '../../../shared/api';
import { RuleValidationError } from '../rules';
import { checkNotifier, keepSecrets, maskSecrets } from './index';
import type { AlertItem, Notification } from './notifier';
import { smsText } from './sms';
import { alertmanagerPayload, fingerprint, jsonPayload } from './webhook';

const item: AlertItem = {
  status: 'firing',
  ruleUid: 'cpu',
  ruleTitle: 'CPU high',
  group: 'servers',
  type: 'notice',
  key: 'host="web1",name="cpu"',
  labels: { alertname: 'CPU high', rule_uid: 'cpu', host: 'web1', name: 'cpu', team: 'ops' },
  seriesLabels: { host: 'web1', name: 'cpu' },
  annotations: { summary: 'hot' },
  state: 'alerting',
  value: 97,
  reason: '97 (last over 5min) >= 90',
  target: 'seriesByTag("name=cpu")',
  condition: { op: 'above', threshold: 90 },
  startsAt: 1_800_000_000_000,
  endsAt: 1_800_000_240_000,
  notification: 1,
};
const firing: Notification = { kind: 'firing', at: 1_800_000_060_000, alerts: [item] };

describe('notifier payloads', () => {
  it('plain JSON in Unix seconds', () => {
    expect(jsonPayload('hook', firing)).toMatchObject({
      receiver: 'hook',
      kind: 'firing',
      at: 1_800_000_060,
      alerts: [{ rule: { uid: 'cpu', type: 'notice' }, startsAt: 1_800_000_000, endsAt: null }],
    });
  });

  it("Alertmanager's webhook body", () => {
    const resolved: Notification = { kind: 'recovered', at: 0, alerts: [{ ...item, status: 'resolved' }] };
    expect(alertmanagerPayload('am', resolved)).toMatchObject({
      version: '4',
      status: 'resolved',
      groupKey: '{}:{alertname="CPU high"}',
      alerts: [{ status: 'resolved', startsAt: '2027-01-15T08:00:00.000Z', endsAt: '2027-01-15T08:04:00.000Z' }],
    });
    expect(fingerprint({ b: '2', a: '1' })).toBe(fingerprint({ a: '1', b: '2' }));
    expect(fingerprint({ a: '1' })).not.toBe(fingerprint({ a: '2' }));
  });

  it('SMS text: Hound subject and the reason, short', () => {
    expect(smsText(firing)).toBe('[NOTICE] CPU high (host=web1): 97 (last over 5min) >= 90');
    expect(smsText({ ...firing, alerts: [{ ...item, reason: 'x'.repeat(500) }] })).toHaveLength(300);
  });
});

describe('notifier settings', () => {
  it('are checked by type, with the field at fault', () => {
    expect(() =>
      checkNotifier({ name: 'n', type: 'sms', settings: { provider: 'vonage', from: 'MC', to: [] } })
    ).toThrow(RuleValidationError);
    try {
      checkNotifier({ name: 'n', type: 'sms', settings: { provider: 'vonage', from: 'MC', to: [], colour: 1 } });
    } catch (e) {
      expect((e as RuleValidationError).errors.map((x) => x.field)).toEqual([
        'settings.to',
        'settings.colour',
        'settings.apiKey',
        'settings.apiSecret',
      ]);
    }
  });

  it('hide secrets and keep them when the mask comes back', () => {
    const stored = {
      name: 'n',
      type: 'sms' as const,
      settings: { provider: 'twilio', accountSid: 'AC1', authToken: 'tok', from: '1', to: ['2'] },
    };
    const masked = maskSecrets(stored);
    expect(masked).toEqual({
      spec: { ...stored, settings: { ...stored.settings, authToken: ALERT_SECRET_MASK } },
      secureFields: ['authToken'],
    });
    expect(keepSecrets(masked.spec, stored).settings.authToken).toBe('tok');
    expect(
      keepSecrets({ ...masked.spec, settings: { ...masked.spec.settings, authToken: 'new' } }, stored).settings
        .authToken
    ).toBe('new');
    // A mask for a notifier that has no stored secret is no value at all.
    expect(keepSecrets(masked.spec, undefined).settings).not.toHaveProperty('authToken');
  });
});
