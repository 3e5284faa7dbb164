/**
 * The app's Alerts pages in the browser against the demo worker: Hound's status grid with its colours, state filter and
 * instance details; the rule editor's live preview; a silence made from label matchers, seen on the grid's square and
 * instance, then expired; and a rule created and deleted in the editor.
 *
 * The rules watch the demo's series (src/worker/demo/feeder.ts): every host's disk.root.used_percent stays between 40
 * and 61, so "above 30" fires on every host and "above 90" on none. They sit in a group evaluated every 2 s, so that a
 * rule has states by the time the page opens.
 */
import type { Locator, Page } from 'playwright-core';

import { ALERTING_PATHS, type AlertRuleResponse, type AlertRuleSpec } from '../../src/shared/api';
import { alertingPath } from '../../src/api/alerting';
import { check, open, screenshot, until, visible, type Context, type Test } from './harness';
import { callWorker, type DemoWorker } from './worker';

const GROUP = 'browser-tests';
const HOSTS = ['db1', 'web1', 'web2', 'web3'];
const DISK = 'servers.*.disk.root.used_percent';
const disk = (host: string) => `servers.${host}.disk.root.used_percent`;

const rule = (spec: Omit<AlertRuleSpec, 'group' | 'window'>): AlertRuleSpec => ({
  group: GROUP,
  window: '1min',
  ...spec,
});

/** One rule per colour of the grid. */
const GRID_RULES: AlertRuleSpec[] = [
  rule({ uid: 'disk-used', title: 'Disk used over 30%', target: DISK, condition: { op: 'above', threshold: 30 } }),
  rule({ uid: 'disk-full', title: 'Disk over 90%', target: DISK, condition: { op: 'above', threshold: 90 } }),
  rule({
    uid: 'disk-used-long',
    title: 'Disk over 30% for an hour',
    target: DISK,
    condition: { op: 'above', threshold: 30 },
    for: '1h',
  }),
  rule({
    uid: 'missing-metric',
    title: 'A metric nobody sends',
    target: 'servers.*.no.such.metric',
    condition: { op: 'above', threshold: 1 },
  }),
  rule({
    uid: 'broken-query',
    title: 'A query that fails',
    target: 'noSuchFunction(servers.*.load.1min)',
    condition: { op: 'above', threshold: 1 },
  }),
];

async function send(worker: DemoWorker, method: string, path: string, body?: unknown): Promise<unknown> {
  const answer = await callWorker(worker, path, { method, body });
  check(answer.status < 300, `${method} ${path}: HTTP ${answer.status} ${JSON.stringify(answer.body)}`);
  return answer.body;
}

/** Puts the fast group and the rules (PUT creates or replaces), and waits until each has been evaluated. */
async function ensureRules(worker: DemoWorker, specs: AlertRuleSpec[]): Promise<void> {
  await send(worker, 'PUT', alertingPath(ALERTING_PATHS.group, GROUP), { name: GROUP, interval: '2s' });
  for (const spec of specs) {
    await send(worker, 'PUT', alertingPath(ALERTING_PATHS.rule, spec.uid), spec);
  }
  await until(
    'every rule evaluated since it was put',
    async () => {
      const answers = await Promise.all(
        specs.map((s) => send(worker, 'GET', alertingPath(ALERTING_PATHS.rule, s.uid)) as Promise<AlertRuleResponse>)
      );
      return answers.map((a) => `${a.spec.uid}: ${a.instances.length} instances`);
    },
    (seen) => seen.every((line) => !line.endsWith(': 0 instances'))
  );
}

/** What a person calls a colour: the hue family of a CSS colour, or grey when it has little saturation. */
function colourName(css: string): string {
  const [r, g, b] = (css.match(/[\d.]+/g) ?? []).slice(0, 3).map(Number);
  const max = Math.max(r, g, b);
  const min = Math.min(r, g, b);
  if (max === 0 || (max - min) / max < 0.25) {
    return 'grey';
  }
  const d = max - min;
  const hue = ((max === r ? (g - b) / d + 6 : max === g ? (b - r) / d + 2 : (r - g) / d + 4) * 60) % 360;
  if (hue < 15 || hue >= 330) {
    return 'red';
  }
  return hue < 42 ? 'orange' : hue < 70 ? 'yellow' : hue < 170 ? 'green' : 'blue';
}

/** The grid's squares in a rule's row: each one's accessible name and the colour it is painted. */
async function squares(row: Locator): Promise<Array<{ name: string; colour: string }>> {
  const buttons = row.getByRole('list', { name: 'Instances' }).getByRole('button');
  const names = await buttons.evaluateAll((all) => all.map((b) => b.getAttribute('aria-label') ?? ''));
  const colours = await buttons.evaluateAll((all) => all.map((b) => getComputedStyle(b).backgroundColor));
  return names.map((name, i) => ({ name, colour: colourName(colours[i]) }));
}

/** How a square looks beside its colour: striped (a background image over the colour) and with an icon inside. */
async function squareLook(row: Locator, name: string): Promise<{ colour: string; striped: boolean; icon: boolean }> {
  const square = row.getByRole('list', { name: 'Instances' }).getByRole('button', { name, exact: true });
  return square.evaluate((b) => {
    const style = getComputedStyle(b);
    return {
      colour: style.backgroundColor,
      striped: style.backgroundImage.includes('gradient'),
      icon: b.querySelector('svg') !== null,
    };
  });
}

const ruleRow = (page: Page, title: string) =>
  page
    .getByRole('table', { name: 'Alert rules' })
    .getByRole('row')
    .filter({ has: page.getByRole('link', { name: title, exact: true }) });

/** The instance's name on the grid, as the page composes it from its labels. */
const instanceName = (host: string, spec: AlertRuleSpec) =>
  `${disk(host)} alertname=${spec.title} rule_uid=${spec.uid}`;

const RULE_LEVEL = 'Rule (no data, too few series, query errors)';

async function openRules(page: Page, context: Context): Promise<void> {
  await open(page, context, 'view=alerts');
  await visible(page.getByRole('table', { name: 'Alert rules' }));
}

/** Opens the drawer of a square and gives its text. */
async function details(page: Page, row: Locator, name: string): Promise<Locator> {
  await row.getByRole('button', { name, exact: true }).click();
  const drawer = page.getByRole('dialog', { name: name.replace(/: [^:]+$/, '') });
  await visible(drawer);
  // The drawer slides in from the right; a screenshot taken before it lands shows half of it.
  const width = page.viewportSize()?.width ?? 0;
  await until(
    'the drawer against the right edge',
    () => drawer.boundingBox(),
    (box) => box !== null && Math.abs(box.x + box.width - width) < 1
  );
  return drawer;
}

async function closeDrawer(page: Page, drawer: Locator): Promise<void> {
  await page.keyboard.press('Escape');
  await drawer.waitFor({ state: 'hidden' });
}

export const alertingTests: Record<string, Test> = {
  async 'alerts: the status grid colours each instance by its state, filters by state and opens an instance'(
    page,
    context
  ) {
    await ensureRules(context.worker, GRID_RULES);
    await openRules(page, context);
    const [used, full, long, missing, broken] = GRID_RULES;

    const expected: Array<[AlertRuleSpec, string, string, string]> = [
      [used, 'Alerting', 'red', 'every host is over 30%'],
      [full, 'OK', 'green', 'no host is over 90%'],
      [long, 'Pending', 'yellow', 'over 30% but not yet for an hour'],
    ];
    for (const [spec, state, colour, why] of expected) {
      const seen = await squares(ruleRow(page, spec.title));
      const hosts = seen.filter((s) => !s.name.startsWith(RULE_LEVEL));
      check(
        hosts.map((s) => s.name).join('\n') === HOSTS.map((h) => `${instanceName(h, spec)}: ${state}`).join('\n'),
        `${spec.title} (${why}): squares ${JSON.stringify(seen)}`
      );
      check(
        hosts.every((s) => s.colour === colour),
        `${spec.title}: ${state} squares should be ${colour}: ${JSON.stringify(hosts)}`
      );
      const own = seen.find((s) => s.name.startsWith(RULE_LEVEL));
      check(
        own?.name === `${RULE_LEVEL}: OK` && own.colour === 'green',
        `${spec.title}'s own instance: ${JSON.stringify(own)}`
      );
    }
    for (const [spec, state, colour] of [
      [missing, 'No data', 'grey'],
      [broken, 'Error', 'orange'],
    ] as const) {
      const seen = await squares(ruleRow(page, spec.title));
      check(
        JSON.stringify(seen) === JSON.stringify([{ name: `${RULE_LEVEL}: ${state}`, colour }]),
        `${spec.title}: squares ${JSON.stringify(seen)}`
      );
    }
    await visible(ruleRow(page, broken.title).getByText(/query failed: .*noSuchFunction/));
    await screenshot(page, 'alerts-grid');

    const states = page.getByRole('group', { name: 'Filter by state' });
    await states.getByRole('button', { name: /^Alerting \(\d+\)$/ }).click();
    const shown = page
      .getByRole('table', { name: 'Alert rules' })
      .getByRole('list', { name: 'Instances' })
      .getByRole('button');
    const alerting = await until(
      'only alerting squares',
      () => shown.evaluateAll((all) => all.map((b) => b.getAttribute('aria-label') ?? '')),
      (names) => names.length > 0 && names.every((n) => n.endsWith(': Alerting'))
    );
    check(
      HOSTS.every((h) => alerting.includes(`${instanceName(h, used)}: Alerting`)),
      `alerting squares: ${alerting.join(', ')}`
    );
    check((await ruleRow(page, full.title).count()) === 0, 'the rule with only OK instances is still listed');
    await screenshot(page, 'alerts-grid-alerting');
    await states.getByRole('button', { name: /^Alerting \(\d+\)$/ }).click();
    await visible(ruleRow(page, full.title));

    const drawer = await details(page, ruleRow(page, used.title), `${instanceName('web2', used)}: Alerting`);
    const instance = drawer.getByLabel('Instance');
    const [value, reason] = await Promise.all([
      instance.locator('dt:text-is("Value") + dd').textContent(),
      instance.locator('dt:text-is("Reason") + dd').textContent(),
    ]);
    const reasonValue = /^([\d.]+) \(last over 1min\) >= 30$/.exec(reason ?? '')?.[1];
    check(
      Number(value) >= 30 && Math.abs(Number(value) - Number(reasonValue)) < 0.01,
      `web2's details: value ${value}, reason ${reason}`
    );
    await visible(drawer.getByText('Alerting', { exact: true }));
    await visible(drawer.getByRole('link', { name: used.title }));
    await visible(drawer.getByText(`name=${disk('web2')}`));
    await screenshot(page, 'alerts-instance');
  },

  async 'alerts: the rule editor previews the target against the threshold and lists what would fire'(page, context) {
    await ensureRules(context.worker, []);
    await open(page, context, 'view=alerts&at=rules/new');
    const preview = page.getByRole('region', { name: 'Preview' });
    // The worker previews a rule only once it has what every rule needs, a uid and a title among them: until then the
    // page waits, quietly.
    await visible(preview.getByText('The preview waits for UID, Title, Target and Threshold.'));
    check((await page.getByText(/required/).count()) === 0, 'a new rule shows "required" errors before any typing');
    await page.getByLabel(/^UID/).fill('disk-preview');
    await page.getByLabel('Title', { exact: true }).fill('Disk preview');
    await page.getByLabel(/^Target/).fill(DISK);
    await page.getByLabel('Threshold', { exact: true }).fill('30');

    await visible(preview.getByRole('img', { name: 'Last 24 hours of 4 series, threshold 30' }));
    check((await preview.locator('[data-testid="threshold"]').count()) === 1, 'no threshold line on the chart');
    const firing = preview.getByRole('list', { name: 'Would fire now' }).getByRole('listitem');
    const all = await until(
      'every host over 30%',
      () => firing.allTextContents(),
      (items) => items.length === 4
    );
    const values = new Map<string, number>();
    for (const host of HOSTS) {
      const item = all.find((text) => text.startsWith(`Alerting ${disk(host)} `));
      const m = item === undefined ? null : /: ([\d.]+) \([\d.]+ \(last over 5min\) >= 30\)$/.exec(item);
      check(m !== null, `${host} would fire: ${all.join(' | ')}`);
      values.set(host, Number(m![1]));
    }
    await screenshot(page, 'alerts-preview');

    await page.getByLabel('Threshold', { exact: true }).fill('90');
    await visible(preview.getByRole('img', { name: 'Last 24 hours of 4 series, threshold 90' }));
    await visible(preview.getByText('None of 5 instances.'));

    // A threshold in the widest gap between the hosts' values splits them, far from the demo's slow drift.
    const sorted = [...values.entries()].sort((a, b) => a[1] - b[1]);
    let widest = 1;
    for (let i = 2; i < sorted.length; i++) {
      if (sorted[i][1] - sorted[i - 1][1] > sorted[widest][1] - sorted[widest - 1][1]) {
        widest = i;
      }
    }
    const threshold = Number(((sorted[widest][1] + sorted[widest - 1][1]) / 2).toFixed(2));
    const above = sorted.slice(widest).map(([host]) => host);
    await page.getByLabel('Threshold', { exact: true }).fill(String(threshold));
    const split = await until(
      `the hosts over ${threshold}`,
      () => firing.allTextContents(),
      (items) => items.length === above.length && items.every((t) => t.includes(`>= ${threshold})`))
    );
    check(
      above.every((host) => split.some((t) => t.startsWith(`Alerting ${disk(host)}`))),
      `over ${threshold} should be ${above.join(', ')}: ${split.join(' | ')}`
    );
    await screenshot(page, 'alerts-preview-split');
  },

  async 'alerts: a silence by label matchers shows on the matching instance and its grid square until it is expired'(
    page,
    context
  ) {
    const used = GRID_RULES[0];
    await ensureRules(context.worker, [used]);
    const matchers = `rule_uid=${used.uid}, name=${disk('web2')}`;
    await open(page, context, 'view=alerts&at=silences');
    const form = page.getByRole('form', { name: 'New silence' });
    await form.getByLabel('Matchers').fill(matchers);
    await form.getByLabel('Author').fill('ana');
    await form.getByLabel('Comment').fill('cleaning up web2’s disk');
    await form.getByRole('button', { name: 'Create silence' }).click();

    const silences = page.getByRole('region', { name: 'Silences' });
    const row = silences.getByRole('row').filter({ hasText: matchers });
    await visible(row.getByText('active', { exact: true }));
    await visible(row.getByText('cleaning up web2’s disk'));
    await screenshot(page, 'alerts-silence');

    await page.getByRole('tab', { name: 'Rules' }).click();
    const usedRow = ruleRow(page, used.title);
    await visible(usedRow);
    const web2Silenced = `${instanceName('web2', used)}: Alerting, silenced`;
    const silencedLook = await squareLook(usedRow, web2Silenced);
    check(
      colourName(silencedLook.colour) === 'red' && silencedLook.striped && silencedLook.icon,
      `web2's square should stay red, striped, with an icon: ${JSON.stringify(silencedLook)}`
    );
    const web1Look = await squareLook(usedRow, `${instanceName('web1', used)}: Alerting`);
    check(
      !web1Look.striped && !web1Look.icon,
      `web1, which no matcher names, looks silenced: ${JSON.stringify(web1Look)}`
    );
    await screenshot(page, 'alerts-silenced-square');

    const notifications = page.getByRole('radiogroup', { name: 'Filter by notifications' });
    // Grafana's radio buttons hide the input under its label.
    await notifications.getByRole('radio', { name: /^Silenced \(\d+\)$/ }).check({ force: true });
    const onlySilenced = await until(
      'only silenced squares',
      async () => (await squares(usedRow)).map((s) => s.name),
      (names) => names.length > 0 && names.every((n) => n.endsWith(', silenced'))
    );
    check(onlySilenced.join('\n') === web2Silenced, `silenced squares of ${used.title}: ${onlySilenced.join(', ')}`);
    await notifications.getByRole('radio', { name: 'All', exact: true }).check({ force: true });

    let drawer = await details(page, usedRow, web2Silenced);
    await visible(drawer.getByText('Silenced', { exact: true }));
    await screenshot(page, 'alerts-silenced-instance');
    await closeDrawer(page, drawer);
    drawer = await details(page, usedRow, `${instanceName('web1', used)}: Alerting`);
    check(
      (await drawer.getByText('Silenced', { exact: true }).count()) === 0,
      'web1, which no matcher names, is silenced'
    );
    await closeDrawer(page, drawer);

    await page.getByRole('tab', { name: 'Silences' }).click();
    await row.getByRole('button', { name: `Expire silence ${matchers}` }).click();
    await visible(row.getByText('expired', { exact: true }));
    check(
      (await row.getByRole('button', { name: /^Expire/ }).count()) === 0,
      'an expired silence can still be expired'
    );

    await page.getByRole('tab', { name: 'Rules' }).click();
    const web2Look = await squareLook(ruleRow(page, used.title), `${instanceName('web2', used)}: Alerting`);
    check(
      !web2Look.striped && !web2Look.icon,
      `web2's square still looks silenced after the expiry: ${JSON.stringify(web2Look)}`
    );
    drawer = await details(page, ruleRow(page, used.title), `${instanceName('web2', used)}: Alerting`);
    check(
      (await drawer.getByText('Silenced', { exact: true }).count()) === 0,
      'web2 is still silenced after the expiry'
    );
  },

  async 'alerts: a rule created in the editor is stored as written, and deleted after confirmation'(page, context) {
    await ensureRules(context.worker, []);
    await open(page, context, 'view=alerts&at=rules/new');
    await page.getByLabel(/^UID/).fill('web-disk');
    await page.getByLabel('Title', { exact: true }).fill('Web disks over 30%');
    await page.getByLabel(/^Target/).fill('servers.web*.disk.root.used_percent');
    await page.getByLabel('Threshold', { exact: true }).fill('30');
    await page.getByRole('radio', { name: 'Fixed interval' }).check({ force: true });
    await page.getByLabel('Repeat interval').fill('30min');
    await page.getByRole('button', { name: 'Create rule' }).click();

    await visible(page.getByRole('heading', { name: 'Web disks over 30%' }));
    const stored = (await send(
      context.worker,
      'GET',
      alertingPath(ALERTING_PATHS.rule, 'web-disk')
    )) as AlertRuleResponse;
    check(stored.spec.group === GROUP && stored.spec.repeat === '30min', `stored: ${JSON.stringify(stored.spec)}`);
    await page.getByRole('link', { name: 'Edit rule' }).click();
    await page.getByRole('button', { name: 'Delete rule' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete rule' });
    await visible(dialog.getByText('Delete "Web disks over 30%"?'));
    await screenshot(page, 'alerts-delete');
    await dialog.getByRole('button', { name: 'Delete', exact: true }).click();

    await visible(page.getByRole('table', { name: 'Alert rules' }));
    check((await page.getByRole('link', { name: 'Web disks over 30%' }).count()) === 0, 'the deleted rule is listed');
    const gone = await callWorker(context.worker, alertingPath(ALERTING_PATHS.rule, 'web-disk'));
    check(gone.status === 404, `the worker still has the rule: HTTP ${gone.status}`);
  },
};
