import React from 'react';
import type { QueryEditorProps } from '@grafana/data';
import { InlineField, InlineSwitch, Stack, TagsInput } from '@grafana/ui';

import type { MissionControlDataSource } from '../datasource';
import type { MissionControlOptions, MissionControlQuery } from '../types';

type Props = QueryEditorProps<MissionControlDataSource, MissionControlQuery, MissionControlOptions>;

/** Events by tag: those having every tag listed, or any of them; no tags means every event. */
export function EventsEditor({ query, onChange, onRunQuery }: Props) {
  const change = (next: Partial<MissionControlQuery>) => {
    onChange({ ...query, ...next });
    onRunQuery();
  };
  return (
    <Stack direction="row" gap={1} wrap="wrap">
      <InlineField
        label="Tags"
        labelWidth={12}
        tooltip="Events sent with these tags (POST /api/v1/events or Graphite's /events), such as deploy or dns. Variables are replaced."
      >
        <TagsInput
          id={`missioncontrol-event-tags-${query.refId}`}
          tags={query.tags ?? []}
          placeholder="deploy, then Enter"
          addOnBlur
          onChange={(tags) => change({ tags })}
        />
      </InlineField>
      <InlineField label="Match any" tooltip="Events with any of the tags, instead of all of them">
        <InlineSwitch
          aria-label="Match any tag"
          value={query.matchAny ?? false}
          onChange={(event) => change({ matchAny: event.currentTarget.checked })}
        />
      </InlineField>
    </Stack>
  );
}
