import { compileGroup, compileRule, RuleValidationError } from './rules';

const base = { uid: 'r', title: 'R', group: 'g', target: 'a.*', window: '5min' };

function errorsOf(input: unknown): Array<{ field: string; error: string }> {
  try {
    compileRule(input);
  } catch (e) {
    return (e as RuleValidationError).errors;
  }
  throw new Error('expected a validation error');
}

describe('compileRule', () => {
  it('fills the defaults', () => {
    const rule = compileRule({ ...base, condition: { op: 'above', threshold: 3 } });
    expect(rule).toMatchObject({
      windowMs: 300_000,
      reducer: 'last',
      noDataState: 'nodata',
      forMs: 0,
      keepFiringForMs: 0,
      type: 'alert',
      paused: false,
      notifiers: [],
      repeat: { kind: 'backoff' },
    });
  });

  it('reads reducers, repeat policies and durations', () => {
    expect(compileRule({ ...base, minSeries: 2, reducer: 'p99.9', repeat: '2h', for: '90s' })).toMatchObject({
      reducer: 'p99.9',
      repeat: { kind: 'interval', ms: 7_200_000 },
      forMs: 90_000,
    });
    expect(compileRule({ ...base, minSeries: 1, repeat: 'never' }).repeat).toEqual({ kind: 'never' });
    expect(errorsOf({ ...base, minSeries: 1, reducer: 'p0' })[0]!.field).toBe('reducer');
  });

  it('names every field at fault', () => {
    expect(
      errorsOf({
        uid: 'has space',
        group: 'g',
        target: '',
        window: '0s',
        condition: { op: 'below', threshold: 10, recoveryThreshold: 5, extra: 1 },
        minSeries: 0,
        labels: { '1bad': 'x' },
        annotations: { ok: '{{ $labels.host }}', bad: '{{ humanize $value }}' },
        runbookUrl: 'wiki/page',
        colour: 'red',
      }).map((e) => e.field)
    ).toEqual([
      'uid',
      'title',
      'target',
      'window',
      'condition.extra',
      'condition.recoveryThreshold',
      'minSeries',
      'labels.1bad',
      'annotations.bad',
      'runbookUrl',
      'colour',
    ]);
  });

  it('wants something to watch', () => {
    expect(errorsOf(base)).toEqual([
      { field: 'condition', error: 'give a condition (above or below a threshold), minSeries, or noDataState' },
    ]);
    expect(compileRule({ ...base, noDataState: 'alerting' }).noDataState).toBe('alerting');
  });
});

describe('compileGroup', () => {
  it('defaults to a one-minute interval and refuses sub-second ones', () => {
    expect(compileGroup({ name: 'g' }).intervalMs).toBe(60_000);
    expect(() => compileGroup({ name: 'g', interval: '500ms' })).toThrow('interval: must be at least 1s');
  });
});
