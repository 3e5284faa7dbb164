import { getAggFunc } from '../aggfuncs';
import { copySeries, pyCapitalize, pyNumStr, type Value, withTag } from '../seriesutil';
import { type EvalContext, type Expr, type FunctionDef, type ParamDef, QueryError, type Series } from '../types';
import {
  aggFuncParam,
  evaluateSeries,
  INT_OR_INTERVAL_SUGGESTIONS,
  intervalSeconds,
  isSet,
  SERIES_LIST,
} from './common';

export const WINDOW_SIZE: ParamDef = {
  name: 'windowSize',
  type: 'intOrInterval',
  required: true,
  suggestions: INT_OR_INTERVAL_SUGGESTIONS,
};
export const XFILES_FACTOR: ParamDef = { name: 'xFilesFactor', type: 'float' };

/**
 * graphite-web's movingWindow: the target is read again from `window` earlier, so the first point
 * has a full window too; each point is the function of the non-null values among the window points
 * *before* it (the point itself is not included), null unless their share reaches xFilesFactor
 * (by default the series' own, as graphite-web).
 */
export async function movingWindowOf(
  ctx: EvalContext,
  seriesList: readonly Series[],
  rawSeries: Expr | undefined,
  windowSize: number | string,
  func: string,
  xFilesFactor: number | null
): Promise<Series[]> {
  if (seriesList.length === 0) {
    return [];
  }
  const agg = getAggFunc(func);
  const byTime = typeof windowSize === 'string';
  if (!byTime && windowSize < 1) {
    throw new QueryError(`the window must be at least 1 point, got ${windowSize}`);
  }
  const previewSeconds = byTime
    ? Math.abs(intervalSeconds(windowSize))
    : Math.max(...seriesList.map((s) => s.step)) * Math.trunc(windowSize);
  const preview = await evaluateSeries({ ...ctx, startTime: ctx.startTime - previewSeconds }, rawSeries);
  const tagName = 'moving' + pyCapitalize(func);
  const sizeText = byTime ? `"${windowSize}"` : pyNumStr(windowSize);
  return preview.map((s) => {
    const windowPoints = byTime ? Math.floor(previewSeconds / s.step) : Math.trunc(windowSize);
    const xff = xFilesFactor ?? s.xFilesFactor ?? 0;
    const values: Value[] = [];
    const present: number[] = [];
    for (let i = windowPoints; i < s.values.length; i++) {
      present.length = 0;
      for (let j = i - windowPoints; j < i; j++) {
        const v = s.values[j]!;
        if (v !== null) {
          present.push(v);
        }
      }
      values.push(present.length > 0 && present.length / windowPoints >= xff ? agg(present) : null);
    }
    return copySeries(s, {
      name: `${tagName}(${s.name},${sizeText})`,
      start: s.start + previewSeconds,
      values,
      tags: withTag(s.tags, tagName, byTime ? windowSize : pyNumStr(windowSize)),
    });
  });
}

export function windowArgs(xFilesFactor: unknown): number | null {
  return isSet(xFilesFactor) ? (xFilesFactor as number) : null;
}

export const movingWindow: FunctionDef = {
  name: 'movingWindow',
  group: 'Calculate',
  description:
    'Each point becomes the aggregation (average by default) of the points in the window before it: ' +
    'a number of points, or an interval such as "5min". The series is read from one window earlier so ' +
    'that the first points have full windows. xFilesFactor is the share of non-null points a window ' +
    'needs for a value.',
  params: [SERIES_LIST, WINDOW_SIZE, aggFuncParam('func', false, 'average'), XFILES_FACTOR],
  call(ctx, [seriesList, windowSize, func, xFilesFactor], raw) {
    return movingWindowOf(
      ctx,
      seriesList as Series[],
      raw[0],
      windowSize as number | string,
      (func as string | null) ?? 'average',
      windowArgs(xFilesFactor)
    );
  },
};
