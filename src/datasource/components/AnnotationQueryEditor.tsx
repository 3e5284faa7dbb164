import React from 'react';
import type { AnnotationQuery, QueryEditorProps } from '@grafana/data';
import { Stack, Text } from '@grafana/ui';

import type { MissionControlDataSource } from '../datasource';
import type { MissionControlQuery } from '../types';
import { AnnotationTargetEditor } from './QueryEditor';

type Props = QueryEditorProps<MissionControlDataSource, MissionControlQuery> & {
  annotation?: AnnotationQuery<MissionControlQuery>;
  onAnnotationChange?: (annotation: AnnotationQuery<MissionControlQuery>) => void;
};

/**
 * Annotations come from the worker's events (deploys, DNS changes) filtered by tags, from series (every point of a
 * series other than null or 0 marks an event, the Graphite way of recording deploys as counters), or from the
 * inventory: the notes and status changes of the entities a dashboard is about.
 */
export function AnnotationQueryEditor(props: Props) {
  const { annotation, onAnnotationChange } = props;
  const query: MissionControlQuery = annotation?.target ?? { refId: 'Anno', queryType: 'events', tags: [] };
  const onChange = (target: MissionControlQuery) => {
    if (annotation && onAnnotationChange) {
      onAnnotationChange({ ...annotation, target });
    }
  };
  return (
    <Stack direction="column" gap={1}>
      <Text color="secondary" element="p">
        Events with the tags below; for Series, one mark at every point of the series that is not 0; for Inventory, the
        notes and status changes of the chosen entities.
      </Text>
      <AnnotationTargetEditor {...props} query={query} onChange={onChange} />
    </Stack>
  );
}
