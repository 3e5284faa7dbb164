import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { loadProvisioning, ProvisioningError } from './provisioning';

const REPO = path.join(__dirname, '..', '..', '..');

describe('loadProvisioning', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mc-prov-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const problems = (files: Record<string, string>): string[] => {
    for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
    try {
      loadProvisioning(dir, {});
      return [];
    } catch (e) {
      return (e as ProvisioningError).problems.map((p) => p.replaceAll(`${dir}/`, ''));
    }
  };

  it('reads groups with their rules and notifiers, expanding ${NAME} from the environment', () => {
    fs.writeFileSync(
      path.join(dir, 'a.yaml'),
      `notifiers:
  - { name: chat, type: slack, settings: { url: "\${SLACK_URL}" } }
groups:
  - name: servers
    interval: 30s
    notifiers: [chat]
    rules:
      - { uid: load, title: Load, target: servers.*.load, window: 5min, condition: { op: above, threshold: 4 } }
`
    );
    fs.writeFileSync(path.join(dir, 'ignored.txt'), 'not yaml');
    const set = loadProvisioning(dir, { SLACK_URL: 'https://hooks.example.com/T/B/x' });
    expect(set.notifiers).toEqual([
      { name: 'chat', type: 'slack', settings: { url: 'https://hooks.example.com/T/B/x' } },
    ]);
    expect(set.groups.map((g) => [g.name, g.intervalMs, g.notifiers])).toEqual([['servers', 30_000, ['chat']]]);
    expect(set.rules.map((r) => [r.uid, r.group, r.windowMs])).toEqual([['load', 'servers', 300_000]]);
  });

  it('reports every problem with its file, line, column and path', () => {
    expect(
      problems({
        'a.yaml': `groups:
  - name: g
    rules:
      - uid: one
        title: One
        target: a.b
        window: 5x
        condition: { op: sideways, threshold: 1 }
      - { uid: two, title: Two, target: a.c, window: 1min, minSeries: 2, notifiers: [ghost] }
`,
        'b.yaml': `groups:
  - name: g
    interval: 1min
notifiers:
  - { name: n, type: pager, settings: {} }
`,
        'c.yaml': 'groups: [\n',
      })
    ).toEqual([
      'a.yaml:7:17: groups[0].rules[0].window: unknown unit "x" (use s, m or min, h, d, w, mon, y)',
      'a.yaml:8:26: groups[0].rules[0].condition.op: expected above or below',
      'b.yaml:5:22: notifiers[0].type: expected one of smtp, webhook, alertmanager, slack, sms',
      'b.yaml:2:5: groups[0]: group "g" is already defined at a.yaml:2:5',
      expect.stringMatching(/^c\.yaml:2:1: /),
      'a.yaml:9:85: groups[0].rules[1].notifiers: no notifier named "ghost"',
    ]);
  });

  it('accepts the example in provisioning/mission-control/alerting', () => {
    const set = loadProvisioning(path.join(REPO, 'provisioning', 'mission-control', 'alerting'), {
      SLACK_WEBHOOK_URL: 'https://hooks.slack.com/services/T/B/x',
      TWILIO_ACCOUNT_SID: 'AC0',
      TWILIO_AUTH_TOKEN: 'token',
    });
    expect(set.rules.length).toBeGreaterThan(2);
  });
});
