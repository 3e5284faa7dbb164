import React from 'react';
import { css, cx } from '@emotion/css';
import { colorManipulator, dateTimeFormat, dateTimeFormatTimeAgo, type GrafanaTheme2 } from '@grafana/data';
import { Icon, Tooltip, useStyles2, useTheme2 } from '@grafana/ui';

import type { AlertInstance } from '../../shared/api';
import {
  STATE_NAMES,
  formatValue,
  instanceStatus,
  instanceTitle,
  isSilenced,
  sortInstances,
  stateColor,
} from './states';

interface Props {
  instances: AlertInstance[];
  onSelect: (instance: AlertInstance) => void;
}

/**
 * Hound's status grid: one square per alert instance, coloured by state, most severe first. A square is a button so
 * that it can be reached and opened from the keyboard; its label says what the colour says. A silenced or
 * acknowledged instance keeps its state's colour under stripes and an icon, so that a red square nobody is being told
 * about stands apart from one that still pages, without relying on colour.
 */
export function StatusGrid({ instances, onSelect }: Props) {
  const styles = useStyles2(getStyles);
  const theme = useTheme2();
  return (
    <ul className={styles.grid} aria-label="Instances">
      {sortInstances(instances).map((instance) => {
        const silenced = isSilenced(instance);
        const held = silenced || instance.acknowledgedBy !== undefined;
        return (
          <li key={instance.key}>
            <Tooltip content={<InstanceTooltip instance={instance} />} placement="top">
              <button
                type="button"
                className={cx(styles.square, held && styles.held)}
                style={{ backgroundColor: stateColor(theme, instance.state) }}
                aria-label={`${instanceTitle(instance)}: ${instanceStatus(instance)}`}
                onClick={() => onSelect(instance)}
              >
                {held && <Icon name={silenced ? 'bell-slash' : 'check'} size="xs" aria-hidden />}
              </button>
            </Tooltip>
          </li>
        );
      })}
    </ul>
  );
}

function InstanceTooltip({ instance }: { instance: AlertInstance }) {
  const silences = instance.silencedBy?.length ?? 0;
  return (
    <div>
      <strong>{instanceTitle(instance)}</strong>
      <div>
        {STATE_NAMES[instance.state]} since {dateTimeFormat(instance.since * 1000)} (
        {dateTimeFormatTimeAgo(instance.since * 1000)})
      </div>
      <div>Value: {formatValue(instance.value)}</div>
      <div>{instance.reason}</div>
      {silences > 0 && <div>Silenced by {silences === 1 ? 'a silence' : `${silences} silences`}: no notifications</div>}
      {instance.acknowledgedBy !== undefined && (
        <div>Acknowledged by {instance.acknowledgedBy}: no re-notifications</div>
      )}
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
    display: 'flex',
    alignItems: 'center',
    justifyContent: 'center',
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
  // Stripes of the page's own background mute the colour without changing it: the state still reads at a glance.
  held: css({
    color: theme.colors.text.maxContrast,
    backgroundImage: `repeating-linear-gradient(135deg, ${colorManipulator.alpha(
      theme.colors.background.primary,
      0.6
    )} 0 2px, transparent 2px 5px)`,
  }),
});
