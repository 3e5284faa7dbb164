/**
 * The inventory in the browser, against the demo worker: a server created in the page, an application attached and
 * an alias requested for it, a note added, and the server's page showing its graphs (the demo's servers.web1.*
 * series) with the note marked on them and the alert instance on its series; then the whole-inventory search, editing,
 * and deleting, which the worker refuses while an alias still points at the server.
 */
import { callWorker, type DemoWorker } from './worker';
import { check, open, screenshot, until, visible, type Test } from './harness';

const SERVER = 'web1.example.net';
const APPLICATION = 'shop';
const ALIAS = 'shop.example.net';
const NOTE = 'Replaced the disk in bay 2; RAID rebuilt overnight.';
const RULE = { uid: 'inventory-web1-load', title: 'Load on web1', group: 'inventory-browser' };

async function call(worker: DemoWorker, method: string, path: string, body?: unknown): Promise<void> {
  const { status, body: answer } = await callWorker(worker, path, { method, body });
  check(status >= 200 && status < 300, `${method} ${path}: HTTP ${status} ${JSON.stringify(answer)}`);
}

export const inventoryTests: Record<string, Test> = {
  async 'inventory: a new server with an application, an alias and a note, shown on its graphs'(page, context) {
    const { worker } = context;
    // What the pages do not create: an application to attach, and a rule on the server's series, evaluated each second.
    await call(worker, 'POST', '/api/v1/inventory/applications', {
      name: APPLICATION,
      lifecycle: 'production',
      servers: [],
      aliases: [],
      contacts: [],
    });
    await call(worker, 'POST', '/api/v1/alerting/groups', { name: RULE.group, interval: '1s' });
    await call(worker, 'POST', '/api/v1/alerting/rules', {
      uid: RULE.uid,
      title: RULE.title,
      group: RULE.group,
      target: 'servers.web1.load.1min',
      window: '5min',
      condition: { op: 'above', threshold: 0 },
    });
    try {
      await open(page, context, 'view=inventory');
      await page.getByRole('button', { name: 'Add server' }).click();
      const create = page.getByRole('form', { name: 'New server' });
      await create.getByLabel('Hostname').fill(SERVER);
      await create.getByLabel('Role').fill('web');
      await create.getByLabel('Environment').fill('production');
      await create.getByLabel('Series').fill('name=~servers\\.web1\\.');
      await create.getByRole('button', { name: 'Create server' }).click();
      await visible(page.getByRole('heading', { name: `Server ${SERVER}` }));

      const deploy = page.getByRole('form', { name: 'Deploy an application' });
      await deploy.getByLabel('Application').fill(APPLICATION);
      await deploy.getByRole('button', { name: 'Deploy' }).click();
      const relations = page.getByRole('region', { name: 'Relations' });
      await visible(relations.getByRole('link', { name: APPLICATION }));

      await page.getByRole('link', { name: 'Request an alias for this server' }).click();
      const request = page.getByRole('form', { name: 'Alias request' });
      check((await request.getByLabel('Server').inputValue()) === SERVER, 'the request form did not name the server');
      await request.getByLabel('FQDN').fill(ALIAS);
      await request.getByLabel('Applications').fill(APPLICATION);
      await request.getByLabel('Requested by').fill('ops@example.net');
      await request.getByRole('button', { name: 'Send request' }).click();
      await visible(page.getByRole('heading', { name: 'Alias requested' }));
      await page.getByRole('link', { name: ALIAS }).click();
      await visible(page.getByRole('heading', { name: `Alias ${ALIAS}` }));
      await page.getByRole('region', { name: 'Relations' }).getByRole('link', { name: SERVER }).click();

      await visible(page.getByRole('heading', { name: `Server ${SERVER}` }));
      await until(
        'the server’s application and alias',
        () => relations.getByRole('link').allTextContents(),
        (names) => names.includes(APPLICATION) && names.includes(ALIAS)
      );

      const notes = page.getByRole('region', { name: 'Notes' });
      await notes.getByLabel('New note').fill(NOTE);
      await notes.getByRole('button', { name: 'Add note' }).click();
      await visible(page.getByRole('list', { name: 'Notes list' }).getByText(NOTE));

      const load = page.getByRole('figure', { name: 'Load, Last 24 hours' });
      await visible(load.getByRole('img', { name: 'servers.web1.load.1min' }));
      for (const group of ['Memory', 'Disk']) {
        const figure = page.getByRole('figure', { name: `${group}, Last 7 days` });
        await visible(figure.getByRole('img'));
      }
      const path = await load.locator('path').getAttribute('d');
      // The demo's quarter of an hour fills the last of the day's 24-minute buckets or two: a short line at the right
      // end, or a dot when it fell into one bucket.
      check(/^M[\d.,]+(L|h0$)/.test(path ?? ''), `the load graph draws nothing: ${path}`);
      const mark = load.getByRole('note', { name: new RegExp(`^Note on server:${SERVER} by .*: ${NOTE}`) });
      await visible(mark);
      // The alias was requested a moment before the note: both are marks on the server's graphs.
      await visible(load.getByRole('note', { name: new RegExp(`^alias:${ALIAS} requested`) }));

      const instance = page
        .getByRole('table', { name: 'Alert instances' })
        .getByRole('row')
        .filter({ has: page.getByRole('link', { name: RULE.title }) });
      await visible(instance);
      const row = await instance.textContent();
      check(/Alerting/.test(row ?? '') && (row ?? '').includes('servers.web1.load.1min'), `alert row: ${row}`);

      await mark.hover();
      await visible(page.getByRole('tooltip').getByText(NOTE));
      await screenshot(page, 'inventory-server');
    } finally {
      await call(worker, 'DELETE', `/api/v1/alerting/rules/${RULE.uid}`);
      await call(worker, 'DELETE', `/api/v1/alerting/groups/${RULE.group}`);
    }
  },

  async 'inventory: search finds a server by address; it is edited, and deleted only once no alias points at it'(
    page,
    context
  ) {
    const { worker } = context;
    const server = 'db9.example.net';
    const alias = 'db.example.net';
    await call(worker, 'POST', '/api/v1/inventory/servers', {
      hostname: server,
      status: 'active',
      addresses: [{ address: '10.9.0.12' }],
      contacts: [],
    });
    await call(worker, 'POST', '/api/v1/inventory/aliases', { fqdn: alias, type: 'CNAME', server });

    await open(page, context, 'view=inventory');
    const search = page.getByRole('search', { name: 'Whole inventory' });
    await search.getByRole('textbox').fill('10.9.0.12');
    await search.getByRole('button', { name: 'Search' }).click();
    const found = page.getByRole('table', { name: 'Found' }).getByRole('row');
    const rows = await until(
      'the search results',
      () => found.allTextContents(),
      (r) => r.length > 1
    );
    check(rows.length === 2 && rows[1].includes('address: 10.9.0.12'), `found: ${rows.join(' | ')}`);
    await page.getByRole('link', { name: server }).click();

    await visible(page.getByRole('heading', { name: `Server ${server}` }));
    await page.getByRole('button', { name: 'Edit' }).click();
    const edit = page.getByRole('form', { name: 'Edit server' });
    await edit.getByLabel('Role').fill('database');
    await edit.getByRole('button', { name: 'Save' }).click();
    const role = page.getByRole('table', { name: 'Details' }).getByRole('row').filter({ hasText: 'Role' });
    await until(
      'the saved role',
      () => role.textContent(),
      (t) => t === 'Roledatabase'
    );

    await page.getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Delete' }).click();
    const refusal = page.getByRole('alert').filter({ hasText: 'Not deleted' });
    await visible(refusal);
    check((await refusal.textContent())?.includes(`alias:${alias}`) === true, 'the refusal does not name the alias');
    await screenshot(page, 'inventory-delete-refused');

    await page.getByRole('region', { name: 'Relations' }).getByRole('link', { name: alias }).click();
    await visible(page.getByRole('heading', { name: `Alias ${alias}` }));
    await page.getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Delete' }).click();
    // Back on the aliases, whichever aliases other tests left.
    await visible(page.getByRole('table', { name: 'Aliases' }).or(page.getByText('No aliases yet.')));
    check((await page.getByRole('link', { name: alias }).count()) === 0, 'the deleted alias is still listed');
    const { status } = await callWorker(worker, `/api/v1/inventory/aliases/${alias}`);
    check(status === 404, `the worker still has the alias: HTTP ${status}`);
  },
};
