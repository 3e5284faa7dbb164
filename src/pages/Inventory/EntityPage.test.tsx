import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import type { DataSourceInstanceSettings } from '@grafana/data';

import type { MissionControlOptions } from '../../datasource/types';
import * as fixtures from '../../test/fixtures';
import { alertsUrl } from '../Alerts/paths';
import { markPosition, sparklinePath } from './EntityGraphs';
import { entityUrl } from './paths';
import * as inv from './testdata/inventory';
import { renderInventory } from './testdata/render';
import { ReplayWorker } from './testdata/replay';

let mockWorker: ReplayWorker;
let mockDatasources: Array<DataSourceInstanceSettings<MissionControlOptions>>;

jest.mock('@grafana/runtime', () => ({
  ...jest.requireActual('@grafana/runtime'),
  getBackendSrv: () => mockWorker,
  getDataSourceSrv: () => ({ getList: () => mockDatasources }),
}));

const WEB05 = 'web05.ctl.example.edu';
const WEB05_PATH = `/api/v1/inventory/servers/${WEB05}`;

beforeEach(() => {
  mockDatasources = [fixtures.datasourceSettings()];
  mockWorker = new ReplayWorker('mc-prod', inv.successes);
});

const region = (name: string) => screen.getByRole('region', { name });

describe('Entity page', () => {
  it('shows a server’s details, applications, aliases, contacts and notes', async () => {
    renderInventory(entityUrl('server', WEB05));

    expect(await screen.findByRole('heading', { name: `Server ${WEB05}` })).toBeInTheDocument();
    const details = screen.getByRole('table', { name: 'Details' });
    expect(within(details).getByRole('rowheader', { name: 'Size' }).nextSibling).toHaveTextContent(
      '4 CPU, 8 GB memory, 80 GB disk'
    );
    const relations = region('Relations');
    expect(within(relations).getByRole('link', { name: 'app-01' })).toHaveAttribute(
      'href',
      entityUrl('application', 'app-01')
    );
    expect(within(relations).getByText('production')).toBeInTheDocument();
    expect(within(relations).getByRole('link', { name: 'blog.ctl.example.edu' })).toBeInTheDocument();
    expect(within(region('Contacts')).getByRole('link', { name: 'ann@example.edu' })).toBeInTheDocument();
    expect(within(region('Notes')).getByText(inv.note.body)).toBeInTheDocument();
    expect(within(region('Notes')).getByText(/· admin$/)).toBeInTheDocument();
  });

  it('draws the server’s load, memory and disk over 24 hours and 7 days from its series target', async () => {
    renderInventory(entityUrl('server', WEB05));

    const day = await screen.findByRole('figure', { name: 'Load, Last 24 hours' });
    expect(within(day).getByRole('img', { name: 'load' })).toBeInTheDocument();
    expect(await screen.findByRole('figure', { name: 'Disk, Last 7 days' })).toHaveTextContent('disk.used_percent');
    expect(screen.getByRole('figure', { name: 'Memory, Last 24 hours' })).toHaveTextContent('memory.used_percent');
    const renders = mockWorker.requests.filter((r) => r.url.endsWith('/graphite/render'));
    expect(renders.map((r) => [r.params?.target, r.params?.from])).toEqual([
      ["seriesByTag('host=web05')", '-24h'],
      ["seriesByTag('host=web05')", '-7d'],
    ]);
  });

  it('adds a note inline and shows it once the worker has it', async () => {
    mockWorker.replay({ ...inv.recorded.createServer, request: { method: 'GET', path: WEB05_PATH } });
    renderInventory(entityUrl('server', WEB05));
    expect(
      await within(await screen.findByRole('region', { name: 'Notes' })).findByText('No notes yet.')
    ).toBeVisible();

    mockWorker.replay(inv.recorded.serverWeb05);
    const form = screen.getByRole('form', { name: 'Add a note' });
    fireEvent.change(within(form).getByRole('textbox'), { target: { value: inv.note.body } });
    fireEvent.click(within(form).getByRole('button', { name: 'Add note' }));

    expect(await within(region('Notes')).findByText(inv.note.body)).toBeInTheDocument();
    const post = mockWorker.requests.find((r) => r.method === 'POST')!;
    expect(post.data).toEqual({ entity: `server:${WEB05}`, body: inv.note.body });
    expect(within(form).getByRole('textbox')).toHaveValue('');
  });

  it('attaches an application to the server', async () => {
    mockWorker.replay({ ...inv.recorded.createServer, request: { method: 'GET', path: WEB05_PATH } });
    renderInventory(entityUrl('server', WEB05));
    expect(await screen.findByText('No application is deployed on this server.')).toBeInTheDocument();

    mockWorker.replay(inv.recorded.serverWeb05);
    const form = screen.getByRole('form', { name: 'Deploy an application' });
    fireEvent.change(within(form).getByLabelText('Application'), { target: { value: 'app-01' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Deploy' }));

    expect(await within(region('Relations')).findByRole('link', { name: 'app-01' })).toBeInTheDocument();
    const post = mockWorker.requests.find((r) => r.method === 'POST')!;
    expect(post.url).toMatch(/\/api\/v1\/inventory\/applications\/app-01\/servers$/);
    expect(post.data).toEqual({ server: WEB05, environment: 'production' });
  });

  it('shows an application’s servers, aliases, renewals and request, error and timing graphs', async () => {
    renderInventory(entityUrl('application', 'app-01'));

    expect(await screen.findByRole('heading', { name: 'Application app-01' })).toBeInTheDocument();
    const relations = region('Relations');
    expect(
      within(relations)
        .getAllByRole('link')
        .map((a) => a.textContent)
    ).toEqual([
      'proxy04.ctl.example.edu',
      'db01.ctl.example.edu',
      WEB05,
      'site01.ctl.example.edu',
      'site04.ctl.example.edu',
      'blog.ctl.example.edu',
    ]);
    const tls = inv.app01.renewals[0];
    expect(region('Renewals')).toHaveTextContent(`TLS certificate for site01: ${tls.start} to ${tls.end}`);
    expect(within(region('Renewals')).getByText('ending within 4 weeks')).toBeInTheDocument();
    expect(await screen.findByRole('figure', { name: 'Requests, Last 7 days' })).toHaveTextContent('requests');
    expect(await screen.findByRole('figure', { name: 'Errors, Last 24 hours' })).toHaveTextContent('errors');
    expect(screen.getByRole('figure', { name: 'Timings, Last 24 hours' })).toHaveTextContent('timings.p95');
  });

  it('says which entity the worker does not know', async () => {
    mockWorker.replay(inv.recorded.serverMissing);
    renderInventory(entityUrl('server', 'nope.ctl.example.edu'));

    expect(await screen.findByText(/no server "nope.ctl.example.edu"/)).toBeInTheDocument();
  });
});

describe('Alert instances on the entity page', () => {
  it('lists the instances on the server’s series, linked to their rule, and leaves out the others', async () => {
    renderInventory(entityUrl('server', WEB05));

    const table = await within(await screen.findByRole('region', { name: 'Alerts' })).findByRole('table', {
      name: 'Alert instances',
    });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toHaveTextContent(/^AlertingWeb loadload host=web052\.34/);
    expect(within(rows[0]).getByRole('link', { name: 'Web load' })).toHaveAttribute('href', alertsUrl.rule('web-load'));
    expect(within(table).queryByText('Application errors')).not.toBeInTheDocument();
  });

  it('lists an application’s instances by its series', async () => {
    renderInventory(entityUrl('application', 'app-01'));

    const table = await screen.findByRole('table', { name: 'Alert instances' });
    expect(
      within(table)
        .getAllByRole('row')
        .slice(1)
        .map((r) => r.textContent)
    ).toEqual([expect.stringMatching(/^OKApplication errorserrors app=app-015/)]);
  });

  it('says so when no rule watches the server', async () => {
    mockWorker.answer('GET', '/api/v1/alerting/instances', 200, {
      instances: inv.alertInstances.instances.filter((i) => i.ruleUid !== 'web-load'),
    });
    renderInventory(entityUrl('server', WEB05));

    const alerts = await screen.findByRole('region', { name: 'Alerts' });
    expect(await within(alerts).findByText(/^No alert rule watches this server/)).toBeInTheDocument();
  });
});

describe('Notes and changes on the graphs', () => {
  it('marks the server’s note and its aliases’ changes on each graph, at the time they were made', async () => {
    renderInventory(entityUrl('server', WEB05));

    const load = await screen.findByRole('figure', { name: 'Load, Last 24 hours' });
    const marks = await within(load).findAllByRole('note');
    expect(marks).toHaveLength(inv.web05Annotations.annotations.length);
    expect(
      within(load).getByRole('note', { name: new RegExp(`^Note on server:${WEB05} by admin at .*: ${inv.note.body}`) })
    ).toBeInTheDocument();
    expect(
      within(load).getByRole('note', {
        name: /^alias:blog\.ctl\.example\.edu confirmed at .*: status pending → active/,
      })
    ).toBeInTheDocument();
    const annotations = mockWorker.requests.filter((r) => r.url.endsWith('/api/v1/inventory/annotations'));
    expect(annotations).toHaveLength(1);
    expect(annotations[0].params).toMatchObject({ entity: `server:${WEB05}` });
    const { from, until } = annotations[0].params as { from: number; until: number };
    expect(until - from).toBe(7 * 86_400);
  });

  it('asks again for the marks once a note is added on the page', async () => {
    renderInventory(entityUrl('server', WEB05));
    await screen.findAllByRole('note');

    const form = screen.getByRole('form', { name: 'Add a note' });
    fireEvent.change(within(form).getByRole('textbox'), { target: { value: inv.note.body } });
    fireEvent.click(within(form).getByRole('button', { name: 'Add note' }));

    await waitFor(() =>
      expect(mockWorker.requests.filter((r) => r.url.endsWith('/api/v1/inventory/annotations'))).toHaveLength(2)
    );
  });
});

describe('markPosition', () => {
  const points: Array<[number | null, number]> = [
    [1, 100],
    [null, 200],
    [3, 300],
  ];

  it('places a time along the points’ span, at the right edge after the last point, nowhere before the first', () => {
    expect(markPosition(points, 150)).toBe(0.25);
    expect(markPosition(points, 290)).toBeCloseTo(0.95);
    expect(markPosition(points, 400)).toBe(1);
    expect(markPosition(points, 99)).toBeUndefined();
  });
});

describe('sparklinePath', () => {
  it('scales the points to the box and breaks the line at gaps', () => {
    expect(
      sparklinePath(
        [
          [0, 0],
          [10, 10],
          [null, 20],
          [5, 30],
          [0, 40],
        ],
        40,
        10
      )
    ).toBe('M0.0,10.0L10.0,0.0M30.0,5.0L40.0,10.0');
  });

  it('draws a lone point between gaps as a dot, not as nothing', () => {
    // A server added minutes ago: one bucket with data on a day's graph.
    expect(
      sparklinePath(
        [
          [null, 0],
          [null, 10],
          [7, 20],
        ],
        40,
        10
      )
    ).toBe('M40.0,10.0h0');
  });
});
