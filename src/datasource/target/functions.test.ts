import * as fixtures from '../../test/fixtures';
import {
  addFunction,
  appliesToSeries,
  builderFunctions,
  moveFunction,
  newCall,
  paramSlots,
  removeFunction,
  setParam,
} from './functions';
import { formatTarget, toBuilder, type BuilderModel, type FunctionCall } from './model';

const { functions: registry } = fixtures;

function model(target: string): BuilderModel {
  const result = toBuilder(target);
  if (!result.ok) {
    throw new Error(result.message);
  }
  return result.model;
}

function call(target: string): FunctionCall {
  return model(target).functions[0];
}

describe('builderFunctions', () => {
  it('offers, by group, the functions of the worker’s library that apply to a series', () => {
    const groups = builderFunctions(registry);
    const names = groups.flatMap((g) => g.functions.map((f) => f.name));

    expect(groups.map((g) => g.group)).toEqual([...groups.map((g) => g.group)].sort());
    expect(names).toEqual(expect.arrayContaining(['aliasByNode', 'sumSeries', 'movingAverage', 'summarize']));
    expect(names).not.toContain('seriesByTag');
    expect(
      Object.values(registry)
        .filter((info) => !appliesToSeries(info))
        .map((info) => info.name)
    ).toContain('constantLine');
  });
});

describe('newCall', () => {
  it('starts required parameters at their default, first option or suggestion, so the target runs', () => {
    expect(formatTarget({ source: { kind: 'path', path: 'a.b' }, functions: [newCall(registry.summarize)] })).toBe(
      "summarize(a.b, '10min')"
    );
    expect(newCall(registry.aliasByNode)).toEqual({
      name: 'aliasByNode',
      args: [{ kind: 'number', value: 0 }],
      kwargs: [],
    });
    expect(newCall(registry.sumSeries)).toEqual({ name: 'sumSeries', args: [], kwargs: [] });
  });
});

describe('paramSlots', () => {
  it('lists the declared parameters after the series with what the call gives, by position or keyword', () => {
    const slots = paramSlots(call("summarize(a.b, '1h', alignToFrom=true)"), registry.summarize);

    expect(slots.map((s) => [s.label, s.values, s.keyword])).toEqual([
      ['intervalString', [{ kind: 'string', value: '1h' }], false],
      ['func', [], false],
      ['alignToFrom', [{ kind: 'boolean', value: true }], true],
    ]);
  });

  it('gives a parameter that takes many values all the remaining arguments', () => {
    const [nodes] = paramSlots(call("aliasByNode(a.b.c, 1, 'host')"), registry.aliasByNode);

    expect(nodes.values).toEqual([
      { kind: 'number', value: 1 },
      { kind: 'string', value: 'host' },
    ]);
  });

  it('keeps arguments the declaration does not know, and every argument of an unknown function', () => {
    expect(paramSlots(call('derivative(a.b, 5)'), registry.derivative).map((s) => s.label)).toEqual(['argument 1']);
    expect(paramSlots(call('custom(a.b, 5, x=1)'), undefined).map((s) => s.label)).toEqual(['argument 1', 'x']);
  });
});

describe('setParam', () => {
  const summarize = (target: string) => {
    const c = call(target);
    return { c, slots: paramSlots(c, registry.summarize) };
  };
  const text = (c: FunctionCall) => formatTarget({ source: { kind: 'path', path: 'a' }, functions: [c] });

  it('sets the next positional argument, or a keyword one when it would leave a gap', () => {
    const { c, slots } = summarize("summarize(a, '1h')");

    expect(text(setParam(c, slots[1], [{ kind: 'string', value: 'max' }]))).toBe("summarize(a, '1h', 'max')");
    expect(text(setParam(c, slots[2], [{ kind: 'boolean', value: true }]))).toBe(
      "summarize(a, '1h', alignToFrom=true)"
    );
  });

  it('drops the last argument when cleared, and writes None for one in the middle', () => {
    const { c, slots } = summarize("summarize(a, '1h', 'max', true)");

    expect(text(setParam(c, slots[2], []))).toBe("summarize(a, '1h', 'max')");
    expect(text(setParam(c, slots[1], []))).toBe("summarize(a, '1h', None, true)");
  });

  it('replaces all the values of a parameter that takes many', () => {
    const c = call('aliasByNode(a.b.c, 1)');
    const [nodes] = paramSlots(c, registry.aliasByNode);

    expect(
      text(
        setParam(c, nodes, [
          { kind: 'number', value: 0 },
          { kind: 'number', value: 2 },
        ])
      )
    ).toBe('aliasByNode(a, 0, 2)');
  });
});

describe('editing the chain', () => {
  const m = model('sumSeries(aliasByNode(movingAverage(servers.*.cpu.user, 5), 1))');

  it('adds at the end, removes and moves functions', () => {
    expect(formatTarget(addFunction(m, registry.absolute))).toBe(
      'absolute(sumSeries(aliasByNode(movingAverage(servers.*.cpu.user, 5), 1)))'
    );
    expect(formatTarget(removeFunction(m, 1))).toBe('sumSeries(movingAverage(servers.*.cpu.user, 5))');
    expect(formatTarget(moveFunction(m, 2, -1))).toBe(
      'aliasByNode(sumSeries(movingAverage(servers.*.cpu.user, 5)), 1)'
    );
    expect(moveFunction(m, 0, -1)).toBe(m);
  });
});
