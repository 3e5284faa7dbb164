import React from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { IconButton, Tooltip, useStyles2 } from '@grafana/ui';

import type { FunctionInfo } from '../../api/graphite';
import type { FunctionCall } from '../target/model';
import { paramSlots, setParam } from '../target/functions';
import { ParamField } from './ParamField';

interface Props {
  call: FunctionCall;
  /** Undefined when the worker's registry does not know the function: its arguments are then edited as text. */
  info?: FunctionInfo;
  isFirst: boolean;
  isLast: boolean;
  onChange: (call: FunctionCall) => void;
  onMove: (delta: -1 | 1) => void;
  onRemove: () => void;
}

/** One function of the chain: its name (with the registry's description), its parameters, and buttons to move it. */
export function FunctionCard({ call, info, isFirst, isLast, onChange, onMove, onRemove }: Props) {
  const styles = useStyles2(getStyles);
  const slots = paramSlots(call, info);
  return (
    <div className={styles.card} role="group" aria-label={`Function ${call.name}`}>
      <div className={styles.header}>
        <Tooltip
          content={
            info ? <pre className={styles.description}>{info.description}</pre> : 'Not in the worker’s function library'
          }
        >
          <span className={info ? styles.name : styles.unknown} tabIndex={0}>
            {call.name}
          </span>
        </Tooltip>
        <IconButton
          name="angle-left"
          size="sm"
          aria-label={`Apply ${call.name} earlier`}
          disabled={isFirst}
          onClick={() => onMove(-1)}
        />
        <IconButton
          name="angle-right"
          size="sm"
          aria-label={`Apply ${call.name} later`}
          disabled={isLast}
          onClick={() => onMove(1)}
        />
        <IconButton name="times" size="sm" aria-label={`Remove ${call.name}`} onClick={onRemove} />
      </div>
      {slots.map((slot) => (
        <ParamField
          key={slot.label}
          functionName={call.name}
          slot={slot}
          onChange={(values) => onChange(setParam(call, slot, values))}
        />
      ))}
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  card: css({
    display: 'flex',
    flexDirection: 'column',
    gap: theme.spacing(0.5),
    padding: theme.spacing(0.75, 1),
    background: theme.colors.background.secondary,
    border: `1px solid ${theme.colors.border.medium}`,
    borderRadius: theme.shape.radius.default,
  }),
  header: css({ display: 'flex', alignItems: 'center', gap: theme.spacing(0.5) }),
  name: css({
    fontFamily: theme.typography.fontFamilyMonospace,
    fontWeight: theme.typography.fontWeightMedium,
    flexGrow: 1,
  }),
  unknown: css({ fontFamily: theme.typography.fontFamilyMonospace, color: theme.colors.warning.text, flexGrow: 1 }),
  description: css({ whiteSpace: 'pre-wrap', maxWidth: 480, margin: 0, fontSize: theme.typography.bodySmall.fontSize }),
});
