import React, { useState } from 'react';
import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { LoadingState, type PanelData } from '@grafana/data';

import * as fixtures from '../../test/fixtures';
import { FakeWorker } from '../../test/fakeWorker';
import { MissionControlDataSource } from '../datasource';
import type { TargetError } from '../frames';
import type { MissionControlQuery } from '../types';
import { QueryEditor } from './QueryEditor';

let mockWorker: FakeWorker;

jest.mock('@grafana/runtime', () => ({
  ...jest.requireActual('@grafana/runtime'),
  getBackendSrv: () => mockWorker,
}));

/** The recorded answers of a worker running the demo traffic. */
function demoWorker(): FakeWorker {
  return new FakeWorker('mc-prod')
    .answer('/graphite/functions', 200, fixtures.functions)
    .answer('/graphite/metrics/find?query=*', 200, fixtures.findRoot)
    .answer('/graphite/metrics/find?query=servers.*', 200, fixtures.findServers)
    .answer('/graphite/metrics/find?query=servers.web1.*', 200, fixtures.findWeb1)
    .answer('/graphite/metrics/find?query=*.*.*cpu*&format=completer', 200, { metrics: fixtures.completeCpu })
    .answer('/graphite/metrics/find', 200, { metrics: [] })
    .answer('/graphite/tags', 200, fixtures.tags)
    .answer('/graphite/tags/env', 200, fixtures.envDetails)
    .answer('/graphite/tags/name?filter=.*request', 200, fixtures.requestNames);
}

/**
 * Holds the query the way Grafana's query row does, and exposes the latest one for assertions. Resolves once the
 * editor has the worker's function library.
 */
async function renderEditor(initial: Partial<MissionControlQuery>, errors: TargetError[] = []) {
  const datasource = new MissionControlDataSource(fixtures.datasourceSettings());
  const latest: { query: MissionControlQuery } = { query: { refId: 'A', ...initial } };
  const onRunQuery = jest.fn();
  const data = { state: LoadingState.Error, series: [], errors } as unknown as PanelData;
  function Host() {
    const [query, setQuery] = useState(latest.query);
    return (
      <QueryEditor
        datasource={datasource}
        query={query}
        data={data}
        onChange={(next) => {
          latest.query = next;
          setQuery(next);
        }}
        onRunQuery={onRunQuery}
      />
    );
  }
  render(<Host />);
  await act(() => datasource.getFunctions());
  return { latest, onRunQuery };
}

function commit(input: HTMLElement, value: string) {
  fireEvent.change(input, { target: { value } });
  fireEvent.blur(input);
}

beforeEach(() => {
  mockWorker = demoWorker();
});

describe('the builder', () => {
  it('shows a target as its series and the functions applied to it, in order', async () => {
    await renderEditor({ target: "sumSeries(aliasByNode(movingAverage(servers.*.cpu.user, '5min'), 1))" });

    expect(screen.getByLabelText('Series path')).toHaveValue('servers.*.cpu.user');
    const cards = screen.getAllByRole('group', { name: /^Function / });
    expect(cards.map((card) => card.getAttribute('aria-label'))).toEqual([
      'Function movingAverage',
      'Function aliasByNode',
      'Function sumSeries',
    ]);
    // Parameters appear by the names the worker's registry declares, once it has answered.
    expect(await screen.findByLabelText('movingAverage windowSize')).toHaveValue('5min');
    expect(screen.getByLabelText('aliasByNode nodes 1')).toHaveValue('1');
  });

  it('adds a function from the worker’s library, searched by name, and runs the query', async () => {
    const { latest, onRunQuery } = await renderEditor({ target: 'servers.*.cpu.user' });

    const add = screen.getByRole('button', { name: 'Add function' });
    // Enabled once the worker's library has arrived.
    await waitFor(() => expect(add).toBeEnabled());
    fireEvent.click(add);
    fireEvent.change(screen.getByLabelText('Search functions'), { target: { value: 'movingav' } });
    const options = within(screen.getByRole('listbox', { name: 'Functions' })).getAllByRole('option');
    expect(options.map((option) => option.textContent)).toEqual(['movingAverage']);
    fireEvent.click(options[0]);

    expect(latest.query.target).toBe('movingAverage(servers.*.cpu.user, 5)');
    expect(onRunQuery).toHaveBeenCalledTimes(1);
  });

  it('edits parameters by their declared types and moves and removes functions', async () => {
    const { latest } = await renderEditor({ target: "summarize(aliasByNode(servers.*.cpu.user, 1), '1h')" });

    commit(await screen.findByLabelText('summarize func'), 'max');
    expect(latest.query.target).toBe("summarize(aliasByNode(servers.*.cpu.user, 1), '1h', 'max')");

    fireEvent.click(screen.getByRole('switch', { name: 'summarize alignToFrom' }));
    expect(latest.query.target).toBe("summarize(aliasByNode(servers.*.cpu.user, 1), '1h', 'max', true)");

    fireEvent.click(screen.getByRole('button', { name: 'Apply summarize earlier' }));
    expect(latest.query.target).toBe("aliasByNode(summarize(servers.*.cpu.user, '1h', 'max', true), 1)");

    fireEvent.click(screen.getByRole('button', { name: 'Remove aliasByNode' }));
    expect(latest.query.target).toBe("summarize(servers.*.cpu.user, '1h', 'max', true)");
  });

  it('switches the series between a path and tags, keeping what it selects', async () => {
    const { latest } = await renderEditor({ target: 'sumSeries(servers.web1.cpu.user)' });

    fireEvent.click(screen.getByRole('radio', { name: 'Tags' }));

    expect(latest.query.target).toBe("sumSeries(seriesByTag('name=~^servers\\.web1\\.cpu\\.user$'))");
    commit(screen.getByLabelText('Add a tag expression'), 'env=prod');
    expect(latest.query.target).toBe("sumSeries(seriesByTag('name=~^servers\\.web1\\.cpu\\.user$', 'env=prod'))");
  });
});

describe('builder and code', () => {
  it('round-trips: code typed as text shows in the builder, and builder edits show in the code', async () => {
    const { latest } = await renderEditor({ target: 'servers.*.cpu.user' });

    fireEvent.click(screen.getByRole('radio', { name: 'Code' }));
    commit(screen.getByLabelText('Target'), 'servers.web1.cpu.user|movingAverage(10)|alias("web one")');
    fireEvent.click(screen.getByRole('radio', { name: 'Builder' }));

    expect(screen.getByLabelText('Series path')).toHaveValue('servers.web1.cpu.user');
    expect(await screen.findByLabelText('movingAverage windowSize')).toHaveValue('10');
    expect(screen.getByLabelText('alias newName')).toHaveValue('web one');

    commit(screen.getByLabelText('movingAverage windowSize'), '20');
    fireEvent.click(screen.getByRole('radio', { name: 'Code' }));

    expect(screen.getByLabelText('Target')).toHaveValue("alias(movingAverage(servers.web1.cpu.user, 20), 'web one')");
    expect(latest.query.editorMode).toBe('code');
  });

  it('runs typed code with Shift+Enter', async () => {
    const { latest, onRunQuery } = await renderEditor({ target: '', editorMode: 'code' });

    fireEvent.change(screen.getByLabelText('Target'), { target: { value: 'sumSeries(servers.*.load.1min)' } });
    expect(onRunQuery).not.toHaveBeenCalled();
    fireEvent.keyDown(screen.getByLabelText('Target'), { key: 'Enter', shiftKey: true });

    expect(latest.query.target).toBe('sumSeries(servers.*.load.1min)');
    expect(onRunQuery).toHaveBeenCalledTimes(1);
  });

  it('keeps a target the builder cannot show in code, and says why', async () => {
    await renderEditor({ target: 'sumSeries(servers.*.cpu.user', editorMode: 'builder' });

    expect(screen.getByLabelText('Target')).toHaveValue('sumSeries(servers.*.cpu.user');
    expect(screen.getByRole('radio', { name: 'Builder' })).toBeDisabled();
    expect(
      screen.getByText(
        "Shown as code because the builder cannot show it: The target does not parse: expected ',' or ')' at position 28, found the end of the target."
      )
    ).toBeInTheDocument();
  });
});

describe('the metric browser', () => {
  it('walks the path tree and uses a level as the series', async () => {
    const { latest } = await renderEditor({ target: 'aliasByNode(x, 1)' });
    fireEvent.click(screen.getByRole('button', { name: 'Metric browser' }));

    fireEvent.click(await screen.findByRole('button', { name: 'Open servers' }));
    const hosts = await screen.findByRole('list', { name: 'paths' });
    await waitFor(() =>
      expect(
        within(hosts)
          .getAllByRole('button')
          .map((b) => b.textContent)
      ).toEqual(['db1', 'web1', 'web2', 'web3'])
    );
    fireEvent.click(screen.getByRole('button', { name: 'Open servers.web1' }));
    await screen.findByRole('button', { name: 'Open servers.web1.cpu' });
    fireEvent.click(screen.getByRole('button', { name: 'Use servers.web1.*' }));

    expect(latest.query.target).toBe('aliasByNode(servers.web1.*, 1)');
  });

  it('finds paths by a word at any depth', async () => {
    await renderEditor({ target: '' });
    fireEvent.click(screen.getByRole('button', { name: 'Metric browser' }));

    fireEvent.change(screen.getByLabelText('Search the metric browser'), { target: { value: 'cpu' } });

    const found = await screen.findByRole('button', { name: 'Open servers.web2.cpu' });
    expect(found).toHaveTextContent('servers.web2.cpu');
  });

  it('lists the series of a tag value and picks one as a tag condition', async () => {
    const { latest } = await renderEditor({ target: 'sumSeries(x.y)' });
    fireEvent.click(screen.getByRole('button', { name: 'Metric browser' }));
    fireEvent.click(screen.getByRole('tab', { name: 'Tags' }));

    fireEvent.click(await screen.findByRole('button', { name: 'Open tag env' }));
    const [prod] = fixtures.envDetails.values;
    const value = (await screen.findByText('prod')).closest('button')!;
    expect(value).toHaveTextContent(`prod${prod.count} series`);
    fireEvent.click(value);

    expect(latest.query.target).toBe("sumSeries(seriesByTag('name=~^x\\.y$', 'env=prod'))");

    fireEvent.click(screen.getByRole('button', { name: 'All tags' }));
    fireEvent.click(await screen.findByRole('button', { name: 'Open tag name' }));
    fireEvent.change(screen.getByLabelText('Search the metric browser'), { target: { value: 'request' } });
    // Found by text: the list holds every request timer, and role queries over so many buttons are slow in jsdom.
    fireEvent.click((await screen.findByText('stats.timers.app.request.home.upper_90')).closest('button')!);

    // A value of a tag already filtered on replaces that condition.
    expect(latest.query.target).toBe(
      "sumSeries(seriesByTag('env=prod', 'name=stats.timers.app.request.home.upper_90'))"
    );
  });
});

describe('errors', () => {
  it('shows the worker’s message and marks the character it points at', async () => {
    await renderEditor({ target: 'movingAverage(servers.web1.cpu.user, 1, 2, 3, 4)' }, [
      {
        refId: 'A',
        message: "too many arguments for function 'movingAverage': it takes 3",
        position: 43,
        target: 'movingAverage(servers.web1.cpu.user, 1, 2, 3, 4)',
      },
      { refId: 'B', message: 'another query’s error' },
    ]);

    expect(screen.getByText("too many arguments for function 'movingAverage': it takes 3")).toBeInTheDocument();
    expect(screen.queryByText('another query’s error')).not.toBeInTheDocument();
    const marked = screen.getByLabelText('Where the error is');
    expect(marked).toHaveTextContent('movingAverage(servers.web1.cpu.user, 1, 2, 3, 4)');
    // The fourth argument, 3 at offset 43, is the first one too many.
    expect(marked.querySelector('mark')).toHaveTextContent('3');
  });
});

describe('events', () => {
  it('switches the query to events and filters them by tags', async () => {
    const { latest, onRunQuery } = await renderEditor({ target: 'servers.*.cpu.user' });

    fireEvent.click(screen.getByRole('radio', { name: 'Events' }));
    const tags = screen.getByPlaceholderText('deploy, then Enter');
    fireEvent.change(tags, { target: { value: 'deploy' } });
    fireEvent.keyDown(tags, { key: 'Enter' });

    expect(latest.query).toMatchObject({ queryType: 'events', tags: ['deploy'] });
    expect(onRunQuery).toHaveBeenCalledTimes(2);
  });
});

describe('worker figures', () => {
  it('picks which table of the worker’s figures a query answers', async () => {
    const { latest } = await renderEditor({ target: '' });

    fireEvent.click(screen.getByRole('radio', { name: 'Worker' }));
    fireEvent.click(screen.getByRole('radio', { name: 'Sources' }));

    expect(latest.query).toMatchObject({ queryType: 'stats', stats: 'sources' });
  });
});
