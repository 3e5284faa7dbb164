import { paramText, parseParamText } from './params';

describe('parseParamText', () => {
  it('reads numbers for numeric parameters, and words where a parameter takes either', () => {
    expect(parseParamText('5', 'integer')).toEqual({ kind: 'number', value: 5 });
    expect(parseParamText('inf', 'intOrInf')).toEqual({ kind: 'number', value: Infinity });
    expect(parseParamText('host', 'nodeOrTag')).toEqual({ kind: 'string', value: 'host' });
    expect(parseParamText('1h', 'intOrInterval')).toEqual({ kind: 'string', value: '1h' });
  });

  it('keeps a variable in a numeric parameter unquoted, so that it is replaced by a number', () => {
    expect(parseParamText('$node', 'integer')).toEqual({ kind: 'expr', text: '$node' });
    expect(parseParamText('$__interval', 'interval')).toEqual({ kind: 'string', value: '$__interval' });
  });

  it('reads series as target text, and quotes typed by the user as a string', () => {
    expect(parseParamText(' servers.*.mem ', 'seriesList')).toEqual({ kind: 'expr', text: 'servers.*.mem' });
    expect(parseParamText("'5'", 'string')).toEqual({ kind: 'string', value: '5' });
    expect(parseParamText('True', 'boolean')).toEqual({ kind: 'boolean', value: true });
  });

  it('leaves out a parameter whose text is empty', () => {
    expect(parseParamText('  ', 'string')).toBeUndefined();
  });
});

describe('paramText', () => {
  it('shows each kind of value the way it is typed', () => {
    expect(paramText({ kind: 'string', value: 'sum' })).toBe('sum');
    expect(paramText({ kind: 'number', value: Infinity })).toBe('inf');
    expect(paramText({ kind: 'none' })).toBe('');
    expect(paramText({ kind: 'expr', text: 'a.*' })).toBe('a.*');
  });
});
