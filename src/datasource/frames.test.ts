import { FieldType, getFieldDisplayName } from '@grafana/data';

import * as fixtures from '../test/fixtures';
import { framesToAnnotations, readResponseToQueryResponse, seriesToFrame } from './frames';

describe('seriesToFrame', () => {
  const [web1] = fixtures.twoSeries.results[0].series;

  it('spaces the values by step from start, in milliseconds', () => {
    const frame = seriesToFrame('A', web1);

    expect(frame.refId).toBe('A');
    expect(frame.fields[0].type).toBe(FieldType.time);
    expect(frame.fields[0].values.slice(0, 3)).toEqual([1795324430000, 1795324440000, 1795324450000]);
    expect(frame.fields[0].values).toHaveLength(7);
    expect(frame.fields[0].config.interval).toBe(10000);
  });

  it('keeps nulls where there is no data and names the values after the series and its labels', () => {
    const frame = seriesToFrame('A', web1);
    const values = frame.fields[1];

    expect(values.values).toEqual([null, null, null, 0.5, null, 0.75, null]);
    expect(values.labels).toEqual({ host: 'web1' });
    // Grafana's legend for a single label: the name, then the label's value.
    expect(getFieldDisplayName(values, frame, [frame])).toBe('servers.web1.cpu.load web1');
  });
});

describe('readResponseToQueryResponse', () => {
  it('keeps the series of good targets and reports a failed target under its own refId', () => {
    const response = readResponseToQueryResponse({
      results: [...fixtures.twoSeries.results, ...fixtures.unclosedBrace.results],
    });

    expect(response.data.map((frame) => frame.name)).toEqual(['servers.web1.cpu.load', 'servers.web2.cpu.load']);
    expect(response.errors).toEqual([{ refId: 'B', message: 'unclosed \'{\' in "servers.{web"' }]);
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
