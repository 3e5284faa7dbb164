/**
 * Annotation templates: the two forms operators know from Prometheus and Grafana, `{{ $labels.host }}` and
 * `{{ $value }}`, and nothing else. A template language with functions would let a typo in an annotation fail at
 * notification time; this one is checked whole when the rule is saved.
 */

const PLACEHOLDER = /\{\{\s*([^}]*?)\s*\}\}/g;
const LABEL_REF = /^\$labels\.([A-Za-z_][A-Za-z0-9_]*)$/;

export interface TemplateData {
  labels: Readonly<Record<string, string>>;
  value: number | null;
}

/** Why the template cannot be rendered, or undefined when it is fine. */
export function checkTemplate(text: string): string | undefined {
  for (const m of text.matchAll(PLACEHOLDER)) {
    const expr = m[1]!;
    if (expr !== '$value' && !LABEL_REF.test(expr)) {
      return `unknown placeholder "{{ ${expr} }}" (use {{ $labels.NAME }} or {{ $value }})`;
    }
  }
  return undefined;
}

/** Fills the placeholders; a label the instance lacks renders as empty, a missing value as "no data". */
export function renderTemplate(text: string, data: TemplateData): string {
  return text.replace(PLACEHOLDER, (_whole, expr: string) => {
    if (expr === '$value') return formatValue(data.value);
    const label = LABEL_REF.exec(expr);
    return label ? (data.labels[label[1]!] ?? '') : '';
  });
}

/** Values as people read them in a mail: at most 6 significant digits, no exponent for everyday magnitudes. */
export function formatValue(value: number | null): string {
  if (value === null) return 'no data';
  if (Number.isInteger(value)) return String(value);
  return String(Number(value.toPrecision(6)));
}
