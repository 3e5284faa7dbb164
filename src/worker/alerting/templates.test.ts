import { checkTemplate, formatValue, renderTemplate } from './templates';

describe('annotation templates', () => {
  it('fills labels and the value', () => {
    const data = { labels: { host: 'web1' }, value: 95.123456789 };
    expect(renderTemplate('{{ $labels.host }} at {{$value}}, dc {{ $labels.dc }}', data)).toBe('web1 at 95.1235, dc ');
    expect(renderTemplate('{{ $value }}', { labels: {}, value: null })).toBe('no data');
  });

  it('refuses anything else when the rule is saved', () => {
    expect(checkTemplate('{{ $labels.host }} {{ $value }}')).toBeUndefined();
    expect(checkTemplate('{{ .Labels.host }}')).toMatch(/unknown placeholder/);
  });

  it('formats values for people', () => {
    expect([formatValue(3), formatValue(0.1 + 0.2), formatValue(1234567.891)]).toEqual(['3', '0.3', '1234570']);
  });
});
