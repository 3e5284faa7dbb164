/**
 * The graphs in alert mails, drawn here as PNG: the target over the last 24 hours and 7 days with the threshold (and
 * the recovery threshold) as dashed lines, like Hound's two graphiti images.
 *
 * Why pixels by hand: pngjs (pure JavaScript, no native code, one of npm's most used packages) encodes the image, and
 * lines, dashes and a 5×7 bitmap font for the axis labels are a page of code. The alternative, an SVG rasterized by
 * @resvg/resvg-js, brings a prebuilt native binary per platform and needs system fonts for any text, which the worker's
 * container images do not promise; this way the images are the same everywhere and cost a few milliseconds.
 */
import { PNG } from 'pngjs';

export interface GraphSeries {
  /** Unix seconds of values[0]; values[i] is at start + i * step. */
  start: number;
  step: number;
  values: ReadonlyArray<number | null>;
}

export interface GraphOptions {
  series: readonly GraphSeries[];
  /** Unix seconds: the time axis. */
  from: number;
  until: number;
  threshold?: number;
  recoveryThreshold?: number;
  width: number;
  height: number;
  /** Time labels as hours (`14:00`) or as dates (`11-22`). */
  timeLabels: 'hours' | 'days';
}

type RGB = readonly [number, number, number];

const BACKGROUND: RGB = [255, 255, 255];
const PLOT_BACKGROUND: RGB = [248, 248, 248];
const AXIS: RGB = [160, 160, 160];
const TEXT: RGB = [60, 60, 60];
const THRESHOLD: RGB = [214, 39, 40];
const RECOVERY: RGB = [255, 127, 14];
const PALETTE: readonly RGB[] = [
  [0, 102, 153],
  [44, 160, 44],
  [148, 103, 189],
  [140, 86, 75],
  [23, 190, 207],
  [127, 127, 127],
];

const MARGIN = { left: 52, right: 10, top: 8, bottom: 16 };

/** The 24 h and 7 d graphs of one alert, as Hound sent them. */
export function alertGraphs(opts: {
  day: readonly GraphSeries[];
  week: readonly GraphSeries[];
  now: number;
  threshold?: number;
  recoveryThreshold?: number;
}): { day: Buffer; week: Buffer } {
  const now = opts.now;
  const common = { threshold: opts.threshold, recoveryThreshold: opts.recoveryThreshold, width: 800 };
  return {
    day: renderGraph({ ...common, series: opts.day, from: now - 86_400, until: now, height: 200, timeLabels: 'hours' }),
    week: renderGraph({
      ...common,
      series: opts.week,
      from: now - 7 * 86_400,
      until: now,
      height: 120,
      timeLabels: 'days',
    }),
  };
}

export function renderGraph(opts: GraphOptions): Buffer {
  const canvas = new Canvas(opts.width, opts.height);
  canvas.fill(0, 0, opts.width, opts.height, BACKGROUND);
  const plot = {
    x0: MARGIN.left,
    y0: MARGIN.top,
    x1: opts.width - MARGIN.right - 1,
    y1: opts.height - MARGIN.bottom - 1,
  };
  canvas.fill(plot.x0, plot.y0, plot.x1 + 1, plot.y1 + 1, PLOT_BACKGROUND);

  const [lo, hi] = valueRange(opts);
  const x = (t: number) => plot.x0 + ((t - opts.from) / (opts.until - opts.from)) * (plot.x1 - plot.x0);
  const y = (v: number) => plot.y1 - ((v - lo) / (hi - lo)) * (plot.y1 - plot.y0);

  // Axes and labels: three values on the left, five times along the bottom.
  canvas.line(plot.x0, plot.y0, plot.x0, plot.y1, AXIS);
  canvas.line(plot.x0, plot.y1, plot.x1, plot.y1, AXIS);
  for (const v of [lo, (lo + hi) / 2, hi]) {
    const py = Math.round(y(v));
    canvas.line(plot.x0 - 3, py, plot.x0, py, AXIS);
    const label = shortNumber(v);
    canvas.text(plot.x0 - 5 - textWidth(label), Math.min(Math.max(py - 3, 0), opts.height - 8), label, TEXT);
  }
  for (let i = 0; i <= 4; i++) {
    const t = opts.from + ((opts.until - opts.from) * i) / 4;
    const px = Math.round(x(t));
    canvas.line(px, plot.y1, px, plot.y1 + 3, AXIS);
    const label = timeLabel(t, opts.timeLabels);
    const left = Math.min(Math.max(px - textWidth(label) / 2, 0), opts.width - textWidth(label));
    canvas.text(Math.round(left), plot.y1 + 6, label, TEXT);
  }

  opts.series.forEach((s, i) => {
    const colour = PALETTE[i % PALETTE.length]!;
    let prev: [number, number] | undefined;
    s.values.forEach((v, j) => {
      const t = s.start + j * s.step;
      if (v === null || !Number.isFinite(v) || t < opts.from || t > opts.until) {
        prev = undefined;
        return;
      }
      const point: [number, number] = [Math.round(x(t)), Math.round(y(v))];
      if (prev) canvas.line(prev[0], prev[1], point[0], point[1], colour);
      else canvas.plot(point[0], point[1], colour);
      prev = point;
    });
  });

  if (opts.recoveryThreshold !== undefined)
    canvas.dashed(plot.x0, plot.x1, Math.round(y(opts.recoveryThreshold)), RECOVERY);
  if (opts.threshold !== undefined) canvas.dashed(plot.x0, plot.x1, Math.round(y(opts.threshold)), THRESHOLD);
  return canvas.png();
}

/** The data's range, widened to show the thresholds and padded so lines do not sit on the frame. */
function valueRange(opts: GraphOptions): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  const see = (v: number | null | undefined) => {
    if (v === null || v === undefined || !Number.isFinite(v)) return;
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  };
  for (const s of opts.series) s.values.forEach(see);
  see(opts.threshold);
  see(opts.recoveryThreshold);
  if (lo === Infinity) return [0, 1];
  if (lo === hi) return [lo - 1, hi + 1];
  const pad = (hi - lo) * 0.05;
  return [lo - pad, hi + pad];
}

/** `1.5k`, `250`, `0.25`, `-3M`: at most six characters for the value axis. */
export function shortNumber(v: number): string {
  const abs = Math.abs(v);
  for (const [unit, size] of [
    ['T', 1e12],
    ['G', 1e9],
    ['M', 1e6],
    ['k', 1e3],
  ] as const) {
    if (abs >= size) return `${trim(v / size)}${unit}`;
  }
  return trim(v);
}

function trim(v: number): string {
  const abs = Math.abs(v);
  const digits = abs >= 100 ? 0 : abs >= 10 ? 1 : abs >= 1 ? 2 : 3;
  return String(Number(v.toFixed(digits)));
}

function timeLabel(t: number, kind: 'hours' | 'days'): string {
  const iso = new Date(t * 1000).toISOString();
  return kind === 'hours' ? iso.slice(11, 16) : iso.slice(5, 10);
}

/** An RGB raster with just what the graphs need. */
class Canvas {
  private readonly image: PNG;

  constructor(
    readonly width: number,
    readonly height: number
  ) {
    this.image = new PNG({ width, height });
  }

  plot(x: number, y: number, [r, g, b]: RGB): void {
    if (x < 0 || y < 0 || x >= this.width || y >= this.height) return;
    const i = (y * this.width + x) * 4;
    const d = this.image.data;
    d[i] = r;
    d[i + 1] = g;
    d[i + 2] = b;
    d[i + 3] = 255;
  }

  fill(x0: number, y0: number, x1: number, y1: number, colour: RGB): void {
    for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) this.plot(x, y, colour);
  }

  /** Bresenham's line, end points included. */
  line(x0: number, y0: number, x1: number, y1: number, colour: RGB): void {
    const dx = Math.abs(x1 - x0);
    const dy = -Math.abs(y1 - y0);
    const sx = x0 < x1 ? 1 : -1;
    const sy = y0 < y1 ? 1 : -1;
    let err = dx + dy;
    for (;;) {
      this.plot(x0, y0, colour);
      if (x0 === x1 && y0 === y1) return;
      const e2 = 2 * err;
      if (e2 >= dy) {
        err += dy;
        x0 += sx;
      }
      if (e2 <= dx) {
        err += dx;
        y0 += sy;
      }
    }
  }

  /** A horizontal dashed line two pixels thick: the threshold. */
  dashed(x0: number, x1: number, y: number, colour: RGB): void {
    for (let x = x0; x <= x1; x++) {
      if (Math.floor((x - x0) / 6) % 2 === 0) {
        this.plot(x, y, colour);
        this.plot(x, y + 1, colour);
      }
    }
  }

  text(x: number, y: number, text: string, colour: RGB): void {
    let cx = x;
    for (const ch of text) {
      const rows = FONT[ch];
      if (rows) {
        rows.forEach((bits, row) => {
          for (let col = 0; col < 5; col++) {
            if (bits & (0x10 >> col)) this.plot(cx + col, y + row, colour);
          }
        });
      }
      cx += GLYPH_ADVANCE;
    }
  }

  png(): Buffer {
    return PNG.sync.write(this.image);
  }
}

const GLYPH_ADVANCE = 6;

function textWidth(text: string): number {
  return text.length * GLYPH_ADVANCE - 1;
}

/** 5×7 glyphs, one number per row, bit 4 the leftmost pixel: the characters axis labels use. */
const FONT: Record<string, readonly number[]> = {
  '0': [0x0e, 0x11, 0x13, 0x15, 0x19, 0x11, 0x0e],
  '1': [0x04, 0x0c, 0x04, 0x04, 0x04, 0x04, 0x0e],
  '2': [0x0e, 0x11, 0x01, 0x02, 0x04, 0x08, 0x1f],
  '3': [0x1f, 0x02, 0x04, 0x02, 0x01, 0x11, 0x0e],
  '4': [0x02, 0x06, 0x0a, 0x12, 0x1f, 0x02, 0x02],
  '5': [0x1f, 0x10, 0x1e, 0x01, 0x01, 0x11, 0x0e],
  '6': [0x06, 0x08, 0x10, 0x1e, 0x11, 0x11, 0x0e],
  '7': [0x1f, 0x01, 0x02, 0x04, 0x08, 0x08, 0x08],
  '8': [0x0e, 0x11, 0x11, 0x0e, 0x11, 0x11, 0x0e],
  '9': [0x0e, 0x11, 0x11, 0x0f, 0x01, 0x02, 0x0c],
  '.': [0x00, 0x00, 0x00, 0x00, 0x00, 0x0c, 0x0c],
  '-': [0x00, 0x00, 0x00, 0x1f, 0x00, 0x00, 0x00],
  ':': [0x00, 0x0c, 0x0c, 0x00, 0x0c, 0x0c, 0x00],
  k: [0x10, 0x10, 0x12, 0x14, 0x18, 0x14, 0x12],
  M: [0x11, 0x1b, 0x15, 0x15, 0x11, 0x11, 0x11],
  G: [0x0e, 0x11, 0x10, 0x17, 0x11, 0x11, 0x0f],
  T: [0x1f, 0x04, 0x04, 0x04, 0x04, 0x04, 0x04],
  e: [0x00, 0x00, 0x0e, 0x11, 0x1f, 0x10, 0x0e],
  '+': [0x00, 0x04, 0x04, 0x1f, 0x04, 0x04, 0x00],
};
