import { withTag } from '../seriesutil';
import { type EvalContext, type FunctionDef, type Series } from '../types';
import { evaluateSeries, intervalSeconds, SERIES_LIST } from './common';

/** Whether local time (the worker's TZ) is daylight saving time at t seconds. */
function isDst(t: number): boolean {
  const year = new Date(t * 1000).getFullYear();
  const standard = Math.max(new Date(year, 0, 1).getTimezoneOffset(), new Date(year, 6, 1).getTimezoneOffset());
  return new Date(t * 1000).getTimezoneOffset() < standard;
}

/** An hour's correction when one range lies wholly inside DST and the other wholly outside. */
function dstOffset(ctx: EvalContext, startTime: number, endTime: number): number {
  const reqStart = isDst(ctx.startTime);
  const reqEnd = isDst(ctx.endTime);
  const myStart = isDst(startTime);
  const myEnd = isDst(endTime);
  if (reqStart && reqEnd && !myStart && !myEnd) {
    return 3600;
  }
  if (!reqStart && !reqEnd && myStart && myEnd) {
    return -3600;
  }
  return 0;
}

export const timeShift: FunctionDef = {
  name: 'timeShift',
  group: 'Transform',
  description:
    'Draws the series as they were at another time: the target is read again over the range moved by ' +
    'the interval (back in time unless it starts with "+") and drawn over the current range. With ' +
    'resetEnd (default) the shifted series ends where the unshifted one does. alignDst corrects by an ' +
    'hour when exactly one of the two ranges lies in daylight saving time.',
  params: [
    SERIES_LIST,
    {
      name: 'timeShift',
      type: 'interval',
      required: true,
      suggestions: ['1h', '6h', '12h', '1d', '2d', '7d', '14d', '30d'],
    },
    { name: 'resetEnd', type: 'boolean', default: true },
    { name: 'alignDst', type: 'boolean', default: false },
  ],
  async call(ctx, [seriesList, shift, resetEnd, alignDst], raw) {
    const list = seriesList as Series[];
    let text = shift as string;
    if (/^\d/.test(text)) {
      text = '-' + text;
    }
    const delta = intervalSeconds(text);
    let startTime = ctx.startTime + delta;
    let endTime = ctx.endTime + delta;
    if (alignDst === true) {
      const correction = dstOffset(ctx, startTime, endTime);
      startTime += correction;
      endTime += correction;
    }
    if (list.length === 0) {
      return [];
    }
    const first = list[0]!;
    const shifted = await evaluateSeries({ ...ctx, startTime, endTime }, raw[0]);
    return shifted.map((s) => {
      const out: Series = {
        ...s,
        name: `timeShift(${s.name}, "${text}")`,
        tags: withTag(s.tags, 'timeShift', text),
        start: first.start,
        end: resetEnd === false ? s.end - s.start + first.start : first.end,
      };
      // The points keep their samples, so their sketches stay true.
      return out;
    });
  },
};
