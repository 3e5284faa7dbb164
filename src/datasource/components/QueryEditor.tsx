import React, { useState, type ChangeEvent } from 'react';
import type { QueryEditorProps } from '@grafana/data';
import { Field, Input } from '@grafana/ui';

import type { MissionControlDataSource } from '../datasource';
import type { MissionControlOptions, MissionControlQuery } from '../types';

type Props = QueryEditorProps<MissionControlDataSource, MissionControlQuery, MissionControlOptions>;

/**
 * One glob over series names. The query runs when the field loses focus or on Enter, not on every keystroke, so a
 * half-typed pattern does not hit the worker.
 */
export function QueryEditor({ query, onChange, onRunQuery }: Props) {
  const [glob, setGlob] = useState(query.glob ?? '');

  const commit = () => {
    if (glob !== (query.glob ?? '')) {
      onChange({ ...query, glob });
      onRunQuery();
    }
  };

  return (
    <Field
      label="Series"
      description="A glob over series names: * matches one dot-separated part, {a,b} either word, [0-9] one character."
      htmlFor={`missioncontrol-glob-${query.refId}`}
    >
      <Input
        id={`missioncontrol-glob-${query.refId}`}
        value={glob}
        placeholder="servers.*.cpu.load"
        onChange={(event: ChangeEvent<HTMLInputElement>) => setGlob(event.currentTarget.value)}
        onBlur={commit}
        onKeyDown={(event) => {
          if (event.key === 'Enter') {
            commit();
          }
        }}
      />
    </Field>
  );
}
