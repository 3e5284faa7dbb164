import React, { useState } from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { IconButton, Input, RadioButtonGroup, useStyles2 } from '@grafana/ui';

import type { SeriesSource } from '../target/model';
import { globToRegex } from '../target/adhoc';

interface Props {
  refId: string;
  source: SeriesSource;
  onChange: (source: SeriesSource) => void;
}

const KINDS: Array<{ label: string; value: SeriesSource['kind']; description: string }> = [
  { label: 'Path', value: 'path', description: 'A dot-separated name with wildcards: servers.*.cpu.user' },
  {
    label: 'Tags',
    value: 'tags',
    description: 'seriesByTag: series whose tags match, such as env=prod or name=~app\\..*',
  },
];

/** Switching kinds keeps the selection where it can: a path becomes a regex on the name tag, and back. */
function convert(source: SeriesSource, kind: SeriesSource['kind']): SeriesSource {
  if (source.kind === kind) {
    return source;
  }
  if (source.kind === 'path') {
    return { kind: 'tags', expressions: source.path.trim() === '' ? [] : [`name=~${globToRegex(source.path)}`] };
  }
  const exact = source.expressions.length === 1 ? /^name=([^~].*)$/.exec(source.expressions[0]) : null;
  return { kind: 'path', path: exact ? exact[1] : '' };
}

/** The series the functions apply to: a path, or tag expressions (seriesByTag). */
export function SourceEditor({ refId, source, onChange }: Props) {
  const styles = useStyles2(getStyles);
  return (
    <div className={styles.row}>
      <RadioButtonGroup
        size="sm"
        options={KINDS}
        value={source.kind}
        onChange={(kind) => onChange(convert(source, kind))}
      />
      {source.kind === 'path' ? (
        <CommittedInput
          key={source.path}
          label="Series path"
          id={`missioncontrol-path-${refId}`}
          initial={source.path}
          placeholder="servers.*.cpu.user"
          onCommit={(path) => onChange({ kind: 'path', path })}
        />
      ) : (
        <>
          {source.expressions.map((expression, i) => (
            <span key={`${i}:${expression}`} className={styles.tag}>
              <CommittedInput
                label={`Tag expression ${i + 1}`}
                initial={expression}
                onCommit={(text) =>
                  onChange({
                    kind: 'tags',
                    expressions:
                      text === ''
                        ? source.expressions.filter((_, j) => j !== i)
                        : source.expressions.map((e, j) => (j === i ? text : e)),
                  })
                }
              />
              <IconButton
                name="times"
                size="sm"
                aria-label={`Remove ${expression}`}
                onClick={() => onChange({ kind: 'tags', expressions: source.expressions.filter((_, j) => j !== i) })}
              />
            </span>
          ))}
          <CommittedInput
            key={source.expressions.length}
            label="Add a tag expression"
            initial=""
            placeholder="tag=value"
            onCommit={(text) => text !== '' && onChange({ kind: 'tags', expressions: [...source.expressions, text] })}
          />
        </>
      )}
    </div>
  );
}

interface InputProps {
  label: string;
  id?: string;
  initial: string;
  placeholder?: string;
  onCommit: (text: string) => void;
}

/** Text committed on Enter or when it loses focus, so that a half-typed pattern does not run. */
function CommittedInput({ label, id, initial, placeholder, onCommit }: InputProps) {
  const styles = useStyles2(getStyles);
  const [text, setText] = useState(initial);
  const commit = () => {
    if (text.trim() !== initial) {
      onCommit(text.trim());
    }
  };
  return (
    <Input
      id={id}
      aria-label={label}
      className={styles.input}
      width={Math.min(Math.max(text.length, (placeholder ?? '').length) + 4, 60)}
      value={text}
      placeholder={placeholder}
      onChange={(event) => setText(event.currentTarget.value)}
      onBlur={commit}
      onKeyDown={(event) => {
        if (event.key === 'Enter') {
          commit();
        }
      }}
    />
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  row: css({ display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: theme.spacing(1) }),
  tag: css({ display: 'inline-flex', alignItems: 'center', gap: theme.spacing(0.25) }),
  input: css({ fontFamily: theme.typography.fontFamilyMonospace }),
});
