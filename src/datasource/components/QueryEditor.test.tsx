import React from 'react';
import { fireEvent, render, screen } from '@testing-library/react';

import type { MissionControlDataSource } from '../datasource';
import { QueryEditor } from './QueryEditor';

function renderEditor(glob: string) {
  const onChange = jest.fn();
  const onRunQuery = jest.fn();
  render(
    <QueryEditor
      datasource={{} as MissionControlDataSource}
      query={{ refId: 'A', glob }}
      onChange={onChange}
      onRunQuery={onRunQuery}
    />
  );
  return { onChange, onRunQuery, input: screen.getByLabelText(/^Series/) };
}

describe('QueryEditor', () => {
  it('shows the query’s glob', () => {
    const { input } = renderEditor('servers.*.cpu.load');

    expect(input).toHaveValue('servers.*.cpu.load');
  });

  it('runs the query on Enter, not while typing', () => {
    const { input, onChange, onRunQuery } = renderEditor('');

    fireEvent.change(input, { target: { value: 'servers.web*.cpu.{user,system}' } });
    expect(onRunQuery).not.toHaveBeenCalled();

    fireEvent.keyDown(input, { key: 'Enter' });
    expect(onChange).toHaveBeenCalledWith({ refId: 'A', glob: 'servers.web*.cpu.{user,system}' });
    expect(onRunQuery).toHaveBeenCalledTimes(1);
  });

  it('runs the query when the field loses focus after a change, and not otherwise', () => {
    const { input, onRunQuery } = renderEditor('servers.*.cpu.load');

    fireEvent.blur(input);
    expect(onRunQuery).not.toHaveBeenCalled();

    fireEvent.change(input, { target: { value: 'servers.*.mem.used' } });
    fireEvent.blur(input);
    expect(onRunQuery).toHaveBeenCalledTimes(1);
  });
});
