import fc from 'fast-check';

import { checkMetricName, checkTagName, checkTagValue } from './labels';
import { WRITE_REJECT_REASONS, parseWriteBody } from './httpwrite';

const NOW = 1_700_000_123_456;

describe('parseWriteBody', () => {
  it('reads a single value, its timestamp in seconds defaulting to now', () => {
    expect(parseWriteBody({ name: 'deploys.count', value: 1, timestamp: 1700000000.5 }, NOW)).toEqual({
      samples: [{ name: 'deploys.count', labels: {}, t: 1_700_000_000_500, v: 1 }],
      errors: [],
    });
    expect(parseWriteBody({ name: 'deploys.count', value: 2 }, NOW).samples[0].t).toBe(NOW);
  });

  it('reads an array of series with labels, kinds and points', () => {
    const { samples, errors } = parseWriteBody(
      [
        {
          name: 'http.requests',
          labels: { host: 'web1', dc: 'eu' },
          kind: 'counter',
          points: [
            [1700000000, 10],
            [1700000010.25, 12.5],
          ],
        },
        { name: 'temp', value: -3.5, timestamp: 1700000020 },
      ],
      NOW
    );
    expect(errors).toEqual([]);
    expect(samples).toEqual([
      { name: 'http.requests', labels: { host: 'web1', dc: 'eu' }, t: 1_700_000_000_000, v: 10, kind: 'counter' },
      { name: 'http.requests', labels: { host: 'web1', dc: 'eu' }, t: 1_700_000_010_250, v: 12.5, kind: 'counter' },
      { name: 'temp', labels: {}, t: 1_700_000_020_000, v: -3.5 },
    ]);
  });

  it('accepts an empty array as writing nothing', () => {
    expect(parseWriteBody([], NOW)).toEqual({ samples: [], errors: [] });
  });

  it('reports every invalid item and field, with its index, and keeps the valid items', () => {
    const { samples, errors } = parseWriteBody(
      [
        { name: 'ok', value: 1 },
        { name: 'a b', value: 'high', timestamp: -5, colour: 'red' },
        { name: 'ok2', labels: { 'a=b': 'x', name: 'y', dc: '~eu', rack: 7 }, points: [[1700000000, 1]] },
        {
          name: 'ok3',
          points: [
            [1700000000, 1],
            [1700000000000, 2],
            [1, null],
          ],
        },
        'not an object',
        { name: 'x', value: 1, points: [[1700000000, 1]], kind: 'histogram' },
        { name: 'x' },
      ],
      NOW
    );
    expect(samples.map((s) => s.name)).toEqual(['ok']);
    expect(errors).toEqual([
      { index: 1, field: 'colour', error: expect.any(String), reason: 'unknown_field' },
      { index: 1, field: 'name', error: expect.stringContaining('whitespace'), reason: 'bad_name' },
      { index: 1, field: 'timestamp', error: expect.any(String), reason: 'bad_timestamp' },
      { index: 1, field: 'value', error: 'must be a finite number', reason: 'bad_value' },
      { index: 2, field: 'labels.a=b', error: expect.stringContaining('"="'), reason: 'bad_label' },
      { index: 2, field: 'labels.name', error: expect.stringContaining('reserved'), reason: 'bad_label' },
      { index: 2, field: 'labels.dc', error: expect.stringContaining('"~"'), reason: 'bad_label' },
      { index: 2, field: 'labels.rack', error: 'label values must be strings', reason: 'bad_label' },
      { index: 3, field: 'points[1]', error: expect.stringContaining('timestamp'), reason: 'bad_timestamp' },
      { index: 4, error: 'item must be an object', reason: 'not_object' },
      { index: 5, field: 'kind', error: expect.any(String), reason: 'bad_kind' },
      { index: 5, field: 'value', error: expect.stringContaining('not both'), reason: 'bad_value' },
      { index: 6, field: 'points', error: expect.stringContaining('required'), reason: 'bad_points' },
    ]);
  });

  it.each([
    [{ value: 1 }, 'name', 'is required'],
    [{ name: 7, value: 1 }, 'name', 'must be a string'],
    [{ name: '', value: 1 }, 'name', 'must not be empty'],
    [{ name: 'a;b=c', value: 1 }, 'name', 'must not contain ";" (put tags in labels)'],
    [{ name: '~a', value: 1 }, 'name', 'must not start with "~"'],
    [{ name: 'a', labels: [], value: 1 }, 'labels', 'must be an object of string values'],
    [{ name: 'a', labels: null, value: 1 }, 'labels', 'must be an object of string values'],
    [{ name: 'a', labels: { k: '' }, value: 1 }, 'labels.k', 'tag value must not be empty'],
    [{ name: 'a', labels: { '': 'v' }, value: 1 }, 'labels.', 'tag name must not be empty'],
    [{ name: 'a', points: [] }, 'points', 'must be a non-empty array of [timestamp, value] pairs'],
    [{ name: 'a', points: {} }, 'points', 'must be a non-empty array of [timestamp, value] pairs'],
    [{ name: 'a', points: [[1700000000]] }, 'points[0]', 'must be a [timestamp, value] pair'],
    [{ name: 'a', points: [['1700000000', 1]] }, 'points[0]', expect.stringContaining('timestamp')],
    [{ name: 'a', points: [[1700000000, '1']] }, 'points[0]', 'value must be a finite number'],
    [{ name: 'a', points: [[1700000000, 1]], timestamp: 1 }, 'timestamp', expect.stringContaining('only goes with')],
    [{ name: 'a', value: 1, timestamp: '1700000000' }, 'timestamp', expect.stringContaining('Unix seconds')],
    [{ name: 'a', value: 1, timestamp: 1e13 }, 'timestamp', expect.stringContaining('Unix seconds')],
    [{ name: 'a', value: null }, 'value', 'must be a finite number'],
    [{ name: 'a', value: Infinity }, 'value', 'must be a finite number'],
  ])('rejects %j at %s', (item, field, error) => {
    const { samples, errors } = parseWriteBody(item, NOW);
    expect(samples).toEqual([]);
    expect(errors).toEqual([{ index: 0, field, error, reason: expect.any(String) }]);
  });

  it('refuses a "__proto__" label, which JSON.parse makes an own property', () => {
    const { errors } = parseWriteBody(JSON.parse('{"name":"a","value":1,"labels":{"__proto__":"x"}}'), NOW);
    expect(errors).toEqual([
      { index: 0, field: 'labels.__proto__', error: expect.stringContaining('reserved'), reason: 'bad_label' },
    ]);
  });

  it.each([null, 42, 'text', true])('rejects the body %j', (body) => {
    expect(parseWriteBody(body, NOW)).toEqual({
      samples: [],
      errors: [{ index: 0, error: expect.any(String), reason: 'bad_body' }],
    });
  });
});

describe('parseWriteBody fuzz', () => {
  const reasons = new Set<string>(WRITE_REJECT_REASONS);

  function check(ok: boolean, what: string, detail: unknown): void {
    if (!ok) {
      throw new Error(`${what}: ${JSON.stringify(detail)}`);
    }
  }

  /** Each item either yields exactly its points, with valid names and labels, or is reported; nothing else. */
  function checkBody(body: unknown): void {
    const { samples, errors } = parseWriteBody(body, NOW);
    const items = Array.isArray(body) ? body : [body];
    for (const e of errors) {
      check(reasons.has(e.reason) && typeof e.error === 'string', 'unknown reason', e);
      check(e.index >= 0 && e.index < Math.max(items.length, 1), 'index out of range', e);
    }
    for (const s of samples) {
      check(checkMetricName(s.name) === undefined, 'invalid name accepted', s);
      check(Number.isFinite(s.v) && Number.isInteger(s.t) && s.t >= 0, 'invalid point accepted', s);
      for (const [k, v] of Object.entries(s.labels)) {
        check(k !== 'name' && checkTagName(k) === undefined && checkTagValue(v) === undefined, 'invalid label', s);
      }
    }
    if (errors.some((e) => e.reason === 'bad_body')) {
      check(samples.length === 0, 'samples from a bad body', samples);
      return;
    }
    const failed = new Set(errors.map((e) => e.index));
    let expected = 0;
    items.forEach((item, i) => {
      if (!failed.has(i)) {
        const points = (item as { points?: unknown[] }).points;
        expected += Array.isArray(points) ? points.length : 1;
      }
    });
    check(samples.length === expected, 'samples of valid items', { expected, got: samples.length });
  }

  const validText = fc.stringMatching(/^[a-z][a-z0-9._-]{0,10}$/);
  const text = fc.oneof(
    validText,
    fc.string({ maxLength: 8 }),
    fc.constantFrom('', '~x', 'a;b', 'a b', 'name', '__proto__', 'a=b', 'x!', 'é', '\u0000')
  );
  const timestamp = fc.oneof(fc.integer({ min: 0, max: 2_000_000_000 }), fc.double({ min: 0, max: 2e9, noNaN: true }));
  const value = fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer());
  const validItem = fc.record(
    {
      name: validText,
      labels: fc.dictionary(fc.oneof({ weight: 4, arbitrary: validText }, { weight: 1, arbitrary: text }), text, {
        maxKeys: 4,
      }),
      kind: fc.constantFrom('gauge', 'counter', 'timer', 'set', 'untyped'),
      points: fc.array(fc.tuple(timestamp, value), { minLength: 1, maxLength: 5 }),
      value,
      timestamp,
    },
    { requiredKeys: ['name'] }
  );
  const junk = fc.oneof(text, fc.anything({ maxDepth: 1 }), fc.double(), fc.constant(null));
  const field = fc.constantFrom('name', 'labels', 'kind', 'points', 'value', 'timestamp', 'extra');
  /** Mostly plausible items, a third with one field replaced by junk, some not items at all. */
  const item = fc.oneof(
    { weight: 3, arbitrary: validItem },
    {
      weight: 3,
      arbitrary: fc.tuple(validItem, field, junk).map(([it, key, x]) => ({ ...it, [key]: x })),
    },
    { weight: 1, arbitrary: fc.anything({ maxDepth: 2 }) }
  );

  it('holds for structured, mostly plausible bodies', () => {
    fc.assert(
      fc.property(fc.oneof(fc.array(item, { maxLength: 8 }), item), (body) => {
        checkBody(body);
      }),
      { numRuns: 10_000 }
    );
  });

  it('holds for arbitrary JSON documents, parsed as the route would', () => {
    fc.assert(
      fc.property(fc.json({ maxDepth: 4 }), (doc) => {
        checkBody(JSON.parse(doc));
      }),
      { numRuns: 10_000 }
    );
  });
});
