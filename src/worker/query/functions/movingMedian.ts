import type { FunctionDef, Series } from '../types';
import { SERIES_LIST } from './common';
import { movingWindowOf, WINDOW_SIZE, windowArgs, XFILES_FACTOR } from './movingWindow';

export const movingMedian: FunctionDef = {
  name: 'movingMedian',
  group: 'Calculate',
  description:
    'Each point becomes the median of the non-null points in the window before it: a number of ' +
    'points, or an interval such as "5min". The series is read from one window earlier so that the first ' +
    'points have full windows. xFilesFactor is the share of non-null points a window needs for a value.',
  params: [SERIES_LIST, WINDOW_SIZE, XFILES_FACTOR],
  call(ctx, [seriesList, windowSize, xFilesFactor], raw) {
    return movingWindowOf(
      ctx,
      seriesList as Series[],
      raw[0],
      windowSize as number | string,
      'median',
      windowArgs(xFilesFactor)
    );
  },
};
