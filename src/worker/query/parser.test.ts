import { formatExpr, parseTarget } from './parser';
import { type Expr, QuerySyntaxError } from './types';

/** The expression without positions, for readable expectations. */
function shape(e: Expr): unknown {
  switch (e.kind) {
    case 'path':
      return e.path;
    case 'call': {
      const out: Record<string, unknown> = { call: e.name, args: e.args.map(shape) };
      if (Object.keys(e.kwargs).length > 0) {
        out.kwargs = Object.fromEntries(Object.entries(e.kwargs).map(([k, v]) => [k, shape(v)]));
      }
      return out;
    }
    case 'none':
      return null;
    default:
      return { [e.kind]: e.value };
  }
}

const parse = (t: string) => shape(parseTarget(t));

function syntaxError(t: string): QuerySyntaxError {
  try {
    parseTarget(t);
  } catch (e) {
    if (e instanceof QuerySyntaxError) return e;
    throw e;
  }
  throw new Error(`parsed: ${t}`);
}

describe('parseTarget', () => {
  it('reads metric paths with globs and the characters Graphite allows in them', () => {
    expect(parse('servers.web1.cpu')).toBe('servers.web1.cpu');
    expect(parse('servers.*.cpu.{user,system}')).toBe('servers.*.cpu.{user,system}');
    expect(parse('a.b?.c[0-9].x{1,2}y')).toBe('a.b?.c[0-9].x{1,2}y');
    expect(parse('a-b.c:d.e=f.~g.h@i.j#k.l$m')).toBe('a-b.c:d.e=f.~g.h@i.j#k.l$m');
    expect(parse('  padded.path  ')).toBe('padded.path');
    expect(parse('123.456')).toBe('123.456');
    expect(parse('true')).toBe('true');
    expect(parse('müll.ärger')).toBe('müll.ärger');
    expect(parse('{web,db}*.cpu')).toBe('{web,db}*.cpu');
    expect(parse('sumSeries({a,b}.c)')).toEqual({ call: 'sumSeries', args: ['{a,b}.c'] });
  });

  it('reads tagged paths', () => {
    expect(parse('disk.used;dc=eu;host=web1')).toBe('disk.used;dc=eu;host=web1');
  });

  it('unescapes escaped symbols in paths', () => {
    expect(parse('a\\(b\\).c\\,d')).toBe('a(b).c,d');
  });

  it('reads calls with positional and keyword arguments of every type', () => {
    expect(
      parse('f(a.b, \'s1\', "s2", 1, -2, 1.5, -0.25, 1e3, 2.5E-2, true, False, TRUE, None, inf, x=1, y="z")')
    ).toEqual({
      call: 'f',
      args: [
        'a.b',
        { string: 's1' },
        { string: 's2' },
        { number: 1 },
        { number: -2 },
        { number: 1.5 },
        { number: -0.25 },
        { number: 1000 },
        { number: 0.025 },
        { boolean: true },
        { boolean: false },
        { boolean: true },
        null,
        { number: Infinity },
      ],
      kwargs: { x: { number: 1 }, y: { string: 'z' } },
    });
  });

  it('reads nested calls, no arguments and spaces anywhere between tokens', () => {
    expect(parse('alias( sumSeries ( a.*, b.* ) , "total" )')).toEqual({
      call: 'alias',
      args: [{ call: 'sumSeries', args: ['a.*', 'b.*'] }, { string: 'total' }],
    });
    expect(parse('f()')).toEqual({ call: 'f', args: [] });
  });

  it('takes a number followed by letters as a path, as Graphite does', () => {
    expect(parse('f(5min, 1e3x, -1h)')).toEqual({ call: 'f', args: ['5min', '1e3x', '-1h'] });
    expect(parse('f(trueish, none.x)')).toEqual({ call: 'f', args: ['trueish', 'none.x'] });
  });

  it('keeps string contents as written, escapes included', () => {
    expect(parse("aliasSub(a.b, '(\\w+)\\.x', '\\1')")).toEqual({
      call: 'aliasSub',
      args: ['a.b', { string: '(\\w+)\\.x' }, { string: '\\1' }],
    });
    expect(parse('f("it\'s", \'say "hi"\', "a,b)")')).toEqual({
      call: 'f',
      args: [{ string: "it's" }, { string: 'say "hi"' }, { string: 'a,b)' }],
    });
  });

  it('turns pipes into nested calls, the piped value first', () => {
    expect(parse('a.b | scale(2) |alias("x")')).toEqual({
      call: 'alias',
      args: [{ call: 'scale', args: ['a.b', { number: 2 }] }, { string: 'x' }],
    });
    expect(parse('f(a|g())')).toEqual({ call: 'f', args: [{ call: 'g', args: ['a'] }] });
  });

  it('records positions and the raw text of calls', () => {
    const e = parseTarget('alias(seriesByTag( "name=a" ), "x")');
    expect(e).toMatchObject({ kind: 'call', start: 0, end: 35 });
    const inner = (e as Extract<Expr, { kind: 'call' }>).args[0]!;
    expect(inner).toMatchObject({
      kind: 'call',
      name: 'seriesByTag',
      start: 6,
      end: 29,
      raw: 'seriesByTag( "name=a" )',
    });
    const piped = parseTarget('a.b|scale(2)') as Extract<Expr, { kind: 'call' }>;
    expect(piped).toMatchObject({ start: 4, end: 12, raw: 'scale(2)' });
    expect(piped.args[0]).toMatchObject({ kind: 'path', start: 0, end: 3 });
  });

  it.each([
    ['sumSeries(a.b', 13, "expected ',' or ')' at position 13, found the end of the target"],
    ['sumSeries(a.b c)', 14, "expected ',' or ')' at position 14, found 'c'"],
    ['sumSeries(a.b,)', 14, "expected an argument at position 14, found ')'"],
    ['a.b)', 3, "expected '|' or the end of the target at position 3, found ')'"],
    ['a..b', 2, "expected a path node after '.' at position 2, found '.'"],
    ['a.b.', 4, "expected a path node after '.' at position 4, found the end of the target"],
    ['a.{b,c', 6, "expected ',' or '}' at position 6, found the end of the target"],
    ['a.{b,}', 5, "expected an alternative inside '{...}' at position 5, found '}'"],
    ['', 0, 'expected a metric path or function call at position 0, found the end of the target'],
    ['"a.b"', 0, "expected a metric path or function call at position 0, found '\"'"],
    ['a.b|c.d', 4, "expected a function call after '|' at position 4, found 'c'"],
    ['f(x=1, a.b)', 7, 'expected a keyword argument (name=value): positional arguments come first at position 7'],
  ])('refuses %j at position %i', (target, position, message) => {
    const e = syntaxError(target);
    expect(e.position).toBe(position);
    expect(e.message).toContain(message);
  });

  it('refuses unterminated strings and repeated keywords', () => {
    expect(syntaxError("alias(a, 'x)")).toMatchObject({ position: 9 });
    expect(syntaxError('f(x=1, x=2)')).toMatchObject({ position: 7 });
  });

  it('formats built expressions back to target text', () => {
    expect(formatExpr(parseTarget('seriesByTag(\'a=b\', "c!=d")'))).toBe("seriesByTag('a=b','c!=d')");
    expect(formatExpr(parseTarget('f(a.*, 1.5, true, None, inf, k=2)'))).toBe('f(a.*,1.5,true,None,inf,k=2)');
  });
});
