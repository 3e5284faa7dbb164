import { checkMatchers, compileMatchers, silenceStatus } from './silences';

describe('silence matchers', () => {
  it("match as Alertmanager's do: whole-value regexes, missing labels as empty", () => {
    const m = compileMatchers([
      { name: 'name', op: '=~', value: 'servers\\.web.*' },
      { name: 'dc', op: '!=', value: 'eu' },
      { name: 'team', op: '!~', value: 'db|storage' },
    ]);
    expect(m({ name: 'servers.web1.cpu', dc: 'us', team: 'web' })).toBe(true);
    expect(m({ name: 'servers.web1.cpu' })).toBe(true);
    expect(m({ name: 'x.servers.web1' })).toBe(false);
    expect(m({ name: 'servers.web1.cpu', dc: 'eu' })).toBe(false);
    expect(m({ name: 'servers.web1.cpu', team: 'db' })).toBe(false);
    expect(compileMatchers([{ name: 'env', op: '=', value: '' }])({ host: 'a' })).toBe(true);
  });

  it('are checked before they are stored', () => {
    expect(checkMatchers([])).toEqual([
      { field: 'matchers', error: 'expected a non-empty list of { name, op, value }' },
    ]);
    expect(
      checkMatchers([
        { name: 'a', op: '=~', value: '(' },
        { name: '1', op: '~', value: 1 },
      ]).map((e) => e.field)
    ).toEqual(['matchers[0].value', 'matchers[1].name', 'matchers[1].op', 'matchers[1].value']);
  });

  it('have a status by time', () => {
    const s = { startsAt: 100, endsAt: 200 };
    expect([silenceStatus(s, 50), silenceStatus(s, 100), silenceStatus(s, 200)]).toEqual([
      'pending',
      'active',
      'expired',
    ]);
  });
});
