import React from 'react';
import { css } from '@emotion/css';
import { dateTimeFormat, type GrafanaTheme2 } from '@grafana/data';
import { Stack, Text, useStyles2, useTheme2 } from '@grafana/ui';

import type { AlertPreviewSeries } from '../../shared/api';

interface Props {
  title: string;
  series: AlertPreviewSeries[];
  threshold?: number;
  recoveryThreshold?: number;
}

const WIDTH = 600;
const HEIGHT = 160;
const PAD = 4;

/**
 * A rule's query as lines, with the threshold (red) and recovery threshold (green) dashed across. Plain SVG over the
 * preview's evenly spaced values: the page needs the shape and where it crosses the line, not a panel's interactions,
 * and this draws the same from the worker's answer in tests and in Grafana.
 */
export function SeriesChart({ title, series, threshold, recoveryThreshold }: Props) {
  const styles = useStyles2(getStyles);
  const theme = useTheme2();
  const points = series.map((s) =>
    s.values.flatMap((v, i) => (v === null ? [] : [[s.start + i * s.step, v] as const]))
  );
  const all = points.flat();
  const lines = [threshold, recoveryThreshold].filter((v): v is number => v !== undefined);
  const described = [
    `${title} of ${series.length} series`,
    threshold !== undefined ? `threshold ${threshold}` : '',
    recoveryThreshold !== undefined ? `recovery ${recoveryThreshold}` : '',
  ]
    .filter(Boolean)
    .join(', ');
  if (all.length === 0) {
    return (
      <figure className={styles.figure} aria-label={described}>
        <figcaption>{title}</figcaption>
        <Text color="secondary">No data in this range.</Text>
      </figure>
    );
  }
  const xs = all.map(([t]) => t);
  const ys = [...all.map(([, v]) => v), ...lines];
  const [x0, x1] = [Math.min(...xs), Math.max(...xs)];
  let [y0, y1] = [Math.min(...ys), Math.max(...ys)];
  if (y0 === y1) {
    // A flat line sits in the middle rather than on the edge.
    [y0, y1] = [y0 - 1, y1 + 1];
  }
  const x = (t: number) => PAD + ((t - x0) / Math.max(x1 - x0, 1)) * (WIDTH - 2 * PAD);
  const y = (v: number) => HEIGHT - PAD - ((v - y0) / (y1 - y0)) * (HEIGHT - 2 * PAD);
  const color = (i: number) =>
    theme.visualization.getColorByName(theme.visualization.palette[i % theme.visualization.palette.length]);

  return (
    <figure className={styles.figure} aria-label={described}>
      <figcaption>{title}</figcaption>
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} className={styles.svg} role="img" aria-label={described}>
        {points.map((p, i) => (
          <polyline
            key={series[i].name}
            points={p.map(([t, v]) => `${x(t).toFixed(1)},${y(v).toFixed(1)}`).join(' ')}
            fill="none"
            stroke={color(i)}
            strokeWidth={1.5}
            vectorEffect="non-scaling-stroke"
          />
        ))}
        {threshold !== undefined && (
          <line
            data-testid="threshold"
            x1={0}
            x2={WIDTH}
            y1={y(threshold)}
            y2={y(threshold)}
            stroke={theme.visualization.getColorByName('red')}
            strokeDasharray="6 4"
            vectorEffect="non-scaling-stroke"
          />
        )}
        {recoveryThreshold !== undefined && (
          <line
            data-testid="recovery-threshold"
            x1={0}
            x2={WIDTH}
            y1={y(recoveryThreshold)}
            y2={y(recoveryThreshold)}
            stroke={theme.visualization.getColorByName('green')}
            strokeDasharray="2 4"
            vectorEffect="non-scaling-stroke"
          />
        )}
      </svg>
      <Stack direction="row" justifyContent="space-between">
        <Text variant="bodySmall" color="secondary">
          {dateTimeFormat(x0 * 1000)}
        </Text>
        <Text variant="bodySmall" color="secondary">
          {Number(y0.toPrecision(3))} – {Number(y1.toPrecision(3))}
        </Text>
        <Text variant="bodySmall" color="secondary">
          {dateTimeFormat(x1 * 1000)}
        </Text>
      </Stack>
      <ul className={styles.legend} aria-label={`${title} legend`}>
        {series.map((s, i) => (
          <li key={s.name}>
            <span className={styles.swatch} style={{ backgroundColor: color(i) }} aria-hidden />
            {s.name}
          </li>
        ))}
      </ul>
    </figure>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  figure: css({
    margin: 0,
    padding: theme.spacing(1),
    border: `1px solid ${theme.colors.border.weak}`,
    borderRadius: theme.shape.radius.default,
    minWidth: 0,
    figcaption: { fontWeight: theme.typography.fontWeightMedium, marginBottom: theme.spacing(0.5) },
  }),
  svg: css({ width: '100%', height: HEIGHT, display: 'block' }),
  legend: css({
    display: 'flex',
    flexWrap: 'wrap',
    gap: theme.spacing(1),
    listStyle: 'none',
    margin: 0,
    padding: 0,
    fontSize: theme.typography.bodySmall.fontSize,
  }),
  swatch: css({
    display: 'inline-block',
    width: theme.spacing(1),
    height: 2,
    marginRight: theme.spacing(0.5),
    verticalAlign: 'middle',
  }),
});
