import React from 'react';
import { css } from '@emotion/css';
import { dateTimeFormat, dateTimeFormatTimeAgo, type GrafanaTheme2 } from '@grafana/data';
import { Tooltip, useStyles2, useTheme2 } from '@grafana/ui';

import type { AlertInstance } from '../../shared/api';
import { STATE_NAMES, formatValue, instanceTitle, sortInstances, stateColor } from './states';

interface Props {
  instances: AlertInstance[];
  onSelect: (instance: AlertInstance) => void;
}

/**
 * Hound's status grid: one square per alert instance, coloured by state, most severe first. A square is a button so
 * that it can be reached and opened from the keyboard; its label says what the colour says.
 */
export function StatusGrid({ instances, onSelect }: Props) {
  const styles = useStyles2(getStyles);
  const theme = useTheme2();
  return (
    <ul className={styles.grid} aria-label="Instances">
      {sortInstances(instances).map((instance) => (
        <li key={instance.key}>
          <Tooltip content={<InstanceTooltip instance={instance} />} placement="top">
            <button
              type="button"
              className={styles.square}
              style={{ backgroundColor: stateColor(theme, instance.state) }}
              aria-label={`${instanceTitle(instance)}: ${STATE_NAMES[instance.state]}`}
              onClick={() => onSelect(instance)}
            />
          </Tooltip>
        </li>
      ))}
    </ul>
  );
}

function InstanceTooltip({ instance }: { instance: AlertInstance }) {
  return (
    <div>
      <strong>{instanceTitle(instance)}</strong>
      <div>
        {STATE_NAMES[instance.state]} since {dateTimeFormat(instance.since * 1000)} (
        {dateTimeFormatTimeAgo(instance.since * 1000)})
      </div>
      <div>Value: {formatValue(instance.value)}</div>
      <div>{instance.reason}</div>
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  grid: css({
    display: 'flex',
    flexWrap: 'wrap',
    gap: theme.spacing(0.5),
    listStyle: 'none',
    margin: 0,
    padding: 0,
  }),
  square: css({
    display: 'block',
    width: theme.spacing(2),
    height: theme.spacing(2),
    border: 'none',
    borderRadius: theme.shape.radius.default,
    padding: 0,
    cursor: 'pointer',
    '&:focus-visible': {
      outline: `2px solid ${theme.colors.primary.main}`,
      outlineOffset: 1,
    },
  }),
});
