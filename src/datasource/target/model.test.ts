import fc from 'fast-check';

import { formatTarget, quote, toBuilder, type BuilderModel, type ParamValue } from './model';

function model(target: string): BuilderModel {
  const result = toBuilder(target);
  if (!result.ok) {
    throw new Error(`expected a builder model for ${target}: ${result.message}`);
  }
  return result.model;
}

describe('toBuilder', () => {
  it('reads nested calls as a source and its functions, innermost first', () => {
    expect(model("sumSeries(aliasByNode(servers.*.cpu.user, 1, 'x'))")).toEqual({
      source: { kind: 'path', path: 'servers.*.cpu.user' },
      functions: [
        {
          name: 'aliasByNode',
          args: [
            { kind: 'number', value: 1 },
            { kind: 'string', value: 'x' },
          ],
          kwargs: [],
        },
        { name: 'sumSeries', args: [], kwargs: [] },
      ],
    });
  });

  it('reads seriesByTag as a tag source', () => {
    expect(model("seriesByTag('name=app.request', 'env=~prod|staging')").source).toEqual({
      kind: 'tags',
      expressions: ['name=app.request', 'env=~prod|staging'],
    });
  });

  it('keeps every kind of argument: keywords, booleans, None, inf, series and template variables', () => {
    const { functions } = model(
      'movingAverage(servers.$host.cpu, $__interval, xFilesFactor=0.5)|removeAbovePercentile(inf)|sortByMaxima(true)|legendValue(None)|divideSeries(sumSeries(a.{b,c}))'
    );

    expect(functions.map((f) => f.name)).toEqual([
      'movingAverage',
      'removeAbovePercentile',
      'sortByMaxima',
      'legendValue',
      'divideSeries',
    ]);
    expect(functions[0].args).toEqual([{ kind: 'expr', text: '$__interval' }]);
    expect(functions[0].kwargs).toEqual([['xFilesFactor', { kind: 'number', value: 0.5 }]]);
    expect(functions[1].args).toEqual([{ kind: 'number', value: Infinity }]);
    expect(functions[2].args).toEqual([{ kind: 'boolean', value: true }]);
    expect(functions[3].args).toEqual([{ kind: 'none' }]);
    expect(functions[4].args).toEqual([{ kind: 'expr', text: 'sumSeries(a.{b,c})' }]);
  });

  it('keeps a path exactly as written, escapes and alternatives included', () => {
    expect(model('alias(servers.web\\(1\\).{cpu,mem}.*, "web")').source).toEqual({
      kind: 'path',
      path: 'servers.web\\(1\\).{cpu,mem}.*',
    });
  });

  it('gives the parser’s message and position for text that does not parse', () => {
    expect(toBuilder('sumSeries(servers.*.cpu')).toEqual({
      ok: false,
      reason: 'syntax',
      message: "expected ',' or ')' at position 23, found the end of the target",
      position: 23,
    });
  });

  it('says why a target that parses has no builder form', () => {
    expect(toBuilder('constantLine(42)')).toMatchObject({ ok: false, reason: 'shape' });
    expect(toBuilder('seriesByTag($tags)')).toMatchObject({ ok: false, reason: 'shape' });
  });

  it('has an empty model for an empty target', () => {
    expect(model('  ')).toEqual({ source: { kind: 'path', path: '' }, functions: [] });
  });
});

describe('formatTarget', () => {
  it('writes calls with a space after each comma, strings in single quotes', () => {
    expect(formatTarget(model('aliasByTags(seriesByTag("name=cpu"),"host")|sumSeries()'))).toBe(
      "sumSeries(aliasByTags(seriesByTag('name=cpu'), 'host'))"
    );
  });

  it('quotes a value so that the parser reads back the same value', () => {
    expect(quote("it's")).toBe('"it\'s"');
    expect(quote('say "hi"')).toBe('\'say "hi"\'');
    expect(quote('both \' and "')).toBe("'both \\' and \"'");
  });
});

const identifier = fc.stringMatching(/^[a-z][A-Za-z0-9]{0,8}$/);
const pathNode = fc.oneof(
  fc.stringMatching(/^[a-z0-9_-]{1,6}$/),
  fc.constant('*'),
  fc.constant('web[0-9]'),
  fc.constant('{user,system}'),
  fc.constant('$host')
);
// A path starts with a letter (one starting with `{` does not parse, one like a number is a number) and is no keyword.
const path = fc
  .tuple(fc.stringMatching(/^[a-z][a-z0-9_$*-]{0,5}$/), fc.array(pathNode, { maxLength: 4 }))
  .map(([first, nodes]) => [first, ...nodes].join('.'))
  .filter((p) => !/^(true|false|none|inf)$/i.test(p));
const param: fc.Arbitrary<ParamValue> = fc.oneof(
  fc.stringMatching(/^[a-zA-Z0-9 %.*=~,()'-]{0,12}$/).map((value) => ({ kind: 'string' as const, value })),
  fc.oneof(fc.integer({ min: -1000, max: 1000 }), fc.double({ min: -1e6, max: 1e6, noNaN: true })).map((value) => ({
    kind: 'number' as const,
    value: Object.is(value, -0) ? 0 : value,
  })),
  fc.boolean().map((value) => ({ kind: 'boolean' as const, value })),
  fc.constant({ kind: 'none' as const }),
  path.map((text) => ({ kind: 'expr' as const, text }))
);
const builderModel: fc.Arbitrary<BuilderModel> = fc.record({
  source: fc.oneof(
    path.map((p) => ({ kind: 'path' as const, path: p })),
    fc
      .array(fc.stringMatching(/^[a-z]{1,5}(=|!=|=~|!=~)[a-z0-9.*]{1,6}$/), { minLength: 1, maxLength: 3 })
      .map((expressions) => ({ kind: 'tags' as const, expressions }))
  ),
  functions: fc.array(
    fc.record({
      name: identifier.filter((name) => name !== 'seriesByTag'),
      args: fc.array(param, { maxLength: 3 }),
      kwargs: fc.uniqueArray(fc.tuple(identifier, param), { maxLength: 2, selector: ([name]) => name }),
    }),
    { maxLength: 4 }
  ),
});

describe('builder ↔ text', () => {
  it('gives back the same model from the text it writes, for any model', () => {
    fc.assert(
      fc.property(builderModel, (m) => {
        expect(model(formatTarget(m))).toEqual(m);
      }),
      { numRuns: 500 }
    );
  });

  it('writes text that reads back to the same text, once formatted', () => {
    fc.assert(
      fc.property(builderModel, (m) => {
        const text = formatTarget(m);
        expect(formatTarget(model(text))).toBe(text);
      })
    );
  });
});
