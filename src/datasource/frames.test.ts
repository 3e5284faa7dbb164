import { DataTopic, FieldType, getFieldDisplayName } from '@grafana/data';

import * as fixtures from '../test/fixtures';
import {
  applyAlias,
  eventsToFrame,
  framesToAnnotations,
  queryResponseToDataQueryResponse,
  seriesToFrame,
  statsToFrame,
} from './frames';
import type { MissionControlQuery } from './types';

const [db1] = fixtures.queryResponse.results.A.series;
const queries: MissionControlQuery[] = fixtures.queryRequest.targets.map(({ refId, target }) => ({ refId, target }));

describe('seriesToFrame', () => {
  it('spaces the values by step from start, in milliseconds', () => {
    const frame = seriesToFrame('A', db1);

    expect(frame.refId).toBe('A');
    expect(frame.fields[0].type).toBe(FieldType.time);
    expect(frame.fields[0].values.slice(0, 2)).toEqual([db1.start * 1000, (db1.start + db1.step) * 1000]);
    expect(frame.fields[0].values).toHaveLength(db1.values.length);
    expect(frame.fields[0].config.interval).toBe(db1.step * 1000);
  });

  it('keeps nulls, carries the tags as labels and shows the name the worker gave the series', () => {
    const frame = seriesToFrame('A', db1);
    const values = frame.fields[1];

    expect(values.values).toEqual(db1.values);
    expect(values.labels).toEqual({ name: 'servers.db1.cpu.user' });
    expect(getFieldDisplayName(values, frame, [frame])).toBe('db1');
  });

  it('names the series by the alias pattern', () => {
    const frame = seriesToFrame('A', db1, 'cpu of {{2}} on {{name}}');

    expect(getFieldDisplayName(frame.fields[1], frame, [frame])).toBe('cpu of cpu on db1');
  });
});

describe('applyAlias', () => {
  const series = { name: 'servers.web1.cpu.user', tags: { name: 'servers.web1.cpu.user', env: 'prod' } };

  it('fills tags, the name and nodes counted from either end, and leaves unknown placeholders as written', () => {
    expect(applyAlias('{{env}}/{{1}}/{{-1}}', series)).toBe('prod/web1/user');
    expect(applyAlias('{{ name }}', series)).toBe('servers.web1.cpu.user');
    expect(applyAlias('{{dc}} {{9}}', series)).toBe('{{dc}} {{9}}');
    expect(applyAlias('web', series)).toBe('web');
  });
});

describe('queryResponseToDataQueryResponse', () => {
  it('gives the series of good targets in query order and each failed target’s error with its position', () => {
    const response = queryResponseToDataQueryResponse(fixtures.queryResponse, queries);

    expect(response.data.map((frame) => [frame.refId, frame.name])).toEqual([
      ['A', 'db1'],
      ['A', 'web1'],
      ['A', 'web2'],
      ['A', 'web3'],
      ['E', fixtures.queryResponse.results.E.series[0].name],
    ]);
    expect(response.errors).toEqual([
      {
        refId: 'B',
        message: "expected ',' or ')' at position 28, found the end of the target",
        position: 28,
        target: 'sumSeries(servers.*.cpu.user',
      },
      {
        refId: 'C',
        message: "too many arguments for function 'movingAverage': it takes 3",
        position: 43,
        target: 'movingAverage(servers.web1.cpu.user, 1, 2, 3, 4)',
      },
    ]);
  });
});

describe('annotations', () => {
  it('turns events into an annotation frame and the frame into events with their tags', () => {
    const frame = eventsToFrame('Anno', fixtures.events.events);

    expect(frame.meta?.dataTopic).toBe(DataTopic.Annotations);
    expect(framesToAnnotations([frame])).toEqual([
      {
        time: fixtures.events.events[0].when * 1000,
        title: 'deploy shop 1.4.2',
        text: 'by ana: checkout retries',
        tags: ['deploy', 'shop'],
        id: '1',
      },
      {
        time: fixtures.events.events[1].when * 1000,
        title: 'DNS: shop.example.com now CNAME lb2.example.com',
        text: 'hostmaster ticket 812',
        tags: ['dns', 'shop'],
        id: '2',
      },
    ]);
  });

  it('marks every point of a series that has a value other than 0, tagged with the series’ tags', () => {
    const frame = seriesToFrame('A', {
      name: 'stats.counters.deploys.web.count',
      tags: { name: 'stats.counters.deploys.web.count', app: 'shop' },
      start: 1700000000,
      step: 60,
      values: [null, 1, 0, 2],
    });

    expect(framesToAnnotations([frame])).toEqual([
      {
        time: 1700000060000,
        title: 'stats.counters.deploys.web.count',
        text: 'stats.counters.deploys.web.count = 1',
        tags: ['app:shop'],
      },
      {
        time: 1700000180000,
        title: 'stats.counters.deploys.web.count',
        text: 'stats.counters.deploys.web.count = 2',
        tags: ['app:shop'],
      },
    ]);
  });
});

describe('statsToFrame', () => {
  const { stats } = fixtures;
  const column = (frame: ReturnType<typeof statsToFrame>, name: string) =>
    frame.fields.find((field) => field.name === name)?.values;

  it('answers the summary as one row', () => {
    const frame = statsToFrame('W', 'summary', stats);

    expect(frame.length).toBe(1);
    expect(column(frame, 'Store')).toEqual(['ready']);
    expect(column(frame, 'Series')).toEqual([stats.store.series]);
    expect(column(frame, 'Lines rejected')).toEqual([3]);
    expect(frame.fields.find((field) => field.name === 'Write-ahead log')?.config.unit).toBe('bytes');
  });

  it('answers ingest as a row per protocol, and rejected lines as a row per reason', () => {
    expect(column(statsToFrame('W', 'ingest', stats), 'Protocol')).toEqual([
      'statsd (UDP)',
      'statsd (TCP)',
      'Graphite plaintext (TCP)',
      'Graphite plaintext (UDP)',
      'HTTP JSON',
    ]);
    expect(column(statsToFrame('W', 'rejected', stats), 'Reason')).toEqual(['missing type', 'bad value', 'bad name']);
  });

  it('answers each source once, freshest first, with its age on the worker’s clock', () => {
    const frame = statsToFrame('W', 'sources', stats);

    expect(column(frame, 'Source')).toEqual(stats.sources.freshest.map((s) => s.source));
    expect(column(frame, 'Age')).toEqual(stats.sources.freshest.map((s) => Math.max(0, stats.time - s.lastSeen)));
  });
});
