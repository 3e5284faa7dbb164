import { ALL_FUNCTIONS } from './functions';
import { FunctionRegistry, functionInfo, functionsJson, seriesByTag } from './registry';
import type { FunctionDef } from './types';

const def = (name: string, params: FunctionDef['params'], group: FunctionDef['group'] = 'Transform'): FunctionDef => ({
  name,
  group,
  description: `${name} does things`,
  params,
  call: () => [],
});

describe('FunctionRegistry', () => {
  it('refuses definitions that cannot be evaluated', () => {
    expect(() => new FunctionRegistry([def('a', []), def('a', [])])).toThrow(/defined twice/);
    expect(
      () =>
        new FunctionRegistry([
          def('b', [
            { name: 'x', type: 'string', multiple: true },
            { name: 'y', type: 'string' },
          ]),
        ])
    ).toThrow(/only the last param may be multiple/);
    expect(
      () =>
        new FunctionRegistry([
          def('c', [
            { name: 'x', type: 'string' },
            { name: 'x', type: 'integer' },
          ]),
        ])
    ).toThrow(/two params named 'x'/);
  });

  it("describes functions in graphite-web's /functions shape", () => {
    const info = functionInfo(
      def('movingThing', [
        { name: 'seriesList', type: 'seriesList', required: true },
        { name: 'windowSize', type: 'intOrInterval', required: true, suggestions: [5, '1min'] },
        { name: 'xFilesFactor', type: 'float' },
        { name: 'mode', type: 'string', default: 'fast', options: ['slow', 'fast', 'fast'] },
        { name: 'limit', type: 'intOrInf', default: Infinity },
        { name: 'reset', type: 'boolean', default: true },
      ])
    );
    expect(info).toEqual({
      name: 'movingThing',
      function: "movingThing(seriesList, windowSize, xFilesFactor=None, mode='fast', limit=inf, reset=True)",
      description: 'movingThing does things',
      module: 'graphite.render.functions',
      group: 'Transform',
      params: [
        { name: 'seriesList', type: 'seriesList', required: true },
        { name: 'windowSize', type: 'intOrInterval', required: true, suggestions: [5, '1min'] },
        { name: 'xFilesFactor', type: 'float' },
        { name: 'mode', type: 'string', default: 'fast', options: ['fast', 'slow'] },
        { name: 'limit', type: 'intOrInf', default: Infinity },
        { name: 'reset', type: 'boolean', default: true },
      ],
    });
    expect(functionInfo(seriesByTag).function).toBe('seriesByTag(*tagExpressions)');
    // Infinity as graphite-web writes it, which JSON.parse reads back as Infinity.
    const json = functionsJson(info);
    expect(json).toContain('"default":1e9999');
    expect(JSON.parse(json).params[4].default).toBe(Infinity);
  });

  it("lists an aggFunc param's aggregation names as its options", () => {
    const info = functionInfo(def('agg', [{ name: 'func', type: 'aggFunc', required: true }]));
    expect(info.params[0]!.options).toEqual(expect.arrayContaining(['average', 'avg', 'sum', 'total', 'max']));
  });

  it('lists by name, by group, or one group only', () => {
    const r = new FunctionRegistry([def('a', []), def('b', [], 'Combine'), seriesByTag]);
    expect(Object.keys(r.describe())).toEqual(['a', 'b', 'seriesByTag']);
    expect(Object.keys(r.describe({ grouped: true }))).toEqual(['Transform', 'Combine', 'Special']);
    expect(Object.keys(r.describe({ group: 'Combine' }))).toEqual(['b']);
    expect(r.get('a')?.name).toBe('a');
    expect(r.get('nope')).toBeUndefined();
  });

  it('accepts the whole function library with seriesByTag', () => {
    const r = new FunctionRegistry([...ALL_FUNCTIONS, seriesByTag]);
    expect(r.size).toBe(ALL_FUNCTIONS.length + 1);
    expect(() => JSON.parse(functionsJson(r.describe()))).not.toThrow();
  });
});
