import { fireEvent, screen, within } from '@testing-library/react';
import type { DataSourceInstanceSettings } from '@grafana/data';

import type { MissionControlOptions } from '../../datasource/types';
import * as fixtures from '../../test/fixtures';
import { aliasRequestUrl, entityUrl } from './paths';
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

beforeEach(() => {
  mockDatasources = [fixtures.datasourceSettings()];
  mockWorker = new ReplayWorker('mc-prod', inv.successes);
});

function fill(label: string | RegExp, value: string) {
  fireEvent.change(screen.getByLabelText(label), { target: { value } });
}

function posted() {
  return mockWorker.requests.filter((r) => r.method === 'POST');
}

describe('Alias request form', () => {
  it('requests an alias for a server, which the worker stores pending and mails to the hostmaster', async () => {
    renderInventory(aliasRequestUrl(WEB05));

    expect(screen.getByLabelText(/^Server/)).toHaveValue(WEB05);
    fill(/^FQDN/, 'blog.ctl.example.edu');
    fill(/^Applications/, 'app-01');
    fill(/^Requested by/, 'ann@example.edu');
    fill(/^Reason/, 'The blog moves to web05');
    fireEvent.click(screen.getByRole('button', { name: 'Send request' }));

    expect(await screen.findByRole('heading', { name: 'Alias requested' })).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'blog.ctl.example.edu' })).toHaveAttribute(
      'href',
      entityUrl('alias', 'blog.ctl.example.edu')
    );
    expect(screen.getByText(/is pending until the hostmaster/)).toBeInTheDocument();
    expect(screen.getByRole('status', { name: 'Mail sent' })).toHaveTextContent(
      `To hostmaster@ctl.example.edu, copy to ann@example.edu: “${inv.aliasRequested.mail.subject}”`
    );
    expect(posted()[0].data).toEqual({
      fqdn: 'blog.ctl.example.edu',
      type: 'CNAME',
      server: WEB05,
      requestedBy: 'ann@example.edu',
      applications: ['app-01'],
      reason: 'The blog moves to web05',
    });
  });

  it('shows the worker’s objection under the FQDN', async () => {
    mockWorker.replay(inv.recorded.requestAliasInvalid);
    renderInventory(aliasRequestUrl(WEB05));

    fill(/^FQDN/, 'blog..example');
    fill(/^Requested by/, 'ann@example.edu');
    fireEvent.click(screen.getByRole('button', { name: 'Send request' }));

    expect(await screen.findByText(inv.invalidFqdn.errors![0].error)).toBeInTheDocument();
    expect(screen.getByRole('form', { name: 'Alias request' })).toBeInTheDocument();
  });
});

describe('Alias workflow on the alias page', () => {
  it('confirms a pending alias, which becomes active, and says whom the worker told', async () => {
    renderInventory(entityUrl('alias', 'blog.ctl.example.edu'));
    expect(await screen.findByText('pending')).toBeInTheDocument();

    mockWorker.answer('GET', '/api/v1/inventory/aliases/blog.ctl.example.edu', 200, inv.aliasConfirmed.alias);
    fireEvent.click(screen.getByRole('button', { name: 'Confirm: DNS is changed' }));

    expect(await screen.findByText('active')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Confirm: DNS is changed' })).not.toBeInTheDocument();
    const workflow = screen.getByRole('region', { name: 'DNS workflow' });
    expect(within(workflow).getByRole('status', { name: 'Mail sent' })).toHaveTextContent(
      `To ${inv.aliasConfirmed.mail.to.join(', ')}`
    );
  });

  it('re-points an alias with a change request and mails the hostmaster again', async () => {
    renderInventory(entityUrl('alias', 'site02.ctl.example.edu'));
    expect(await screen.findByRole('link', { name: WEB05 })).toBeInTheDocument();

    mockWorker.replay(inv.recorded.aliasSite02Changed);
    fireEvent.click(screen.getByRole('button', { name: 'Request a change' }));
    fill(/^Server/, 'proxy04.ctl.example.edu');
    fill(/^Reason/, 'web05 is full');
    fireEvent.click(screen.getByRole('button', { name: 'Send change request' }));

    const relations = screen.getByRole('region', { name: 'Relations' });
    expect(await within(relations).findByRole('link', { name: 'proxy04.ctl.example.edu' })).toBeInTheDocument();
    expect(screen.getByRole('region', { name: 'DNS workflow' })).toHaveTextContent(
      'DNS change: site02.ctl.example.edu now CNAME proxy04.ctl.example.edu'
    );
    expect(posted()[0].data).toEqual({
      type: 'CNAME',
      server: 'proxy04.ctl.example.edu',
      requestedBy: 'cy@example.edu',
      reason: 'web05 is full',
    });
  });
});
