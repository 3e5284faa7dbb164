import React from 'react';
import { MemoryRouter } from 'react-router-dom';
import { act, render as renderInDom, screen, within } from '@testing-library/react';
import type { DataSourceInstanceSettings } from '@grafana/data';

import type { MissionControlOptions } from '../../datasource/types';
import { STATS_PATHS, type StatsResponse } from '../../shared/api';
import * as fixtures from '../../test/fixtures';
import { FakeWorker } from '../../test/fakeWorker';
import { formatAge, formatCount, formatDuration, formatRate } from './format';
import { Overview, POLL_INTERVAL_MS } from './Overview';

let mockWorker: FakeWorker;
let mockDatasources: Array<DataSourceInstanceSettings<MissionControlOptions>>;

jest.mock('@grafana/runtime', () => ({
  ...jest.requireActual('@grafana/runtime'),
  getBackendSrv: () => mockWorker,
  getDataSourceSrv: () => ({ getList: () => mockDatasources }),
}));

beforeEach(() => {
  mockDatasources = [fixtures.datasourceSettings()];
  mockWorker = new FakeWorker('mc-prod').answer(STATS_PATHS.stats, 200, stats);
});

/** Grafana renders app pages inside its router; the page's links need one. */
function render(page: React.ReactElement) {
  return renderInDom(
    <MemoryRouter future={{ v7_startTransition: true, v7_relativeSplatPath: true }}>{page}</MemoryRouter>
  );
}

const { stats } = fixtures;
const protocol = (name: string) => stats.ingest.find((p) => p.protocol === name)!;

function row(table: HTMLElement, header: string): string[] {
  const cell = within(table).getByRole('rowheader', { name: header });
  return within(cell.closest('tr')!)
    .getAllByRole('cell')
    .map((c) => c.textContent ?? '');
}

describe('Overview', () => {
  it('shows the store’s health and the worker’s totals', async () => {
    render(<Overview />);

    expect(await screen.findByText('Ready')).toBeInTheDocument();
    expect(
      screen.getByText(`up ${formatDuration(stats.uptime)}, read through "Mission Control (prod)", updated every 5 s`)
    ).toBeInTheDocument();
    const figure = (name: string) => within(screen.getByRole('group', { name })).getAllByText(/./)[0].textContent;
    expect(figure('Series')).toBe(String(stats.store.series));
    expect(figure('Sources')).toBe('5');
    expect(figure('Lines rejected')).toBe('3');
    const total = stats.ingest.reduce((sum, p) => sum + p.samplesPerSecond, 0);
    expect(figure('Samples per second')).toBe(formatRate(total).replace('/s', ''));
  });

  it('lists ingest per protocol, including protocols that received nothing', async () => {
    render(<Overview />);

    const table = within(await screen.findByRole('region', { name: 'Ingest by protocol' })).getByRole('table');
    const udp = protocol('statsd_udp');
    expect(row(table, 'statsd (UDP)')).toEqual([
      formatRate(udp.linesPerSecond),
      formatRate(udp.samplesPerSecond),
      formatCount(udp.linesReceived),
      '1',
      '0',
    ]);
    expect(row(table, 'Graphite plaintext (TCP)')).toEqual([
      formatRate(protocol('graphite_tcp').linesPerSecond),
      formatRate(protocol('graphite_tcp').samplesPerSecond),
      String(protocol('graphite_tcp').linesReceived),
      '1',
      '0',
    ]);
    expect(row(table, 'statsd (TCP)')).toEqual(['0/s', '0/s', '0', '0', '0']);
  });

  it('names each kind of rejected line', async () => {
    render(<Overview />);

    const rejected = await screen.findByRole('region', { name: 'Rejected lines' });
    expect(within(rejected).getByText('missing type')).toBeInTheDocument();
    expect(within(rejected).getByText('bad value')).toBeInTheDocument();
    expect(within(rejected).getByText('bad name')).toBeInTheDocument();
  });

  it('lists every source, freshest first, with the age of its newest sample on the worker’s clock', async () => {
    render(<Overview />);

    const sources = await screen.findByRole('region', { name: 'Sources' });
    const rows = within(sources).getAllByRole('row').slice(1);
    expect(rows.map((r) => within(r).getAllByRole('cell')[0].textContent)).toEqual(
      stats.sources.freshest.map((s) => s.source)
    );
    expect(within(rows[0]).getByText(formatAge(stats.sources.freshest[0].lastSeen, stats.time))).toBeInTheDocument();
  });

  it('splits many sources into the freshest and the stalest', async () => {
    const many: StatsResponse = {
      ...stats,
      sources: {
        total: 40,
        freshest: [{ source: 'servers.web7', series: 7, lastSeen: stats.time - 5 }],
        stalest: [{ source: 'servers.old', series: 7, lastSeen: stats.time - 3 * 86400 }],
      },
    };
    mockWorker = new FakeWorker('mc-prod').answer(STATS_PATHS.stats, 200, many);

    render(<Overview />);

    expect(await screen.findByRole('region', { name: 'Freshest sources' })).toHaveTextContent('servers.web775 s ago');
    expect(screen.getByRole('region', { name: 'Stalest sources' })).toHaveTextContent('servers.old73 d ago');
  });

  it('asks again every few seconds and keeps the last figures when an update fails', async () => {
    jest.useFakeTimers();
    try {
      render(<Overview />);
      expect(await screen.findByText('Ready')).toBeInTheDocument();

      mockWorker.stop();
      await act(() => jest.advanceTimersByTimeAsync(POLL_INTERVAL_MS));

      expect(screen.getByText('The figures are not up to date')).toBeInTheDocument();
      expect(screen.getByText(/Grafana could not connect to the worker/)).toBeInTheDocument();
      expect(
        within(screen.getByRole('group', { name: 'Series' })).getByText(String(stats.store.series))
      ).toBeInTheDocument();
    } finally {
      jest.useRealTimers();
    }
  });

  it('says when the worker cannot be reached at all, and where to test the connection', async () => {
    mockWorker = new FakeWorker('mc-prod').stop();

    render(<Overview />);

    expect(await screen.findByText('The worker behind "Mission Control (prod)" did not answer')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Test the connection' })).toHaveAttribute(
      'href',
      '/plugins/missionctl-missioncontrol-app'
    );
  });

  it('says how to add a data source when there is none', () => {
    mockDatasources = [];

    render(<Overview />);

    expect(screen.getByText('No Mission Control data source')).toBeInTheDocument();
  });
});
