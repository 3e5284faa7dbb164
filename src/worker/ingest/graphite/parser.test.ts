import fc from 'fast-check';

import type { Sample } from '../../store/types';
import { checkMetricName, checkTagName, checkTagValue, formatTaggedPath } from '../labels';
import { GRAPHITE_REJECT_REASONS, newParseStats, parseLine, parseLines } from './parser';

const NOW = 1_700_000_123_456;

function sample(line: string): Sample {
  const r = parseLine(line, NOW);
  if (typeof r === 'string') {
    throw new Error(`rejected ${JSON.stringify(line)}: ${r}`);
  }
  return r;
}

describe('plain lines', () => {
  it('reads name, value and timestamp in seconds into milliseconds', () => {
    expect(parseLine('servers.web1.cpu.user 42.5 1700000000', NOW)).toEqual({
      name: 'servers.web1.cpu.user',
      labels: {},
      t: 1_700_000_000_000,
      v: 42.5,
    });
  });

  it('splits on any run of whitespace and ignores CR and surrounding blanks, like str.split()', () => {
    expect(sample('  a.b \t 1\t\t1700000000 \r')).toMatchObject({ name: 'a.b', v: 1, t: 1_700_000_000_000 });
    expect(sample('a.b 1 1700000000\r\n')).toMatchObject({ name: 'a.b' });
  });

  it('keeps fractional timestamps to the millisecond', () => {
    expect(sample('a 1 1700000000.25').t).toBe(1_700_000_000_250);
    expect(sample('a 1 1700000000.0004').t).toBe(1_700_000_000_000);
    expect(sample('a 1 1.7e9').t).toBe(1_700_000_000_000);
  });

  it('takes a timestamp of -1 as now, as carbon does', () => {
    expect(sample('a 1 -1').t).toBe(NOW);
    expect(sample('a 1 -1.0').t).toBe(NOW);
    expect(sample('a 1 -1.9').t).toBe(NOW);
  });

  it.each([
    ['a 1 -2', 'bad_timestamp'],
    ['a 1 -0.5e1', 'bad_timestamp'],
    ['a 1 1700000000000', 'bad_timestamp'],
    ['a 1 nan', 'bad_timestamp'],
    ['a 1 inf', 'bad_timestamp'],
    ['a 1 now', 'bad_timestamp'],
    ['a 1 0x10', 'bad_timestamp'],
    ['a 1 17e', 'bad_timestamp'],
  ])('rejects the timestamp of %j', (line, reason) => {
    expect(parseLine(line, NOW)).toBe(reason);
  });

  it.each([
    ['1', 1],
    ['-1.5', -1.5],
    ['+3', 3],
    ['1.', 1],
    ['.5', 0.5],
    ['1e3', 1000],
    ['1E-3', 0.001],
    ['2.5e+2', 250],
    ['1_000.000_1', 1000.0001],
    ['0.1', 0.1],
    ['123456789012345678901234567890', 1.2345678901234568e29],
    ['4.9e-324', 5e-324],
    ['1.7976931348623157e308', Number.MAX_VALUE],
  ])('reads the value %j as a Python float', (text, value) => {
    expect(sample(`a ${text} 1700000000`).v).toBe(value);
  });

  it('keeps the sign of negative zero', () => {
    expect(Object.is(sample('a -0 1700000000').v, -0)).toBe(true);
  });

  it.each(['nan', 'NaN', '-nan', '+NAN'])('drops the NaN value %j and says so', (text) => {
    expect(parseLine(`a ${text} 1700000000`, NOW)).toBe('nan_value');
  });

  it.each([
    'inf',
    '-Infinity',
    '1e400',
    '',
    '0x10',
    '1_',
    '_1',
    '1__0',
    '1_.5',
    '1._5',
    '.',
    'e5',
    '1e',
    '1e+',
    '--1',
    '1,5',
    'one',
  ])('rejects the value %j', (text) => {
    expect(parseLine(`a ${text} 1700000000`, NOW)).toBe(text === '' ? 'missing_fields' : 'bad_value');
  });

  it('counts missing and extra fields', () => {
    expect(parseLine('a.b 1', NOW)).toBe('missing_fields');
    expect(parseLine('a.b', NOW)).toBe('missing_fields');
    expect(parseLine('', NOW)).toBe('missing_fields');
    expect(parseLine('a.b 1 1700000000 extra', NOW)).toBe('too_many_fields');
  });

  it('strips leading "~" from names like carbon, and rejects names left empty', () => {
    expect(sample('~~a.b 1 1700000000').name).toBe('a.b');
    expect(parseLine('~ 1 1700000000', NOW)).toBe('empty_name');
  });

  it('keeps non-ASCII names and rejects control characters', () => {
    expect(sample('température.salle 21.5 1700000000').name).toBe('température.salle');
    expect(parseLine('a\u0000b 1 1700000000', NOW)).toBe('bad_name');
    expect(parseLine('a\u0085b 1 1700000000', NOW)).toBe('bad_name');
    expect(parseLine('a\u00a0b 1 1700000000', NOW)).toBe('bad_name');
  });

  it('rejects lines over the length limit', () => {
    const line = `${'x'.repeat(100)} 1 1700000000`;
    expect(parseLine(line, NOW, 50)).toBe('line_too_long');
    expect(parseLine(line, NOW, line.length)).toMatchObject({ v: 1 });
  });
});

describe('tagged lines', () => {
  it('turns tags into labels and orders them canonically', () => {
    const s = sample('disk.used;server=web1;datacenter=dc1;rack=a1 9.5 1700000000');
    expect(s).toEqual({
      name: 'disk.used',
      labels: { datacenter: 'dc1', rack: 'a1', server: 'web1' },
      t: 1_700_000_000_000,
      v: 9.5,
    });
    expect(Object.keys(s.labels)).toEqual(['datacenter', 'rack', 'server']);
    expect(formatTaggedPath(s.name, s.labels)).toBe('disk.used;datacenter=dc1;rack=a1;server=web1');
  });

  it('gives the same series whatever order the tags came in', () => {
    const a = sample('m;z=1;b=2;k=3 1 1700000000');
    const b = sample('m;k=3;z=1;b=2 1 1700000000');
    expect(a).toEqual(b);
    expect(Object.keys(a.labels)).toEqual(Object.keys(b.labels));
  });

  it("sorts like carbon's ';tag=value' strings, so 'a.b' comes before 'a'", () => {
    const s = sample('m;a=1;a.b=2 1 1700000000');
    expect(Object.keys(s.labels)).toEqual(['a.b', 'a']);
    expect(formatTaggedPath(s.name, s.labels)).toBe('m;a.b=2;a=1');
  });

  it('keeps the last value of a repeated tag and lets the name override a "name" tag', () => {
    expect(sample('m;a=1;a=2 1 1700000000').labels).toEqual({ a: '2' });
    const s = sample('m;name=other;a=1 1 1700000000');
    expect(s.name).toBe('m');
    expect(s.labels).toEqual({ a: '1' });
  });

  it('allows "=" and "~" inside tag values past the first character', () => {
    expect(sample('m;expr=a=b;path=x~y 1 1700000000').labels).toEqual({ expr: 'a=b', path: 'x~y' });
  });

  it('strips leading "~" from a tagged name', () => {
    expect(sample('~m;a=1 1 1700000000').name).toBe('m');
  });

  it.each([
    ['m;a 1 1700000000', 'bad_tag'],
    ['m;=v 1 1700000000', 'bad_tag'],
    ['m;a= 1 1700000000', 'bad_tag'],
    ['m;a=~v 1 1700000000', 'bad_tag'],
    ['m;a!=v 1 1700000000', 'bad_tag'],
    ['m;a^b=v 1 1700000000', 'bad_tag'],
    ['m;;a=v 1 1700000000', 'bad_tag'],
    ['m;a=v; 1 1700000000', 'bad_tag'],
    ['m;__proto__=v 1 1700000000', 'bad_tag'],
    ['m;a=\u0001 1 1700000000', 'bad_name'],
    [';a=v 1 1700000000', 'empty_name'],
    ['~;a=v 1 1700000000', 'empty_name'],
  ])('rejects %j as %s', (line, reason) => {
    expect(parseLine(line, NOW)).toBe(reason);
  });
});

describe('parseLines', () => {
  it('keeps the good lines around bad ones and counts each rejection by reason', () => {
    const text = [
      'a 1 1700000000',
      'a nope 1700000000',
      '',
      '   ',
      'b;x=1 2 1700000000',
      'c 3',
      'd nan 1700000000',
      'e 5 1700000000',
    ].join('\n');
    const samples: Sample[] = [];
    const stats = newParseStats();
    parseLines(text, NOW, 1000, samples, stats);
    expect(samples.map((s) => s.name)).toEqual(['a', 'b', 'e']);
    expect(stats.lines).toBe(6);
    expect(Object.fromEntries(stats.rejected)).toEqual({ bad_value: 1, missing_fields: 1, nan_value: 1 });
  });

  it('appends to the caller’s arrays across calls', () => {
    const samples: Sample[] = [];
    const stats = newParseStats();
    parseLines('a 1 1700000000\n', NOW, 1000, samples, stats);
    parseLines('b 2 1700000000\nbad\n', NOW, 1000, samples, stats);
    expect(samples).toHaveLength(2);
    expect(stats.lines).toBe(3);
    expect(stats.rejected.get('missing_fields')).toBe(1);
  });
});

/**
 * An independent, regex-based reading of carbon's rules (slow and obvious), to check the hand-written
 * scanner against. Its float grammar is Python's `float()` for finite literals.
 */
const PY_FLOAT = /^[+-]?(?:(?:\d(?:_?\d)*)?\.\d(?:_?\d)*|\d(?:_?\d)*\.?)(?:[eE][+-]?\d(?:_?\d)*)?$/;

function reference(line: string, nowMs: number): Sample | 'rejected' {
  const fields = line.split(/[ \t\n\v\f\r\x1c-\x1f]+/).filter((f) => f !== '');
  if (fields.length !== 3) {
    return 'rejected';
  }
  const [path, value, timestamp] = fields;
  if (!PY_FLOAT.test(value) || !PY_FLOAT.test(timestamp)) {
    return 'rejected';
  }
  const v = Number(value.replace(/_/g, ''));
  let ts = Number(timestamp.replace(/_/g, ''));
  if (!Number.isFinite(v)) {
    return 'rejected';
  }
  if (Math.trunc(ts) === -1) {
    ts = nowMs / 1000;
  } else if (!(ts >= 0 && ts <= 253402300799)) {
    return 'rejected';
  }
  const [rawName, ...segments] = path.split(';');
  const name = rawName.replace(/^~+/, '');
  if (name === '' || checkMetricName(name) !== undefined) {
    return 'rejected';
  }
  const labels: Record<string, string> = {};
  for (const segment of segments) {
    const eq = segment.indexOf('=');
    if (eq <= 0) {
      return 'rejected';
    }
    const tag = segment.slice(0, eq);
    const tagValue = segment.slice(eq + 1);
    if (checkTagName(tag) !== undefined || checkTagValue(tagValue) !== undefined) {
      return 'rejected';
    }
    if (tag !== 'name') {
      labels[tag] = tagValue;
    }
  }
  return { name, labels, t: Math.round(ts * 1000) + 0, v };
}

const ALPHABET = 'ab.;=~!^_-+eE01234567890 \t\r\u0000é\u00a0nNaif,x';
const chars = fc.constantFrom(...ALPHABET.split(''));
const word = fc.string({ unit: chars, maxLength: 12 });

const tag = fc.tuple(fc.stringMatching(/^[a-z][a-z0-9._-]{0,6}$/), fc.stringMatching(/^[a-z0-9][a-z0-9.=~_-]{0,6}$/));
const numberText = fc.oneof(
  fc.double().map(String),
  fc.double({ min: -1e6, max: 1e6, noNaN: true }).map((x) => x.toFixed(3)),
  fc.integer().map(String),
  fc.constantFrom('nan', 'inf', '-1', '1e5', '1_000', '.5', '5.', '0', '-0', '1e400', '4.9e-324')
);
const timestampText = fc.oneof(
  fc.integer({ min: 0, max: 2_000_000_000 }).map(String),
  fc.double({ min: 0, max: 2e9, noNaN: true }).map(String),
  numberText
);
const validLine = fc
  .tuple(fc.stringMatching(/^~?[a-z][a-z0-9._-]{0,15}$/), fc.array(tag, { maxLength: 4 }), numberText, timestampText)
  .map(([name, tags, v, ts]) => `${name}${tags.map(([k, x]) => `;${k}=${x}`).join('')} ${v} ${ts}`);

type Mutation = { at: number; op: 'insert' | 'delete' | 'replace'; c: string };
const mutation = fc.record({
  at: fc.nat(),
  op: fc.constantFrom<Mutation['op']>('insert', 'delete', 'replace'),
  c: chars,
});

function mutate(line: string, mutations: Mutation[]): string {
  let out = line;
  for (const m of mutations) {
    const at = out.length === 0 ? 0 : m.at % out.length;
    if (m.op === 'insert') {
      out = out.slice(0, at) + m.c + out.slice(at);
    } else if (m.op === 'delete') {
      out = out.slice(0, at) + out.slice(at + 1);
    } else {
      out = out.slice(0, at) + m.c + out.slice(at + 1);
    }
  }
  return out;
}

const anyLine = fc.oneof(
  { weight: 3, arbitrary: validLine },
  {
    weight: 4,
    arbitrary: fc.tuple(validLine, fc.array(mutation, { minLength: 1, maxLength: 3 })).map(([l, m]) => mutate(l, m)),
  },
  { weight: 1, arbitrary: fc.array(word, { maxLength: 5 }).map((w) => w.join(' ')) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }).map((s) => s.replace(/\n/g, ' ')) }
);

describe('fuzz', () => {
  const isBlank = (line: string) => /^[ \t\n\v\f\r\x1c-\x1f]*$/.test(line);

  it('never throws, accepts or counts every line, and agrees with the reference reading', () => {
    let linesChecked = 0;
    fc.assert(
      fc.property(fc.array(anyLine, { minLength: 50, maxLength: 60 }), (lines) => {
        const samples: Sample[] = [];
        const stats = newParseStats();
        parseLines(lines.join('\n'), NOW, 200, samples, stats);
        const nonBlank = lines.filter((l) => !isBlank(l));
        let rejected = 0;
        for (const [reason, n] of stats.rejected) {
          expect(GRAPHITE_REJECT_REASONS).toContain(reason);
          rejected += n;
        }
        expect(stats.lines).toBe(nonBlank.length);
        expect(samples.length + rejected).toBe(nonBlank.length);

        const expected = nonBlank
          .filter((l) => l.length <= 200)
          .map((l) => reference(l, NOW))
          .filter((r): r is Sample => r !== 'rejected');
        expect(samples).toEqual(expected);
        linesChecked += lines.length;
      }),
      { numRuns: 2000 }
    );
    expect(linesChecked).toBeGreaterThanOrEqual(100_000);
  });

  it('returns a sample that follows the name and tag rules, or a known reason', () => {
    const reasons = new Set<string>(GRAPHITE_REJECT_REASONS);
    fc.assert(
      fc.property(anyLine, (line) => {
        const r = parseLine(line, NOW);
        if (typeof r === 'string') {
          return reasons.has(r);
        }
        return (
          Number.isFinite(r.v) &&
          Number.isInteger(r.t) &&
          checkMetricName(r.name) === undefined &&
          Object.entries(r.labels).every(([k, v]) => checkTagName(k) === undefined && checkTagValue(v) === undefined)
        );
      }),
      { numRuns: 10_000 }
    );
  });

  it('reads every double printed by JavaScript back exactly', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (x) => {
        const r = parseLine(`a ${x} 1700000000`, NOW);
        return typeof r !== 'string' && Object.is(r.v, Number(String(x)));
      }),
      { numRuns: 20_000 }
    );
  });
});
