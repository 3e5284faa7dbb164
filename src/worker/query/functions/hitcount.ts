import { copySeries, type Value, withTag } from '../seriesutil';
import { type FunctionDef, QueryError, type Series } from '../types';
import { evaluateSeries, intervalSeconds, SERIES_LIST } from './common';

const DAY = 86400;
const HOUR = 3600;
const MINUTE = 60;

/**
 * Hits per bucket from a rate per second: each point contributes value × the seconds of its step
 * that fall in a bucket, split across buckets where its step straddles a boundary. Buckets end at
 * the end of the series.
 */
function hitcountOf(s: Series, interval: number, intervalText: string, align: boolean): Series {
  const step = Math.trunc(s.step);
  const bucketCount = Math.ceil((s.end - s.start) / interval);
  const buckets: number[][] = Array.from({ length: Math.max(0, bucketCount) }, () => []);
  const newStart = Math.trunc(s.end - bucketCount * interval);
  for (let i = 0; i < s.values.length; i++) {
    const value = s.values[i]!;
    if (value === null) {
      continue;
    }
    const startTime = Math.trunc(s.start + i * step);
    const startBucket = Math.floor((startTime - newStart) / interval);
    const startMod = startTime - newStart - startBucket * interval;
    const endTime = startTime + step;
    let endBucket = Math.floor((endTime - newStart) / interval);
    let endMod = endTime - newStart - endBucket * interval;
    if (endBucket >= bucketCount) {
      endBucket = bucketCount - 1;
      endMod = interval;
    }
    if (startBucket === endBucket) {
      if (startBucket >= 0) {
        buckets[startBucket]!.push(value * (endMod - startMod));
      }
    } else {
      if (startBucket >= 0) {
        buckets[startBucket]!.push(value * (interval - startMod));
      }
      for (let j = startBucket + 1; j < endBucket; j++) {
        buckets[j]!.push(value * interval);
      }
      if (endMod > 0) {
        buckets[endBucket]!.push(value * endMod);
      }
    }
  }
  const values: Value[] = buckets.map((b) => (b.length === 0 ? null : b.reduce((acc, v) => acc + v, 0)));
  return copySeries(s, {
    name: `hitcount(${s.name}, "${intervalText}"${align ? ', true' : ''})`,
    start: newStart,
    step: interval,
    values,
    tags: withTag(s.tags, 'hitcount', intervalText),
  });
}

export const hitcount: FunctionDef = {
  name: 'hitcount',
  group: 'Transform',
  description:
    'Treats values as hits per second and counts hits per interval ("1h", "1d"), spreading each point ' +
    'over the buckets its step covers, so the result does not depend on the resolution read. ' +
    'Buckets end at the end of the range; with alignToInterval, the range is first moved to start on a ' +
    'whole day, hour or minute (UTC), by the size of the interval.',
  params: [
    SERIES_LIST,
    { name: 'intervalString', type: 'interval', required: true, suggestions: ['10min', '1h', '1d'] },
    { name: 'alignToInterval', type: 'boolean', default: false },
  ],
  async call(ctx, [seriesList, intervalString, alignToInterval], raw) {
    const intervalText = intervalString as string;
    const interval = Math.trunc(intervalSeconds(intervalText));
    if (interval <= 0) {
      throw new QueryError(`hitcount: the interval must be positive, got ${JSON.stringify(intervalText)}`);
    }
    const align = alignToInterval === true;
    let list = seriesList as Series[];
    if (align) {
      const unit = interval >= DAY ? DAY : interval >= HOUR ? HOUR : interval >= MINUTE ? MINUTE : 0;
      const startTime = unit ? Math.floor(ctx.startTime / unit) * unit : ctx.startTime;
      list = (await evaluateSeries({ ...ctx, startTime }, raw[0])).map((s) => {
        const intervalCount = Math.floor((s.end - s.start) / interval);
        return { ...s, end: s.start + intervalCount * interval + interval };
      });
    }
    return list.map((s) => hitcountOf(s, interval, intervalText, align));
  },
};
