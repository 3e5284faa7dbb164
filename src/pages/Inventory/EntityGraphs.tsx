import React from 'react';
import { css } from '@emotion/css';
import { dateTimeFormat, type GrafanaTheme2 } from '@grafana/data';
import { Alert, LoadingPlaceholder, Stack, Text, Tooltip, useStyles2, useTheme2 } from '@grafana/ui';

import type { InventoryApi, RenderSeries } from '../../api/inventory';
import type { InventoryAnnotation } from '../../shared/api';
import { useLoad } from '../../utils/useLoad';

/** What a person looks at first on a server or an application page, as Plexus showed it (seed 003). */
export const GRAPH_GROUPS = {
  server: [
    { title: 'Load', match: /load/i },
    { title: 'Memory', match: /mem/i },
    { title: 'Disk', match: /disk/i },
  ],
  application: [
    { title: 'Requests', match: /req/i },
    { title: 'Errors', match: /err/i },
    { title: 'Timings', match: /tim|latency|duration/i },
  ],
} as const;

export const GRAPH_RANGES = [
  { label: 'Last 24 hours', from: '-24h', seconds: 86_400 },
  { label: 'Last 7 days', from: '-7d', seconds: 7 * 86_400 },
] as const;

const LONGEST_RANGE = Math.max(...GRAPH_RANGES.map((r) => r.seconds));

/** Enough points for a sparkline's width; the worker consolidates longer ranges as Graphite does. */
const MAX_POINTS = 60;

function seriesName(s: RenderSeries): string {
  return s.tags.name ?? s.target;
}

/**
 * The entity's series over 24 h and 7 d, one render request per range for the whole `seriesTarget` (the worker's
 * label selector of the entity), grouped by name into the graphs its kind calls for. The entity's notes and status
 * changes (its aliases' too) are marked on every graph at their time, as Grafana draws annotations: one request for the
 * longest range serves both. `revision` changes when the page changed the entity, which may have added a note.
 */
export function EntityGraphs({
  api,
  kind,
  entity,
  target,
  revision,
}: {
  api: InventoryApi;
  kind: keyof typeof GRAPH_GROUPS;
  entity: string;
  target: string;
  revision: number;
}) {
  const annotations = useLoad(() => {
    const until = Date.now() / 1000;
    return api.annotations(entity, { from: until - LONGEST_RANGE, until });
  }, `${entity}|${revision}`);
  return (
    <Stack direction="column" gap={2}>
      {annotations.error && (
        <Alert severity="warning" title="Could not load the notes and changes to mark on the graphs">
          {annotations.error}
        </Alert>
      )}
      {GRAPH_RANGES.map((range) => (
        <RangeGraphs
          key={range.from}
          api={api}
          kind={kind}
          target={target}
          range={range}
          annotations={annotations.value?.annotations ?? []}
        />
      ))}
    </Stack>
  );
}

function RangeGraphs({
  api,
  kind,
  target,
  range,
  annotations,
}: {
  api: InventoryApi;
  kind: keyof typeof GRAPH_GROUPS;
  target: string;
  range: (typeof GRAPH_RANGES)[number];
  annotations: InventoryAnnotation[];
}) {
  const styles = useStyles2(getStyles);
  const { value, error } = useLoad(
    () => api.render(target, { from: range.from, until: 'now', maxDataPoints: MAX_POINTS }),
    `${target}|${range.from}`
  );
  return (
    <section aria-label={range.label}>
      <Text element="h4" variant="h5">
        {range.label}
      </Text>
      {error ? (
        <Alert severity="warning" title={`Could not load ${target}`}>
          {error}
        </Alert>
      ) : !value ? (
        <LoadingPlaceholder text="Loading graphs…" />
      ) : (
        <div className={styles.grid}>
          {GRAPH_GROUPS[kind].map((group) => {
            const series = value.filter((s) => group.match.test(seriesName(s)));
            return (
              <figure key={group.title} className={styles.figure} aria-label={`${group.title}, ${range.label}`}>
                <figcaption>
                  <Text weight="medium">{group.title}</Text>
                </figcaption>
                {series.length === 0 ? (
                  <Text color="secondary" variant="bodySmall">
                    No {group.title.toLowerCase()} series among the {value.length} of {target}
                  </Text>
                ) : (
                  series.map((s) => <Sparkline key={s.target} series={s} marks={annotations} />)
                )}
              </figure>
            );
          })}
        </div>
      )}
    </section>
  );
}

const WIDTH = 240;
const HEIGHT = 40;

/** The points of a series as an SVG path, gaps (nulls) breaking the line, scaled to the box. */
export function sparklinePath(points: Array<[number | null, number]>, width = WIDTH, height = HEIGHT): string {
  const values = points.map(([v]) => v).filter((v): v is number => v !== null);
  if (values.length === 0 || points.length < 2) {
    return '';
  }
  const min = Math.min(...values);
  const span = Math.max(...values) - min || 1;
  const t0 = points[0][1];
  const tSpan = points[points.length - 1][1] - t0 || 1;
  let path = '';
  // Points in the current stretch without nulls; a stretch of one point gets a zero-length segment, which the round
  // line cap draws as a dot (a server added a few minutes ago has one bucket on a day's graph).
  let run = 0;
  const endRun = (): void => {
    if (run === 1) {
      path += 'h0';
    }
    run = 0;
  };
  for (const [v, t] of points) {
    if (v === null) {
      endRun();
      continue;
    }
    const x = ((t - t0) / tSpan) * width;
    const y = height - ((v - min) / span) * height;
    path += `${run > 0 ? 'L' : 'M'}${x.toFixed(1)},${y.toFixed(1)}`;
    run++;
  }
  endRun();
  return path;
}

function lastValue(series: RenderSeries): number | undefined {
  for (let i = series.datapoints.length - 1; i >= 0; i--) {
    const v = series.datapoints[i][0];
    if (v !== null) {
      return v;
    }
  }
  return undefined;
}

/**
 * Where a time falls on a sparkline of these points, as a fraction of its width: undefined before the first point,
 * and at the right edge after the last one, since the last point stands for the time up to now.
 */
export function markPosition(points: Array<[number | null, number]>, time: number): number | undefined {
  if (points.length < 2 || time < points[0][1]) {
    return undefined;
  }
  const t0 = points[0][1];
  const tSpan = points[points.length - 1][1] - t0 || 1;
  return Math.min(1, (time - t0) / tSpan);
}

function Sparkline({ series, marks }: { series: RenderSeries; marks: InventoryAnnotation[] }) {
  const theme = useTheme2();
  const styles = useStyles2(getStyles);
  const name = seriesName(series);
  const last = lastValue(series);
  return (
    <div className={styles.sparkline}>
      <Text variant="bodySmall" color="secondary">
        {name}
        {last !== undefined && `: ${Number(last.toPrecision(4))}`}
      </Text>
      <div className={styles.plot}>
        <svg role="img" aria-label={name} viewBox={`0 0 ${WIDTH} ${HEIGHT}`} preserveAspectRatio="none">
          <path
            d={sparklinePath(series.datapoints)}
            fill="none"
            stroke={theme.colors.primary.main}
            strokeWidth={1.5}
            strokeLinecap="round"
          />
        </svg>
        {marks.map((mark, i) => {
          const at = markPosition(series.datapoints, mark.time);
          return at === undefined ? null : <Mark key={`${mark.time}|${i}`} mark={mark} left={at} />;
        })}
      </div>
    </div>
  );
}

/** One note or status change: a dashed line at its time, its text on hover. Notes and status changes differ in colour. */
function Mark({ mark, left }: { mark: InventoryAnnotation; left: number }) {
  const styles = useStyles2(getStyles);
  const note = mark.tags.includes('note');
  const when = dateTimeFormat(mark.time * 1000);
  return (
    <Tooltip
      content={
        <div>
          <div>{when}</div>
          <strong>{mark.title}</strong>
          <div className={styles.markText}>{mark.text}</div>
        </div>
      }
    >
      <span
        role="note"
        aria-label={`${mark.title} at ${when}: ${mark.text}`}
        className={`${styles.mark} ${note ? styles.noteMark : styles.changeMark}`}
        style={{ left: `${(left * 100).toFixed(2)}%` }}
      />
    </Tooltip>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  grid: css({
    display: 'grid',
    gridTemplateColumns: 'repeat(auto-fill, minmax(260px, 1fr))',
    gap: theme.spacing(2),
  }),
  figure: css({
    margin: 0,
    padding: theme.spacing(1.5),
    background: theme.colors.background.secondary,
    border: `1px solid ${theme.colors.border.weak}`,
    borderRadius: theme.shape.radius.default,
  }),
  sparkline: css({
    svg: { width: '100%', height: HEIGHT, display: 'block' },
  }),
  plot: css({ position: 'relative' }),
  // A few pixels wide to be easy to hover, the line drawn down its middle.
  mark: css({
    position: 'absolute',
    top: 0,
    bottom: 0,
    width: 7,
    marginLeft: -3,
    cursor: 'default',
    '&::before': {
      content: '""',
      position: 'absolute',
      top: 0,
      bottom: 0,
      left: 3,
      borderLeft: '1px dashed currentColor',
    },
    '&::after': {
      content: '""',
      position: 'absolute',
      bottom: -3,
      left: 1,
      width: 5,
      height: 5,
      borderRadius: '50%',
      background: 'currentColor',
    },
  }),
  noteMark: css({ color: theme.colors.warning.main }),
  changeMark: css({ color: theme.colors.info.main }),
  markText: css({ whiteSpace: 'pre-wrap', maxWidth: 320 }),
});
