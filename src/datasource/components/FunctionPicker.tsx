import React, { useMemo, useState } from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { Button, Input, useStyles2 } from '@grafana/ui';

import type { FunctionInfo, FunctionRegistry } from '../../api/graphite';
import { builderFunctions } from '../target/functions';

interface Props {
  registry?: FunctionRegistry;
  /** Why the registry could not be loaded. */
  error?: string;
  onSelect: (info: FunctionInfo) => void;
}

/** "Add function": the worker's function library by group, searchable by name. */
export function FunctionPicker({ registry, error, onSelect }: Props) {
  const styles = useStyles2(getStyles);
  const [open, setOpen] = useState(false);
  const [search, setSearch] = useState('');
  const groups = useMemo(() => (registry ? builderFunctions(registry) : []), [registry]);
  const term = search.trim().toLowerCase();
  const shown = groups
    .map(({ group, functions }) => ({ group, functions: functions.filter((f) => f.name.toLowerCase().includes(term)) }))
    .filter(({ functions }) => functions.length > 0);

  return (
    <div className={styles.picker}>
      <Button
        icon="plus"
        size="sm"
        variant="secondary"
        aria-expanded={open}
        disabled={!registry}
        tooltip={error ? `The function library could not be loaded: ${error}` : undefined}
        onClick={() => setOpen(!open)}
      >
        Add function
      </Button>
      {open && (
        <div className={styles.menu}>
          <Input
            autoFocus
            aria-label="Search functions"
            placeholder="Search functions"
            value={search}
            onChange={(event) => setSearch(event.currentTarget.value)}
            onKeyDown={(event) => {
              if (event.key === 'Escape') {
                setOpen(false);
              }
            }}
          />
          <div className={styles.list} role="listbox" aria-label="Functions">
            {shown.length === 0 && <div className={styles.empty}>No function matches “{search}”.</div>}
            {shown.map(({ group, functions }) => (
              <div key={group} role="group" aria-label={group}>
                <div className={styles.group}>{group}</div>
                {functions.map((info) => (
                  <button
                    key={info.name}
                    type="button"
                    role="option"
                    aria-selected={false}
                    className={styles.option}
                    title={info.description}
                    onClick={() => {
                      onSelect(info);
                      setOpen(false);
                      setSearch('');
                    }}
                  >
                    {info.name}
                  </button>
                ))}
              </div>
            ))}
          </div>
        </div>
      )}
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  picker: css({ position: 'relative' }),
  menu: css({
    position: 'absolute',
    zIndex: theme.zIndex.dropdown,
    top: '100%',
    left: 0,
    width: 320,
    marginTop: theme.spacing(0.5),
    padding: theme.spacing(1),
    background: theme.colors.background.elevated,
    border: `1px solid ${theme.colors.border.weak}`,
    borderRadius: theme.shape.radius.default,
    boxShadow: theme.shadows.z3,
  }),
  list: css({ maxHeight: 320, overflowY: 'auto', marginTop: theme.spacing(1) }),
  group: css({
    color: theme.colors.text.secondary,
    fontSize: theme.typography.bodySmall.fontSize,
    padding: theme.spacing(0.5, 0.5, 0.25),
  }),
  option: css({
    display: 'block',
    width: '100%',
    textAlign: 'left',
    border: 'none',
    background: 'none',
    color: theme.colors.text.primary,
    fontFamily: theme.typography.fontFamilyMonospace,
    padding: theme.spacing(0.25, 1),
    borderRadius: theme.shape.radius.default,
    '&:hover, &:focus': { background: theme.colors.action.hover, outline: 'none' },
  }),
  empty: css({ color: theme.colors.text.secondary, padding: theme.spacing(0.5) }),
});
