/**
 * Series from the store for a path expression or a seriesByTag call, aligned exactly as
 * graphite-web reading whisper files aligns them, so that every function sees the same points:
 *
 * - from, until and now are whole seconds; nothing is returned when the range starts after now or
 *   ends before the oldest retained time; from is raised to the oldest retained time and until
 *   lowered to now;
 * - the level read is the finest whose retention reaches back to from (whisper's archive
 *   choice), and the step is that level's resolution, whatever maxDataPoints asks (render
 *   consolidates afterwards);
 * - the points are the buckets starting in [from - from % step + step, until - until % step + step):
 *   the bucket holding `from` is left out and the one holding `until` kept, and an empty range
 *   still has one point.
 *
 * A path names untagged series, with globs; a path with tags (`a.b;k=v`) names that one tagged
 * series; seriesByTag names any series. Series come sorted by name, carrying their stored
 * columns (`aggregates`) and sketches. One fetcher serves one request: it keeps what it read for
 * the request's other references to the same expression (each gets series of its own, so
 * functions may change them in place) and counts series and points against the request's limits
 * before reading anything.
 */
import { formatTaggedPath, compareTagNames } from '../ingest/labels';
import type { LevelSpec } from '../store/levels';
import type { AggregateField, LabelMatcher, SeriesData, SeriesReader, SeriesRef, SeriesSelector } from '../store/types';
import { fieldsFor } from '../store/seriesvalues';
import { parseSeriesKey } from '../store/catalog';
import { parseTagExpressions } from './find';
import { formatExpr } from './parser';
import { storedSeries } from './storedseries';
import { type EvalContext, type Expr, QueryError, QueryLimitError, type Series } from './types';

/** The storage rules the fetch needs: which levels a series has and which column its values come from. */
export interface SchemaSource {
  schemaFor(name: string): { levels: LevelSpec[] };
  methodFor(name: string): AggregateField;
}

export interface FetchLimits {
  maxSeriesPerQuery: number;
  maxPointsPerQuery: number;
}

export interface FetchDeps {
  reader: SeriesReader;
  schemas: SchemaSource;
  limits: FetchLimits;
}

/** Seconds: the first point's time, the step and the point count of a read. */
export interface FetchWindow {
  start: number;
  step: number;
  points: number;
}

/**
 * whisper's alignment for one series' retention levels (finest first), or undefined when
 * whisper would return nothing. All arguments are whole Unix seconds.
 */
export function fetchWindow(levels: LevelSpec[], from: number, until: number, now: number): FetchWindow | undefined {
  const maxRetention = Math.max(...levels.map((l) => l.retentionMs)) / 1000;
  const oldest = now - maxRetention;
  if (from > now || until < oldest) return undefined;
  const f = Math.max(from, oldest);
  const u = Math.min(until, now);
  const level = levels.find((l) => l.retentionMs / 1000 >= now - f) ?? levels[levels.length - 1]!;
  const step = level.resolutionMs / 1000;
  const start = f - mod(f, step) + step;
  let end = u - mod(u, step) + step;
  if (end === start) end += step;
  return { start, step, points: Math.round((end - start) / step) };
}

function mod(a: number, b: number): number {
  return a - b * Math.floor(a / b);
}

interface Selection {
  selector: SeriesSelector;
  /** Whether a series the selector found is one the expression names. */
  wanted: (ref: SeriesRef) => boolean;
  pathExpression: string;
}

function isTagged(ref: SeriesRef): boolean {
  for (const _ in ref.labels) return true;
  return false;
}

function selectionFor(expr: Expr): Selection {
  if (expr.kind === 'path') {
    if (!expr.path.includes(';')) {
      return { selector: { glob: expr.path }, wanted: (r) => !isTagged(r), pathExpression: expr.path };
    }
    const { name, labels } = parseSeriesKey(expr.path);
    const matchers: LabelMatcher[] = [{ label: 'name', op: '=', value: name }];
    for (const [label, value] of Object.entries(labels)) {
      if (label === '' || value === '') {
        throw new QueryError(`invalid tagged path '${expr.path}': expected name;tag=value;...`, expr.start);
      }
      matchers.push({ label, op: '=', value });
    }
    const count = Object.keys(labels).length;
    return {
      selector: { matchers },
      wanted: (r) => Object.keys(r.labels).length === count,
      pathExpression: expr.path,
    };
  }
  if (expr.kind === 'call' && expr.name === 'seriesByTag') {
    const specs = [...expr.args, ...Object.values(expr.kwargs)].map((a) => {
      if (a.kind !== 'string') {
        throw new QueryError('seriesByTag takes tag expressions in quotes', a.start, 'tagExpressions');
      }
      return a.value;
    });
    let matchers: LabelMatcher[];
    try {
      matchers = parseTagExpressions(specs);
    } catch (e) {
      throw e instanceof QueryError ? new QueryError(e.message, expr.start, 'tagExpressions') : e;
    }
    return { selector: { matchers }, wanted: () => true, pathExpression: expr.raw ?? formatExpr(expr) };
  }
  throw new QueryError(`cannot fetch ${formatExpr(expr)}: only paths and seriesByTag name stored series`, expr.start);
}

function seriesOf(name: string, d: SeriesData, pathExpression: string, xFilesFactor: number): Series {
  const n = d.count.length;
  const ref = d.ref;
  const tags: Record<string, string> = {};
  for (const k of Object.keys(ref.labels).sort(compareTagNames)) tags[k] = ref.labels[k]!;
  tags.name = ref.name;
  const start = d.start / 1000;
  const step = d.step / 1000;
  const series: Omit<Series, 'values'> = {
    name,
    tags,
    pathExpression,
    start,
    end: start + n * step,
    step,
    consolidationFunc: 'average',
    xFilesFactor,
  };
  if (d.sketches) series.sketches = d.sketches;
  return storedSeries(series, d);
}

/** A fetch function for one request's evaluation context (EvalContext.fetch). */
export function createFetcher(deps: FetchDeps): EvalContext['fetch'] {
  const cache = new Map<string, Array<{ name: string; data: SeriesData }>>();
  let seriesRead = 0;
  let pointsRead = 0;

  return async (ctx, expr) => {
    const sel = selectionFor(expr);
    const from = Math.floor(ctx.startTime);
    const until = Math.floor(ctx.endTime);
    const now = Math.floor(ctx.now);
    const key = `${from}:${until}:${now}:${sel.pathExpression}`;
    const xff = ctx.xFilesFactor ?? 0;
    const build = (read: Array<{ name: string; data: SeriesData }>): Series[] =>
      read.map((r) => seriesOf(r.name, r.data, sel.pathExpression, xff));
    const cached = cache.get(key);
    if (cached) return build(cached);

    const found = deps.reader.find(sel.selector);
    const groups = new Map<string, { window: FetchWindow; refs: Set<SeriesRef> }>();
    let series = 0;
    let points = 0;
    for (const ref of found) {
      if (!sel.wanted(ref)) continue;
      const window = fetchWindow(deps.schemas.schemaFor(ref.name).levels, from, until, now);
      if (!window) continue;
      const k = `${window.start}:${window.step}:${window.points}`;
      let g = groups.get(k);
      if (!g) groups.set(k, (g = { window, refs: new Set() }));
      g.refs.add(ref);
      series++;
      points += window.points;
    }
    const { maxSeriesPerQuery, maxPointsPerQuery } = deps.limits;
    if (seriesRead + series > maxSeriesPerQuery) {
      throw new QueryLimitError(
        `the query would read ${seriesRead + series} series, more than ${maxSeriesPerQuery} (maxSeriesPerQuery)`,
        'maxSeriesPerQuery',
        maxSeriesPerQuery
      );
    }
    if (pointsRead + points > maxPointsPerQuery) {
      throw new QueryLimitError(
        `the query would read ${pointsRead + points} points, more than ${maxPointsPerQuery} (maxPointsPerQuery)`,
        'maxPointsPerQuery',
        maxPointsPerQuery
      );
    }
    seriesRead += series;
    pointsRead += points;

    const read: Array<{ name: string; data: SeriesData }> = [];
    for (const { window, refs } of groups.values()) {
      const ids = new Set([...refs].map((r) => r.id));
      const data = await deps.reader.read({
        refs: [...refs],
        // Only the column the series' method reads: each one costs a Float64Array per series.
        fields: [...new Set([...refs].flatMap((r) => fieldsFor(deps.schemas.methodFor(r.name))))],
        from: window.start * 1000,
        until: (window.start + window.points * window.step) * 1000,
        step: window.step * 1000,
      });
      for (const d of data) {
        // Series created since find() are not part of this answer.
        if (ids.has(d.ref.id)) read.push({ name: formatTaggedPath(d.ref.name, d.ref.labels), data: d });
      }
    }
    read.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    cache.set(key, read);
    return build(read);
  };
}
