import { createEvalContext, evaluateTarget } from './evaluator';
import { parseTarget } from './parser';
import { FunctionRegistry, seriesByTag } from './registry';
import { type Args, type EvalContext, type Expr, type FunctionDef, QueryError, type Series } from './types';

function series(name: string, values: Array<number | null> = [1, 2, 3]): Series {
  return {
    name,
    tags: { name },
    pathExpression: name,
    start: 100,
    end: 100 + 10 * values.length,
    step: 10,
    values,
    consolidationFunc: 'average',
  };
}

/** Records what it was called with and answers one series named after its arguments. */
function recorder(name: string, params: FunctionDef['params'], calls: Array<{ args: Args; raw: Expr[] }>): FunctionDef {
  return {
    name,
    group: 'Transform',
    description: `${name} for tests`,
    params,
    call(_ctx, args, raw) {
      calls.push({ args, raw });
      return [series(`${name}()`)];
    },
  };
}

describe('evaluator', () => {
  let calls: Array<{ args: Args; raw: Expr[] }>;
  let fetched: Expr[];
  let ctx: EvalContext;

  beforeEach(() => {
    calls = [];
    fetched = [];
    const registry = new FunctionRegistry([
      recorder(
        'f',
        [
          { name: 'seriesList', type: 'seriesList', required: true },
          { name: 'n', type: 'integer', default: 5 },
          { name: 'label', type: 'string' },
          { name: 'flag', type: 'boolean', default: false },
        ],
        calls
      ),
      recorder('sum', [{ name: 'seriesLists', type: 'seriesList', required: true, multiple: true }], calls),
      recorder(
        'typed',
        [
          { name: 'seriesList', type: 'seriesList', required: true },
          { name: 'factor', type: 'float' },
          { name: 'window', type: 'interval' },
          { name: 'node', type: 'nodeOrTag' },
          { name: 'func', type: 'aggFunc' },
          { name: 'mode', type: 'string', options: ['up', 'down'] },
          { name: 'count', type: 'intOrInf' },
          { name: 'any', type: 'any' },
        ],
        calls
      ),
      {
        name: 'shifted',
        group: 'Transform',
        description: 'evaluates its argument again over another range',
        params: [{ name: 'seriesList', type: 'seriesList', required: true }],
        async call(c, _args, raw) {
          const again = (await c.evaluate({ ...c, startTime: c.startTime - 60 }, raw[0]!)) as Series[];
          return again.map((s) => ({ ...s, name: `shifted(${s.name})` }));
        },
      },
      seriesByTag,
    ]);
    ctx = createEvalContext({
      registry,
      fetch: async (c, expr) => {
        fetched.push(expr);
        const name = expr.kind === 'path' ? expr.path : (expr as { raw?: string }).raw!;
        return [series(`${name}@${c.startTime}`)];
      },
      startTime: 1000,
      endTime: 2000,
      now: 2000,
    });
  });

  const run = (target: string) => evaluateTarget(ctx, parseTarget(target));
  const fail = async (target: string): Promise<QueryError> => {
    const e = await run(target).catch((x: unknown) => x);
    if (!(e instanceof QueryError)) throw new Error(`expected a QueryError from ${target}, got ${String(e)}`);
    return e;
  };

  it('fetches paths and returns the function result', async () => {
    expect((await run('a.b')).map((s) => s.name)).toEqual(['a.b@1000']);
    expect((await run('f(a.b)')).map((s) => s.name)).toEqual(['f()']);
    expect((calls[0]!.args[0] as Series[])[0]!.name).toBe('a.b@1000');
  });

  it('matches positional and keyword arguments to params and fills defaults', async () => {
    await run('f(a.b, 3)');
    await run('f(a.b, label="x", flag=true)');
    await run('f(seriesList=a.b, n=7)');
    await run('f(a.b, None, "y")');
    expect(calls.map((c) => c.args.slice(1))).toEqual([
      [3, undefined, false],
      [5, 'x', true],
      [7, undefined, false],
      [5, 'y', false],
    ]);
  });

  it('collects the rest into a multiple param, one list per argument', async () => {
    await run('sum(a.*, b.*, c)');
    const lists = calls[0]!.args[0] as Series[][];
    expect(lists.map((l) => l[0]!.name)).toEqual(['a.*@1000', 'b.*@1000', 'c@1000']);
    expect(calls[0]!.raw.map((e) => (e as { path: string }).path)).toEqual(['a.*', 'b.*', 'c']);
  });

  it('lines raw expressions up with params, defaulted ones left as holes', async () => {
    await run('typed(a, any=b, count=2)');
    const raw = calls[0]!.raw;
    expect(raw).toHaveLength(8);
    expect([0, 6, 7].map((i) => (raw[i] as { kind: string }).kind)).toEqual(['path', 'number', 'path']);
    expect(1 in raw).toBe(false);
  });

  it('hands raw argument expressions over, piped ones first', async () => {
    await run('a.b|f(2)');
    expect(calls[0]!.raw[0]).toMatchObject({ kind: 'path', path: 'a.b' });
    expect(calls[0]!.raw[1]).toMatchObject({ kind: 'number', value: 2 });
    expect((await run('shifted(a.b)')).map((s) => s.name)).toEqual(['shifted(a.b@940)']);
  });

  it('converts literals to their param types as graphite-web validates them', async () => {
    await run("typed(a, '1.5', '5min', 2, 'sum', 'up', inf, 3)");
    await run("typed(a, 2, node='dc', func='sumSeries', count=4)");
    expect(calls.map((c) => c.args.slice(1))).toEqual([
      [1.5, '5min', 2, 'sum', 'up', Infinity, 3],
      [2, undefined, 'dc', 'sumSeries', undefined, 4, undefined],
    ]);
    await run("f(a, '4', flag='True')");
    await run('f(a, flag=1)');
    expect(calls.slice(2).map((c) => [c.args[1], c.args[3]])).toEqual([
      [4, true],
      [5, true],
    ]);
  });

  it('passes seriesByTag to the fetcher as written', async () => {
    const list = await run(`f(seriesByTag( 'name=a' , "dc=eu"))`);
    expect(fetched[0]).toMatchObject({ kind: 'call', name: 'seriesByTag', raw: `seriesByTag( 'name=a' , "dc=eu")` });
    expect(list).toHaveLength(1);
    await expect(run('seriesByTag(a.b)')).rejects.toThrow(/takes a string, not a series list/);
    await expect(run('seriesByTag()')).rejects.toThrow(/missing required parameter 'tagExpressions'/);
  });

  it.each([
    ['fooBar(a.b)', 0, "unknown function 'fooBar'"],
    ['f(g(a.b))', 2, "unknown function 'g'"],
    ['f(a.b, 1, "x", true, 5)', 21, "too many arguments for function 'f': it takes 4"],
    ['f(a.b, size=2)', 12, "function 'f' has no parameter 'size' (it has: seriesList, n, label, flag)"],
    ['f(a.b, 2, n=3)', 12, "parameter 'n' of function 'f' is given twice"],
    ['f(n=3)', 0, "missing required parameter 'seriesList' of function 'f'"],
    ['f(None)', 0, "missing required parameter 'seriesList' of function 'f'"],
    ['f("a.b")', 2, "parameter 'seriesList' of function 'f' takes a series list, not the string 'a.b'"],
    ['f(a.b, c.d)', 7, "parameter 'n' of function 'f' takes an integer, not a series list (quote strings: 'c.d')"],
    ['f(a.b, 1.5)', 7, "invalid value 1.5 for parameter 'n' of function 'f': expected an integer"],
    ['f(a.b, label=3)', 13, "invalid value 3 for parameter 'label' of function 'f': expected a string in quotes"],
    ['f(a.b, flag="yes")', 12, "invalid value 'yes' for parameter 'flag' of function 'f': expected true or false"],
    [
      "typed(a, window='5m')",
      16,
      "invalid value '5m' for parameter 'window' of function 'typed': invalid offset unit 'm'",
    ],
    [
      "typed(a, mode='left')",
      14,
      "invalid value 'left' for parameter 'mode' of function 'typed': expected one of up, down",
    ],
    ["typed(a, func='mean')", 14, "for parameter 'func' of function 'typed': expected one of"],
    ['typed(a, count=1.5)', 15, 'expected an integer or inf'],
    ["typed(a, factor='x')", 16, 'expected a number'],
  ])('%s fails at %i', async (target, position, message) => {
    const e = await fail(target);
    expect(e.position).toBe(position);
    expect(e.message).toContain(message);
  });

  it('accepts anything for an `any` param, series included', async () => {
    await run('typed(a, any=b.c)');
    expect((calls[0]!.args[7] as Series[])[0]!.name).toBe('b.c@1000');
  });
});
