import React from 'react';
import { FieldType, getFieldDisplayName, type DataFrame, type PanelData } from '@grafana/data';
import { useTheme2 } from '@grafana/ui';

/**
 * What the panel would draw, reduced to what a test can read and a reviewer can see: a line per series over the
 * time range, and a table of each series' name, number of points and last value.
 */
export function Results({ data }: { data?: PanelData }) {
  const theme = useTheme2();
  if (!data) {
    return <p>Run the query to see its series.</p>;
  }
  const series = data.series.map(describe).filter((s) => s !== undefined);
  const points = series.reduce((total, s) => total + s.points.length, 0);
  return (
    <section aria-label="Query results" style={{ marginTop: theme.spacing(3) }}>
      <p>
        {series.length} series, {points} points
      </p>
      <Chart series={series} />
      <table style={{ width: '100%', marginTop: theme.spacing(2) }}>
        <thead>
          <tr>
            <th style={{ textAlign: 'left' }}>Series</th>
            <th style={{ textAlign: 'right' }}>Points</th>
            <th style={{ textAlign: 'right' }}>Last value</th>
          </tr>
        </thead>
        <tbody>
          {series.map((s) => (
            <tr key={s.name}>
              <td style={{ color: s.color }}>{s.name}</td>
              <td style={{ textAlign: 'right' }}>{s.points.length}</td>
              <td style={{ textAlign: 'right' }}>{s.points.at(-1)?.[1].toFixed(2) ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

const COLORS = ['#73BF69', '#F2CC0C', '#8AB8FF', '#FF780A', '#F2495C', '#5794F2', '#B877D9', '#FADE2A'];

interface Drawn {
  name: string;
  color: string;
  points: Array<[number, number]>;
}

function describe(frame: DataFrame, index: number): Drawn | undefined {
  const time = frame.fields.find((f) => f.type === FieldType.time);
  const value = frame.fields.find((f) => f.type === FieldType.number);
  if (!time || !value) {
    return undefined;
  }
  const points: Array<[number, number]> = [];
  value.values.forEach((v: number | null, i: number) => {
    if (v !== null && Number.isFinite(v)) {
      points.push([time.values[i], v]);
    }
  });
  return { name: getFieldDisplayName(value, frame), color: COLORS[index % COLORS.length], points };
}

function Chart({ series }: { series: Drawn[] }) {
  const theme = useTheme2();
  const all = series.flatMap((s) => s.points);
  if (all.length === 0) {
    return null;
  }
  const [width, height] = [1100, 220];
  const [t0, t1] = [Math.min(...all.map((p) => p[0])), Math.max(...all.map((p) => p[0]))];
  const [v0, v1] = [Math.min(0, ...all.map((p) => p[1])), Math.max(...all.map((p) => p[1]))];
  const x = (t: number) => (t1 === t0 ? width / 2 : ((t - t0) / (t1 - t0)) * width);
  const y = (v: number) => (v1 === v0 ? height / 2 : height - ((v - v0) / (v1 - v0)) * height);
  return (
    <svg
      role="img"
      aria-label="Chart"
      viewBox={`-4 -4 ${width + 8} ${height + 8}`}
      style={{ width: '100%', background: theme.colors.background.secondary }}
    >
      {series.map((s) =>
        s.points.length === 1 ? (
          <circle key={s.name} cx={x(s.points[0][0])} cy={y(s.points[0][1])} r={4} fill={s.color} />
        ) : (
          <polyline
            key={s.name}
            fill="none"
            stroke={s.color}
            strokeWidth={2}
            points={s.points.map(([t, v]) => `${x(t).toFixed(1)},${y(v).toFixed(1)}`).join(' ')}
          />
        )
      )}
    </svg>
  );
}
