import { FieldType, getFieldDisplayName } from '@grafana/data';

import * as fixtures from '../test/fixtures';
import { framesToAnnotations, readResponseToQueryResponse, seriesToFrame } from './frames';

describe('seriesToFrame', () => {
  const [web1] = fixtures.twoSeries.results[0].series;

  it('spaces the values by step from start, in milliseconds', () => {
    const frame = seriesToFrame('A', web1);

    expect(frame.refId).toBe('A');
    expect(frame.fields[0].type).toBe(FieldType.time);
    expect(frame.fields[0].values).toEqual([1700000000000, 1700000010000, 1700000020000]);
    expect(frame.fields[0].config.interval).toBe(10000);
  });

  it('keeps nulls where there is no data and names the values after the series and its labels', () => {
    const frame = seriesToFrame('A', web1);
    const values = frame.fields[1];

    expect(values.values).toEqual([0.5, null, 0.75]);
    expect(values.labels).toEqual({ host: 'web1' });
    // Grafana's legend for a single label: the name, then the label's value.
    expect(getFieldDisplayName(values, frame, [frame])).toBe('servers.web1.cpu.load web1');
  });
});

describe('readResponseToQueryResponse', () => {
  it('keeps the series of good targets and reports a failed target under its own refId', () => {
    const response = readResponseToQueryResponse({
      results: [
        fixtures.twoSeries.results[0],
        { refId: 'B', series: [], error: 'seriesByTag needs at least one = matcher' },
      ],
    });

    expect(response.data).toHaveLength(2);
    expect(response.errors).toEqual([{ refId: 'B', message: 'seriesByTag needs at least one = matcher' }]);
  });
});

describe('framesToAnnotations', () => {
  it('marks every point that has a value other than 0, tagged with the series labels', () => {
    const frame = seriesToFrame('A', {
      name: 'events.deploys.web',
      labels: { app: 'shop', env: 'prod' },
      start: 1700000000,
      step: 60,
      values: [null, 1, 0, 2],
    });

    expect(framesToAnnotations([frame])).toEqual([
      {
        time: 1700000060000,
        title: 'events.deploys.web',
        text: 'events.deploys.web = 1',
        tags: ['app:shop', 'env:prod'],
      },
      {
        time: 1700000180000,
        title: 'events.deploys.web',
        text: 'events.deploys.web = 2',
        tags: ['app:shop', 'env:prod'],
      },
    ]);
  });
});
