import React from 'react';
import { fireEvent, render, screen } from '@testing-library/react';
import type { AnnotationQuery } from '@grafana/data';

import * as fixtures from '../../test/fixtures';
import { FakeWorker } from '../../test/fakeWorker';
import { MissionControlDataSource } from '../datasource';
import type { MissionControlQuery } from '../types';
import { AnnotationQueryEditor } from './AnnotationQueryEditor';

let mockWorker: FakeWorker;

jest.mock('@grafana/runtime', () => ({
  ...jest.requireActual('@grafana/runtime'),
  getBackendSrv: () => mockWorker,
}));

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
});
