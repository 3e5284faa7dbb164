import React, { useState } from 'react';
import { fireEvent, render, screen } from '@testing-library/react';

import * as fixtures from '../../test/fixtures';
import { FakeWorker } from '../../test/fakeWorker';
import { MissionControlDataSource } from '../datasource';
import type { MissionControlVariableQuery } from '../types';
import { VariableQueryEditor } from './VariableQueryEditor';

let mockWorker: FakeWorker;

jest.mock('@grafana/runtime', () => ({
  ...jest.requireActual('@grafana/runtime'),
  getBackendSrv: () => mockWorker,
  getTemplateSrv: () => ({ replace: (text: string) => text }),
}));

function renderEditor(initial: MissionControlVariableQuery | string) {
  const datasource = new MissionControlDataSource(fixtures.datasourceSettings());
  const latest: { query?: MissionControlVariableQuery } = {};
  function Host() {
    const [query, setQuery] = useState(initial);
    return (
      <VariableQueryEditor
        datasource={datasource}
        query={query as MissionControlVariableQuery}
        onChange={(next) => {
          latest.query = next;
          setQuery(next);
        }}
        onRunQuery={jest.fn()}
      />
    );
  }
  render(<Host />);
  return latest;
}

beforeEach(() => {
  mockWorker = new FakeWorker('mc-prod')
    .answer('/graphite/tags/autoComplete/tags', 200, fixtures.tagKeys)
    .answer('/graphite/metrics/find?query=servers.*', 200, fixtures.findServers)
    .answer('/graphite/tags/autoComplete/values?tag=env', 200, fixtures.envValues)
    .answer('/api/v1/inventory/values?entity=servers&field=hostname', 200, fixtures.productionHostnames);
});

describe('VariableQueryEditor', () => {
  it('lists host names from a path pattern and previews them', async () => {
    const latest = renderEditor({ refId: 'v', type: 'metrics', query: '' });

    fireEvent.change(screen.getByLabelText('Path'), { target: { value: 'servers.*' } });
    fireEvent.blur(screen.getByLabelText('Path'));

    expect(latest.query).toEqual({ refId: 'v', type: 'metrics', query: 'servers.*' });
    expect(await screen.findByText('Values: db1, web1, web2, web3.')).toBeInTheDocument();
  });

  it('lists a field of the inventory’s servers', async () => {
    const latest = renderEditor({ refId: 'v', type: 'inventory' });

    fireEvent.click(screen.getByRole('radio', { name: 'servers' }));
    fireEvent.change(screen.getByLabelText('Field'), { target: { value: 'hostname' } });
    fireEvent.blur(screen.getByLabelText('Field'));

    expect(latest.query).toEqual({ refId: 'v', type: 'inventory', entity: 'servers', field: 'hostname' });
    expect(await screen.findByText('Values: web1.example.net, web2.example.net.')).toBeInTheDocument();
  });

  it('lists the values of a tag', async () => {
    const latest = renderEditor('tag_values(env)');

    expect(screen.getByRole('radio', { name: 'Tag values' })).toBeChecked();
    expect(screen.getByLabelText('Tag')).toHaveValue('env');
    expect(await screen.findByText('Values: prod.')).toBeInTheDocument();

    fireEvent.click(screen.getByRole('radio', { name: 'Tag names' }));
    expect(latest.query).toMatchObject({ type: 'tagKeys' });
    expect(await screen.findByText('Values: env, name.')).toBeInTheDocument();
  });
});
