import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import type { DataSourceInstanceSettings } from '@grafana/data';

import type { MissionControlOptions } from '../../datasource/types';
import * as fixtures from '../../test/fixtures';
import * as inv from './testdata/inventory';
import { renderInventory } from './testdata/render';
import { ReplayWorker } from './testdata/replay';
import { entityUrl, listUrl } from './paths';

let mockWorker: ReplayWorker;
let mockDatasources: Array<DataSourceInstanceSettings<MissionControlOptions>>;

jest.mock('@grafana/runtime', () => ({
  ...jest.requireActual('@grafana/runtime'),
  getBackendSrv: () => mockWorker,
  getDataSourceSrv: () => ({ getList: () => mockDatasources }),
}));

beforeEach(() => {
  mockDatasources = [fixtures.datasourceSettings()];
  mockWorker = new ReplayWorker('mc-prod', inv.successes);
});

function column(table: HTMLElement, index: number): string[] {
  return within(table)
    .getAllByRole('row')
    .slice(1)
    .map((r) => within(r).getAllByRole('cell')[index].textContent ?? '');
}

describe('Inventory lists', () => {
  it('lists the servers with their status, linking each to its page', async () => {
    renderInventory();

    const table = await screen.findByRole('table', { name: 'Servers' });
    expect(column(table, 0)).toEqual(inv.servers.items.map((s) => s.hostname));
    expect(within(table).getByRole('link', { name: 'db01.ctl.example.edu' })).toHaveAttribute(
      'href',
      entityUrl('server', 'db01.ctl.example.edu')
    );
    expect(column(table, 4)[3]).toBe('10.2.2.12, 2001:db8:2::10');
    expect(column(table, 5)).toEqual(['active', 'active', 'active', 'active']);
  });

  it('shows aliases with their status and filters them to the pending ones', async () => {
    mockWorker.replay(inv.recorded.aliasesAfter);
    renderInventory(listUrl('alias'));

    const table = await screen.findByRole('table', { name: 'Aliases' });
    expect(column(table, 0)).toEqual(inv.aliasesAfter.items.map((a) => a.fqdn));
    expect(column(table, 3)).toEqual(['active', 'active', 'active', 'pending', 'deprecated', 'active']);

    fireEvent.click(screen.getByRole('radio', { name: 'pending' }));

    await waitFor(() =>
      expect(column(screen.getByRole('table', { name: 'Aliases' }), 0)).toEqual(['site02.ctl.example.edu'])
    );
    expect(screen.getByRole('status', { name: 'Location' })).toHaveTextContent('tab=alias&status=pending');
  });

  it('searches the applications by text', async () => {
    mockWorker.answer('GET', '/api/v1/inventory/applications?q=Social Work', 200, {
      items: inv.applications.items.filter((a) => a.description?.includes('Social Work')),
    });
    renderInventory(listUrl('application'));
    await screen.findByRole('table', { name: 'Applications' });

    const search = screen.getByPlaceholderText('hostname, name, FQDN, owner…');
    fireEvent.change(search, { target: { value: 'Social Work' } });
    fireEvent.submit(search);

    await waitFor(() =>
      expect(column(screen.getByRole('table', { name: 'Applications' }), 0)).toEqual(['app-01', 'app-03'])
    );
  });

  it('creates a server and opens its page', async () => {
    renderInventory();
    await screen.findByRole('table', { name: 'Servers' });

    fireEvent.click(screen.getByRole('button', { name: 'Add server' }));
    const form = screen.getByRole('form', { name: 'New server' });
    fireEvent.change(within(form).getByPlaceholderText('web1.example.net'), {
      target: { value: 'web05.ctl.example.edu' },
    });
    fireEvent.change(within(form).getByPlaceholderText('web'), { target: { value: 'web' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Create server' }));

    await waitFor(() =>
      expect(screen.getByRole('status', { name: 'Location' })).toHaveTextContent(
        entityUrl('server', 'web05.ctl.example.edu')
      )
    );
    const post = mockWorker.requests.find((r) => r.method === 'POST')!;
    expect(post.data).toEqual({
      hostname: 'web05.ctl.example.edu',
      role: 'web',
      status: 'active',
      addresses: [],
      contacts: [],
    });
  });

  it('shows the worker’s objection under the field at fault', async () => {
    mockWorker.replay(inv.recorded.createServerDuplicate);
    renderInventory();
    await screen.findByRole('table', { name: 'Servers' });

    fireEvent.click(screen.getByRole('button', { name: 'Add server' }));
    fireEvent.change(screen.getByPlaceholderText('web1.example.net'), { target: { value: 'web05.ctl.example.edu' } });
    fireEvent.click(screen.getByRole('button', { name: 'Create server' }));

    expect(await screen.findByText(inv.duplicateServer.errors![0].error)).toBeInTheDocument();
  });
});

describe('Search across the inventory', () => {
  function searchFor(text: string) {
    const form = screen.getByRole('search', { name: 'Whole inventory' });
    fireEvent.change(within(form).getByRole('textbox'), { target: { value: text } });
    fireEvent.submit(form);
  }

  it('finds a server by one of its addresses and says where it matched', async () => {
    renderInventory();
    await screen.findByRole('table', { name: 'Servers' });

    searchFor('10.0.3.13');

    const found = await screen.findByRole('table', { name: 'Found' });
    const [row, ...others] = within(found).getAllByRole('row').slice(1);
    expect(others).toEqual([]);
    expect(within(row).getByRole('link', { name: 'cache03.ctl.example.edu' })).toHaveAttribute(
      'href',
      entityUrl('server', 'cache03.ctl.example.edu')
    );
    expect(row).toHaveTextContent('address: 10.0.3.13');
    expect(screen.queryByRole('table', { name: 'Servers' })).not.toBeInTheDocument();
    expect(screen.getByRole('status', { name: 'Location' })).toHaveTextContent('search=10.0.3.13');
  });

  it('finds every kind of entity a name appears in, and goes back to the lists', async () => {
    renderInventory(`${listUrl('server')}&search=db01`);

    const found = await screen.findByRole('table', { name: 'Found' });
    expect(column(found, 0)).toEqual(inv.searchDb01.results.map((r) => r.kind));
    expect(column(found, 1)).toEqual(inv.searchDb01.results.map((r) => r.key));
    expect(screen.getByText(`${inv.searchDb01.results.length} found for “db01”`)).toBeInTheDocument();

    fireEvent.click(screen.getByRole('button', { name: 'Back to the lists' }));
    expect(await screen.findByRole('table', { name: 'Servers' })).toBeInTheDocument();
  });

  it('says when nothing matches', async () => {
    mockWorker.answer('GET', '/api/v1/inventory/search?q=nothing-here', 200, { results: [] });
    renderInventory(`${listUrl('server')}&search=nothing-here`);

    expect(await screen.findByText('Nothing in the inventory matches “nothing-here”.')).toBeInTheDocument();
  });
});
