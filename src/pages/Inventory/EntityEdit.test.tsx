import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import type { DataSourceInstanceSettings } from '@grafana/data';

import type { MissionControlOptions } from '../../datasource/types';
import * as fixtures from '../../test/fixtures';
import { entityUrl, listUrl } from './paths';
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
const BLOG = 'blog.ctl.example.edu';

beforeEach(() => {
  mockDatasources = [fixtures.datasourceSettings()];
  mockWorker = new ReplayWorker('mc-prod', inv.successes);
});

function sent(method: string) {
  return mockWorker.requests.filter((r) => r.method === method);
}

function detail(label: string): string | null | undefined {
  const details = screen.getByRole('table', { name: 'Details' });
  return within(details).queryByRole('rowheader', { name: label })?.nextSibling?.textContent;
}

describe('Editing an entity', () => {
  it('sends only the changed fields, clears an emptied one, and shows the server as saved', async () => {
    renderInventory(entityUrl('server', WEB05));
    await screen.findByRole('heading', { name: `Server ${WEB05}` });
    expect(detail('OS')).toBe('Ubuntu 24.04');
    mockWorker.replay(inv.recorded.updateServerWeb05);
    mockWorker.answer('GET', `/api/v1/inventory/servers/${WEB05}`, 200, inv.web05Updated);

    fireEvent.click(screen.getByRole('button', { name: 'Edit' }));
    const form = screen.getByRole('form', { name: 'Edit server' });
    expect(within(form).getByLabelText('Hostname *')).toHaveValue(WEB05);
    fireEvent.change(within(form).getByLabelText('Role'), { target: { value: 'cache' } });
    fireEvent.change(within(form).getByLabelText('Description'), { target: { value: 'Moved to the cache pool' } });
    fireEvent.change(within(form).getByLabelText('OS'), { target: { value: '' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Save' }));

    await waitFor(() => expect(screen.queryByRole('form', { name: 'Edit server' })).not.toBeInTheDocument());
    expect(await screen.findByText('Moved to the cache pool')).toBeInTheDocument();
    expect(detail('Role')).toBe('cache');
    expect(detail('OS')).toBeUndefined();
    expect(sent('PATCH').map((r) => r.data)).toEqual([
      { role: 'cache', description: 'Moved to the cache pool', os: null },
    ]);
  });

  it('shows the worker’s objection under the field and keeps the form', async () => {
    renderInventory(entityUrl('server', WEB05));
    await screen.findByRole('heading', { name: `Server ${WEB05}` });
    mockWorker.answer('PATCH', `/api/v1/inventory/servers/${WEB05}`, 400, inv.duplicateServer);

    fireEvent.click(screen.getByRole('button', { name: 'Edit' }));
    const form = screen.getByRole('form', { name: 'Edit server' });
    fireEvent.change(within(form).getByLabelText('Hostname *'), { target: { value: 'db01.ctl.example.edu' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Save' }));

    expect(await within(form).findByText(inv.duplicateServer.errors![0].error)).toBeInTheDocument();
    expect(sent('PATCH').map((r) => r.data)).toEqual([{ hostname: 'db01.ctl.example.edu' }]);
  });

  it('asks nothing of the worker when nothing changed', async () => {
    renderInventory(entityUrl('server', WEB05));
    await screen.findByRole('heading', { name: `Server ${WEB05}` });

    fireEvent.click(screen.getByRole('button', { name: 'Edit' }));
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));

    expect(screen.queryByRole('form', { name: 'Edit server' })).not.toBeInTheDocument();
    expect(sent('PATCH')).toEqual([]);
  });
});

describe('Deleting an entity', () => {
  it('deletes an alias only once confirmed, then returns to the aliases', async () => {
    renderInventory(entityUrl('alias', BLOG));
    await screen.findByRole('heading', { name: `Alias ${BLOG}` });

    fireEvent.click(screen.getByRole('button', { name: 'Delete' }));
    const dialog = screen.getByRole('dialog', { name: `Delete ${BLOG}?` });
    expect(dialog).toHaveTextContent('the applications answering under it lose that link');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(sent('DELETE')).toEqual([]);

    fireEvent.click(screen.getByRole('button', { name: 'Delete' }));
    fireEvent.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Delete' }));

    await waitFor(() => expect(screen.getByRole('status', { name: 'Location' })).toHaveTextContent(listUrl('alias')));
    expect(sent('DELETE').map((r) => r.url)).toEqual([expect.stringMatching(/\/api\/v1\/inventory\/aliases\/blog/)]);
  });

  it('stays on the server and names what still refers to it when the worker refuses', async () => {
    mockWorker.replay(inv.recorded.deleteServerReferenced);
    renderInventory(entityUrl('server', WEB05));
    await screen.findByRole('heading', { name: `Server ${WEB05}` });

    fireEvent.click(screen.getByRole('button', { name: 'Delete' }));
    fireEvent.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Delete' }));

    const refusal = await screen.findByRole('alert', { name: 'Not deleted' });
    expect(refusal).toHaveTextContent(inv.deleteReferenced.error);
    expect(screen.getByRole('status', { name: 'Location' })).toHaveTextContent(entityUrl('server', WEB05));
  });
});
