import { checkMetricName, checkTagName, checkTagValue, compareTagNames, formatTaggedPath } from './labels';

describe('formatTaggedPath', () => {
  it("writes carbon's canonical path: tags sorted, the name label left out", () => {
    expect(formatTaggedPath('cpu.user', { zone: 'b', host: 'web1', name: 'ignored' })).toBe(
      'cpu.user;host=web1;zone=b'
    );
    expect(formatTaggedPath('cpu.user', {})).toBe('cpu.user');
  });

  it('orders tags by code point, as Python does, also past the Basic Multilingual Plane', () => {
    expect(formatTaggedPath('m', { '\u{10000}': '1', '\uffff': '2' })).toBe('m;\uffff=2;\u{10000}=1');
    expect(compareTagNames('\uffff', '\u{10000}')).toBeLessThan(0);
  });

  it('puts a tag after the tags it is a prefix of, when they continue below "="', () => {
    expect(formatTaggedPath('m', { a: '1', 'a.b': '2', 'a~': '3' })).toBe('m;a.b=2;a=1;a~=3');
  });
});

describe('checks', () => {
  it.each([
    ['servers.web-1.cpu_user', undefined],
    ['température', undefined],
    ['', 'must not be empty'],
    ['~a', 'must not start with "~"'],
    ['a;b=c', 'must not contain ";" (put tags in labels)'],
    ['a b', 'must not contain whitespace or control characters'],
    ['a\u2028b', 'must not contain whitespace or control characters'],
  ])('name %j: %s', (name, problem) => {
    expect(checkMetricName(name)).toBe(problem);
  });

  it('applies carbon’s tag rules', () => {
    for (const bad of ['', 'a;b', 'a!b', 'a^b', 'a=b', 'a\tb', '__proto__']) {
      expect(checkTagName(bad)).toBeDefined();
    }
    expect(checkTagName('a~b.c-d_e')).toBeUndefined();
    for (const bad of ['', '~x', 'a;b', 'a b']) {
      expect(checkTagValue(bad)).toBeDefined();
    }
    expect(checkTagValue('a=b!^~')).toBeUndefined();
  });

  it('checks a range of a longer string', () => {
    expect(checkTagName('x;host=web1', 2, 6)).toBeUndefined();
    expect(checkTagValue('x;host=~web1', 7, 12)).toBe('tag value must not start with "~"');
  });
});
