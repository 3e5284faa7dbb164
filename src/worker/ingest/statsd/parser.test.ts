import fc from 'fast-check';

import { type StatsdLine, parseDecimal, parseLine } from './parser';

function ok(line: string): StatsdLine {
  const r = parseLine(line);
  if (typeof r === 'string') {
    throw new Error(`${JSON.stringify(line)} rejected as ${r}`);
  }
  return r;
}

describe('parseLine', () => {
  it('reads the four etsy types and the DogStatsD histogram', () => {
    expect(ok('api.requests:3|c')).toMatchObject({ name: 'api.requests', id: 'api.requests', type: 'c', value: 3 });
    expect(ok('sys.load:0.75|g')).toMatchObject({ type: 'g', value: 0.75, delta: false });
    expect(ok('api.latency:12.5|ms')).toMatchObject({ type: 'ms', value: 12.5, rate: 1 });
    expect(ok('api.size:512|h')).toMatchObject({ type: 'h', value: 512 });
    expect(ok('users:alice|s')).toMatchObject({ type: 's', member: 'alice', value: 0 });
    expect(ok('api.requests:3|c')).toMatchObject({ labels: undefined, more: undefined, member: undefined });
  });

  it('reads sample rates', () => {
    expect(ok('a:1|c|@0.1').rate).toBe(0.1);
    expect(ok('a:1|c|@.5').rate).toBe(0.5);
    expect(ok('a:1|ms|@1').rate).toBe(1);
    // Above 1 is allowed, as etsy does: the count is scaled down.
    expect(ok('a:1|c|@2').rate).toBe(2);
    // Fields after the rate are ignored, as etsy does.
    expect(ok('a:1|c|@0.5|whatever').rate).toBe(0.5);
  });

  it('marks signed gauge values as deltas', () => {
    expect(ok('g:+5|g')).toMatchObject({ value: 5, delta: true });
    expect(ok('g:-5|g')).toMatchObject({ value: -5, delta: true });
    expect(ok('g:5|g')).toMatchObject({ value: 5, delta: false });
    // Only gauges have deltas: a signed counter is just a signed number.
    expect(ok('c:-5|c')).toMatchObject({ value: -5, delta: false });
  });

  it('reads decimal numbers as Number() does, and nothing else', () => {
    for (const text of [
      '0',
      '-0',
      '+7',
      '42',
      '3.25',
      '.5',
      '5.',
      '-1.5e3',
      '2E-2',
      '123456789012345',
      '1234567890123456789',
    ]) {
      expect(parseDecimal(text, 0, text.length)).toBe(Number(text));
    }
    for (const text of [
      '',
      '-',
      '+',
      '.',
      'e5',
      '1e',
      '1e+',
      '1.2.3',
      '0x10',
      ' 1',
      '1 ',
      'NaN',
      'Infinity',
      '1e400',
      '1_000',
    ]) {
      expect(parseDecimal(text, 0, text.length)).toBeNaN();
    }
  });

  it('reads several values on one line, each with its own type and rate', () => {
    const line = ok('multi:1|c:2|c|@0.5:9|ms|#env:prod');
    expect(line).toMatchObject({ type: 'c', value: 1, rate: 1, labels: { env: 'prod' } });
    expect(line.more).toEqual([
      { type: 'c', value: 2, delta: false, rate: 0.5, member: undefined },
      { type: 'ms', value: 9, delta: false, rate: 1, member: undefined },
    ]);
  });

  it('sanitizes keys as etsy does', () => {
    expect(ok('web server/req time!:1|c').name).toBe('web_server-req_time');
    expect(ok('odd\t\t name:1|c').name).toBe('odd_name');
    expect(ok('a\u00a0b:1|c').name).toBe('a_b');
    expect(ok('caf\u00e9.latte:1|c').name).toBe('caf.latte');
    // The whitespace run is decided before dropping characters, as etsy's chained replaces do.
    expect(ok('a \u00e9 b:1|c').name).toBe('a__b');
    expect(ok('a=b:1|c').name).toBe('a=b');
    expect(ok('a|b:1|c').name).toBe('ab');
  });

  it("sanitizes any key by etsy's rule, written here with regular expressions", () => {
    const etsyRule = (key: string): string =>
      key
        .replace(/\s+/g, '_')
        .replace(/\//g, '-')
        .replace(/[^a-zA-Z0-9_.=-]/g, '');
    const keyChar = fc.oneof(
      fc.constantFrom(...'ab.-_=/ \t\u00a0\u2028\ufeff\u3000\u180e\u200b!~é'),
      fc.string({ unit: 'binary', minLength: 1, maxLength: 1 })
    );
    fc.assert(
      fc.property(fc.string({ unit: keyChar, maxLength: 20 }), (raw) => {
        const key = raw.replace(/[:|;\n]/g, '');
        const expected = etsyRule(key);
        const r = parseLine(key + ':1|c');
        if (expected === '') {
          expect(r).toBe('empty_key');
        } else {
          expect(r).toMatchObject({ name: expected });
        }
      }),
      { numRuns: 3000 }
    );
  });

  it('turns DogStatsD tags into labels, in canonical order', () => {
    const line = ok('api.req:1|c|#env:prod,dc:ams');
    expect(line.labels).toEqual({ dc: 'ams', env: 'prod' });
    expect(Object.keys(line.labels!)).toEqual(['dc', 'env']);
    expect(line.id).toBe('api.req;dc=ams;env=prod');
    // Same series whatever the order the client sent the tags in.
    expect(ok('api.req:1|c|#dc:ams,env:prod').id).toBe(line.id);
  });

  it('reads Graphite-style tags in the key, which etsy passes through to Graphite', () => {
    const line = ok('db.query;env=prod;region=eu:5|ms');
    expect(line).toMatchObject({
      name: 'db.query',
      labels: { env: 'prod', region: 'eu' },
      id: 'db.query;env=prod;region=eu',
    });
    expect(ok('db.query;env=prod:5|ms|#env:dev').labels).toEqual({ env: 'dev' });
  });

  it('sanitizes tags and drops those that cannot be labels', () => {
    expect(ok('a:1|c|#my tag:a value/x').labels).toEqual({ my_tag: 'a_value-x' });
    expect(ok('a:1|c|#k:v:w').labels).toEqual({ k: 'vw' });
    expect(ok('a:1|c|#k:x=y').labels).toEqual({ k: 'x=y' });
    expect(ok('a:1|c|#k;x:a;b').labels).toEqual({ k_x: 'a_b' });
    expect(ok('a:1|c|#k:1,k:2').labels).toEqual({ k: '2' });
    // No value, empty after sanitizing, or the reserved `name`: dropped, the line is kept.
    const dropped = ok('a:1|c|#flag,:v,k:,\u00e9:x,name:n,,ok:1');
    expect(dropped.labels).toEqual({ ok: '1' });
    expect(ok('a:1|c|#flag').labels).toBeUndefined();
    expect(ok('a:1|c|#flag').id).toBe('a');
    expect(ok('a;flag:1|c').id).toBe('a');
  });

  it('stops tags at the next field, so later DogStatsD fields are ignored', () => {
    expect(ok('a:1|c|#env:prod|c:container-1|T1656581400').labels).toEqual({ env: 'prod' });
  });

  it('keeps a "__proto__" tag as an ordinary label', () => {
    const labels = ok('a:1|c|#__proto__:x').labels!;
    expect(Object.keys(labels)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(labels)).toBe(Object.prototype);
  });

  it('keeps set members raw, an empty one being "0"', () => {
    expect(ok('s:|s').member).toBe('0');
    expect(ok('s:Ünïcode user@x#y|s').member).toBe('Ünïcode user@x#y');
  });

  it.each([
    ['api.requests', 'missing_value'],
    ['a|#env:prod', 'missing_value'],
    ['a:|c', 'missing_value'],
    ['a:1', 'missing_type'],
    ['a:1|#env:x', 'missing_type'],
    ['a:1|c:2', 'missing_type'],
    ['a:1|c:', 'missing_type'],
    ['a:1|', 'bad_type'],
    ['a:1|x', 'bad_type'],
    ['a:1|C', 'bad_type'],
    ['a:1|ms ', 'bad_type'],
    ['a:abc|c', 'bad_value'],
    ['a:NaN|g', 'bad_value'],
    ['a:Infinity|c', 'bad_value'],
    ['a:1e999|c', 'bad_value'],
    ['a:0x1F|c', 'bad_value'],
    ['a:-1|ms', 'bad_value'],
    ['a:-1|h', 'bad_value'],
    ['a:1|c|0.5', 'bad_rate'],
    ['a:1|c|@', 'bad_rate'],
    ['a:1|c|@0', 'bad_rate'],
    ['a:1|c|@-0.5', 'bad_rate'],
    ['a:1|c|@1e-3', 'bad_rate'],
    ['a:1|c|@0.1.2', 'bad_rate'],
    ['a:1|s|@x', 'bad_rate'],
    [':1|c', 'empty_key'],
    ['!!!:1|c', 'empty_key'],
    [';env=prod:1|c', 'empty_key'],
    ['a:1|c:x|c', 'bad_value'],
  ])('rejects %j as %s', (line, reason) => {
    expect(parseLine(line)).toBe(reason);
  });

  it('parses a range of a larger string', () => {
    const packet = 'a:1|c\nb:2|g\n';
    expect(parseLine(packet, 6, 11)).toMatchObject({ name: 'b', type: 'g', value: 2 });
  });
});
