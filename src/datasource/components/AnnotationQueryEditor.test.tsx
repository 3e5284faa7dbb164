import React, { useState } from 'react';
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import type { AnnotationQuery } from '@grafana/data';

import * as fixtures from '../../test/fixtures';
import { FakeWorker } from '../../test/fakeWorker';
import { MissionControlDataSource } from '../datasource';
import type { MissionControlQuery } from '../types';
import { AnnotationQueryEditor } from './AnnotationQueryEditor';
import { QueryEditor } from './QueryEditor';

let mockWorker: FakeWorker;

jest.mock('@grafana/runtime', () => ({
  ...jest.requireActual('@grafana/runtime'),
  getBackendSrv: () => mockWorker,
}));

/** Grafana's annotation settings page, reduced to holding the annotation the editor changes. */
function EditedAnnotation({
  datasource,
  initial,
  onSave,
}: {
  datasource: MissionControlDataSource;
  initial: AnnotationQuery<MissionControlQuery>;
  onSave: (annotation: AnnotationQuery<MissionControlQuery>) => void;
}) {
  const [annotation, setAnnotation] = useState(initial);
  return (
    <AnnotationQueryEditor
      datasource={datasource}
      query={annotation.target!}
      annotation={annotation}
      onAnnotationChange={(next) => {
        setAnnotation(next);
        onSave(next);
      }}
      onChange={jest.fn()}
      onRunQuery={jest.fn()}
    />
  );
}

function inventoryWorker(): FakeWorker {
  return new FakeWorker('mc-prod')
    .answer('/graphite/functions', 200, fixtures.functions)
    .answer('/api/v1/inventory/servers', 200, fixtures.inventoryServers)
    .answer('/api/v1/inventory/applications', 200, fixtures.inventoryApplications)
    .answer('/api/v1/inventory/aliases', 200, fixtures.inventoryAliases);
}

beforeAll(() => {
  // Combobox measures its options' text on a canvas, which jsdom does not draw, and its menu watches its scroll edges
  // with an IntersectionObserver, which jsdom lacks; nothing here depends on sizes.
  HTMLCanvasElement.prototype.getContext = (() => ({
    measureText: (text: string) => ({ width: text.length * 7 }),
  })) as unknown as HTMLCanvasElement['getContext'];
  if (!('IntersectionObserver' in window)) {
    Object.defineProperty(window, 'IntersectionObserver', {
      writable: true,
      value: class {
        observe() {}
        unobserve() {}
        disconnect() {}
      },
    });
  }
});

describe('AnnotationQueryEditor', () => {
  it('edits the tags of the events an annotation shows', () => {
    mockWorker = new FakeWorker('mc-prod').answer('/graphite/functions', 200, fixtures.functions);
    const datasource = new MissionControlDataSource(fixtures.datasourceSettings());
    const annotation: AnnotationQuery<MissionControlQuery> = {
      name: 'Deploys',
      enable: true,
      iconColor: 'red',
      target: { refId: 'Anno', queryType: 'events', tags: ['deploy'] },
    };
    const onAnnotationChange = jest.fn();

    render(
      <AnnotationQueryEditor
        datasource={datasource}
        query={annotation.target!}
        annotation={annotation}
        onAnnotationChange={onAnnotationChange}
        onChange={jest.fn()}
        onRunQuery={jest.fn()}
      />
    );
    expect(screen.getByText('deploy')).toBeInTheDocument();
    expect(screen.queryByRole('radio', { name: 'Worker' })).not.toBeInTheDocument();
    fireEvent.click(screen.getByRole('switch', { name: 'Match any tag' }));

    expect(onAnnotationChange).toHaveBeenCalledWith({
      ...annotation,
      target: { refId: 'Anno', queryType: 'events', tags: ['deploy'], matchAny: true },
    });
  });

  it('shows the notes and status changes of servers picked from the inventory, or named with a variable', async () => {
    mockWorker = inventoryWorker();
    const datasource = new MissionControlDataSource(fixtures.datasourceSettings());
    const onSave = jest.fn();
    render(
      <EditedAnnotation
        datasource={datasource}
        initial={{
          name: 'Notes',
          enable: true,
          iconColor: 'blue',
          target: { refId: 'Anno', queryType: 'events', tags: ['deploy'] },
        }}
        onSave={onSave}
      />
    );

    // The events' tags go: the inventory tags its annotations otherwise, and `deploy` would hide them all.
    fireEvent.click(screen.getByRole('radio', { name: 'Inventory' }));
    expect(onSave).toHaveBeenLastCalledWith(
      expect.objectContaining({ target: { refId: 'Anno', queryType: 'inventory', tags: [] } })
    );
    await waitFor(() =>
      expect(mockWorker.requests.map((r) => r.url.replace(/^.*\/worker/, ''))).toEqual(
        expect.arrayContaining([
          '/api/v1/inventory/servers',
          '/api/v1/inventory/applications',
          '/api/v1/inventory/aliases',
        ])
      )
    );

    // Combobox virtualises its option list, which has no size in jsdom: pick by typing and Enter.
    const entities = screen.getByLabelText('Entities');
    fireEvent.click(entities);
    fireEvent.change(entities, { target: { value: 'web2' } });
    // The text as typed comes first, as a custom value; the server it matches second.
    fireEvent.keyDown(entities, { key: 'ArrowDown' });
    fireEvent.keyDown(entities, { key: 'ArrowDown' });
    fireEvent.keyDown(entities, { key: 'Enter' });
    expect(onSave).toHaveBeenLastCalledWith(
      expect.objectContaining({ target: expect.objectContaining({ entities: ['server:web2.example.net'] }) })
    );

    fireEvent.change(entities, { target: { value: 'server:$host' } });
    fireEvent.keyDown(entities, { key: 'ArrowDown' });
    fireEvent.keyDown(entities, { key: 'Enter' });
    const tags = screen.getByPlaceholderText('note, then Enter');
    fireEvent.change(tags, { target: { value: 'note' } });
    fireEvent.keyDown(tags, { key: 'Enter' });

    expect(onSave).toHaveBeenLastCalledWith({
      name: 'Notes',
      enable: true,
      iconColor: 'blue',
      target: {
        refId: 'Anno',
        queryType: 'inventory',
        entities: ['server:web2.example.net', 'server:$host'],
        tags: ['note'],
      },
    });
  });

  it('offers the inventory only to annotations, not to panels', () => {
    mockWorker = inventoryWorker();
    const datasource = new MissionControlDataSource(fixtures.datasourceSettings());
    render(
      <QueryEditor
        datasource={datasource}
        query={{ refId: 'A', queryType: 'events', tags: [] }}
        onChange={jest.fn()}
        onRunQuery={jest.fn()}
      />
    );
    expect(screen.getByRole('radio', { name: 'Events' })).toBeInTheDocument();
    expect(screen.queryByRole('radio', { name: 'Inventory' })).not.toBeInTheDocument();
  });
});
