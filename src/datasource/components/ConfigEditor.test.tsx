import React, { useState } from 'react';
import { fireEvent, render, screen } from '@testing-library/react';
import type { DataSourceSettings } from '@grafana/data';

import type { MissionControlOptions, MissionControlSecureJsonData } from '../types';
import { ConfigEditor } from './ConfigEditor';

type Settings = DataSourceSettings<MissionControlOptions, MissionControlSecureJsonData>;

function savedSettings(overrides: Partial<Settings> = {}): Settings {
  return {
    id: 7,
    uid: 'mc-prod',
    orgId: 1,
    name: 'Mission Control (prod)',
    type: 'missionctl-missioncontrol-datasource',
    typeName: 'Mission Control',
    typeLogoUrl: '',
    access: 'proxy',
    url: '',
    user: '',
    basicAuth: false,
    basicAuthUser: '',
    isDefault: false,
    withCredentials: false,
    readOnly: false,
    jsonData: { url: 'http://mission-control.internal:8686' },
    secureJsonFields: { apiKey: true },
    ...overrides,
  } as Settings;
}

/** Holds the options the way Grafana's settings page does, and exposes the latest ones for assertions. */
function renderEditor(initial: Settings) {
  const latest: { options: Settings } = { options: initial };
  function Host() {
    const [options, setOptions] = useState(initial);
    return (
      <ConfigEditor
        options={options}
        onOptionsChange={(next) => {
          latest.options = next;
          setOptions(next);
        }}
      />
    );
  }
  render(<Host />);
  return latest;
}

describe('ConfigEditor', () => {
  it('shows a saved key only as configured, never its value', () => {
    renderEditor(savedSettings());

    const key = screen.getByLabelText(/^API key/);
    expect(key).toHaveValue('configured');
    expect(key).toBeDisabled();
    expect(screen.getByRole('button', { name: 'Reset' })).toBeInTheDocument();
  });

  it('lets the user reset the key and type a new one, which goes to secureJsonData only', () => {
    const latest = renderEditor(savedSettings());

    fireEvent.click(screen.getByRole('button', { name: 'Reset' }));
    const key = screen.getByLabelText(/^API key/);
    expect(key).toBeEnabled();
    expect(key).toHaveValue('');
    expect(key).toHaveAttribute('type', 'password');
    expect(latest.options.secureJsonFields.apiKey).toBe(false);

    fireEvent.change(key, { target: { value: 'mc_read_7f3a' } });

    expect(latest.options.secureJsonData).toEqual({ apiKey: 'mc_read_7f3a' });
    expect(JSON.stringify(latest.options.jsonData)).not.toContain('mc_read_7f3a');
  });

  it('asks for a key when none is set', () => {
    renderEditor(savedSettings({ secureJsonFields: {} }));

    expect(screen.getByLabelText(/^API key/)).toHaveAttribute('placeholder', 'Worker API key');
    expect(screen.queryByRole('button', { name: 'Reset' })).not.toBeInTheDocument();
  });

  it('stores the worker URL in jsonData', () => {
    const latest = renderEditor(savedSettings({ jsonData: {} }));

    fireEvent.change(screen.getByLabelText(/^Worker URL/), { target: { value: ' http://10.0.0.5:8686 ' } });

    expect(latest.options.jsonData.url).toBe('http://10.0.0.5:8686');
    expect(screen.getByLabelText(/^Worker URL/)).toHaveValue('http://10.0.0.5:8686');
  });

  it('says what is wrong with a URL the proxy could not use', () => {
    renderEditor(savedSettings({ jsonData: {} }));
    const url = screen.getByLabelText(/^Worker URL/);

    fireEvent.change(url, { target: { value: 'localhost:8686' } });
    expect(screen.getByText('Use an http:// or https:// URL.')).toBeInTheDocument();

    fireEvent.change(url, { target: { value: 'http//localhost:8686' } });
    expect(screen.getByText('Not a URL. Write it in full, for example http://localhost:8686.')).toBeInTheDocument();

    fireEvent.change(url, { target: { value: 'http://localhost:8686' } });
    expect(screen.queryByText(/Not a URL|Use an http/)).not.toBeInTheDocument();
  });
});
