import { fireEvent, screen, within } from '@testing-library/react';
import type { DataSourceInstanceSettings } from '@grafana/data';

import type { MissionControlOptions } from '../../datasource/types';
import * as fixtures from '../../test/fixtures';
import { RENEWALS_URL, entityUrl } from './paths';
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

beforeEach(() => {
  mockDatasources = [fixtures.datasourceSettings()];
  mockWorker = new ReplayWorker('mc-prod', inv.successes);
  // The worker decided `endingSoon` when the answers were recorded, so "ended" is judged against that day too.
  jest.useFakeTimers({ now: inv.note.time * 1000, advanceTimers: true });
});

afterEach(() => {
  jest.useRealTimers();
});

function rows() {
  return within(screen.getByRole('table', { name: 'Renewals' }))
    .getAllByRole('row')
    .slice(1);
}

describe('Renewals', () => {
  it('lists every renewal by end date and marks those ending within 4 weeks', async () => {
    renderInventory(RENEWALS_URL);

    expect(await screen.findByText('1 ending within 4 weeks')).toBeInTheDocument();
    expect(rows().map((r) => within(r).getAllByRole('cell')[1].textContent)).toEqual(
      inv.renewals.items.map((r) => r.name)
    );
    const soon = inv.renewals.items.find((r) => r.endingSoon)!;
    const tls = rows()[inv.renewals.items.indexOf(soon)];
    expect(tls).toHaveTextContent(`${soon.end} ending within 4 weeks`);
    expect(within(tls).getByRole('link', { name: 'app-01' })).toHaveAttribute(
      'href',
      entityUrl('application', 'app-01')
    );
    expect(rows()[0]).toHaveTextContent('2025-12-31 ended');
  });

  it('shows only those ending soon when asked', async () => {
    renderInventory(RENEWALS_URL);
    await screen.findByRole('table', { name: 'Renewals' });

    fireEvent.click(screen.getByLabelText('Only those ending soon'));

    expect(rows()).toHaveLength(1);
    expect(rows()[0]).toHaveTextContent('TLS certificate for site01');
  });
});
