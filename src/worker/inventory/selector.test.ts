import { SelectorError, matchValue, parseMatchers, parseSeriesSelector } from './selector';

describe('series selectors', () => {
  it('read label matchers as seriesByTag takes them', () => {
    expect(parseSeriesSelector('host=web1, env=~prod.*')).toEqual({
      selector: {
        matchers: [
          { label: 'host', op: '=', value: 'web1' },
          { label: 'env', op: '=~', value: 'prod.*' },
        ],
      },
      target: "seriesByTag('host=web1','env=~prod.*')",
    });
  });

  it('read anything without a matcher as a Graphite glob', () => {
    expect(parseSeriesSelector('servers.web{1,2}.cpu.*')).toEqual({
      selector: { glob: 'servers.web{1,2}.cpu.*' },
      target: 'servers.web{1,2}.cpu.*',
    });
  });

  it('keep commas inside a regex, and quote values holding a quote', () => {
    expect(parseMatchers('name=~a{1,3}b,dc!=eu')).toEqual([
      { label: 'name', op: '=~', value: 'a{1,3}b' },
      { label: 'dc', op: '!=', value: 'eu' },
    ]);
    expect(parseSeriesSelector("team=o'brien").target).toBe(`seriesByTag("team=o'brien")`);
  });

  it.each([
    ['host!=web1', /at least one matcher that selects/],
    ['host=', /at least one matcher that selects/],
    ['env=~(prod', /not a regular expression/],
    ['servers web1', /neither label matchers/],
    ['', /empty/],
    [`a=x'y"z`, /both kinds of quote/],
  ])('refuse %j', (text, message) => {
    expect(() => parseSeriesSelector(text)).toThrow(SelectorError);
    expect(() => parseSeriesSelector(text)).toThrow(message);
  });
});

describe('matchValue', () => {
  it('anchors regexes at the start only, as graphite-web does', () => {
    const m = matchValue({ label: 'env', op: '=~', value: 'prod' });
    expect([m('production'), m('preprod')]).toEqual([true, false]);
    expect(matchValue({ label: 'env', op: '!=~', value: 'prod' })('staging')).toBe(true);
  });
});
