import React from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { useStyles2, useTheme2 } from '@grafana/ui';

import type { AlertState } from '../../shared/api';
import { STATE_NAMES, stateColor } from './states';

/**
 * A state's name (with a count in rule rows) beside a square of the grid's colour. Not Grafana's Badge: its palette
 * has no yellow and no grey, and the count must match the grid at a glance.
 */
export function StateBadge({ state, count }: { state: AlertState; count?: number }) {
  const styles = useStyles2(getStyles);
  const theme = useTheme2();
  const text = count === undefined ? STATE_NAMES[state] : `${count} ${STATE_NAMES[state]}`;
  return (
    <span className={styles.badge}>
      <span className={styles.swatch} style={{ backgroundColor: stateColor(theme, state) }} aria-hidden />
      {text}
    </span>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  badge: css({
    display: 'inline-flex',
    alignItems: 'center',
    gap: theme.spacing(0.5),
    whiteSpace: 'nowrap',
    fontSize: theme.typography.bodySmall.fontSize,
  }),
  swatch: css({
    display: 'inline-block',
    width: theme.spacing(1.25),
    height: theme.spacing(1.25),
    borderRadius: theme.shape.radius.default,
  }),
});
