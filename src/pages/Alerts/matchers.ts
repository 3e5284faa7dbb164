import type { AlertLabelMatcher } from '../../shared/api';

const MATCHER = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*(=~|!~|!=|=)\s*(.*?)\s*$/;
// A comma starts a new matcher only where a label name and operator follow, so regular expressions may hold commas.
const SEPARATOR = /,(?=\s*[A-Za-z_][A-Za-z0-9_]*\s*(?:=~|!~|!=|=))/;

/** `team=ops, name=~servers\.web3\..*` as Alertmanager writes matchers; `errors` lists the parts that are not one. */
export function parseMatchers(input: string): { matchers: AlertLabelMatcher[]; errors: string[] } {
  const matchers: AlertLabelMatcher[] = [];
  const errors: string[] = [];
  for (const part of input.split(SEPARATOR)) {
    if (part.trim() === '') {
      continue;
    }
    const m = MATCHER.exec(part);
    if (m) {
      matchers.push({ name: m[1], op: m[2] as AlertLabelMatcher['op'], value: m[3] });
    } else {
      errors.push(part.trim());
    }
  }
  return { matchers, errors };
}

export function formatMatchers(matchers: AlertLabelMatcher[]): string {
  return matchers.map((m) => `${m.name}${m.op}${m.value}`).join(', ');
}

/** Unix seconds as an `<input type="datetime-local">` value, in the browser's time zone. */
export function toLocalInput(seconds: number): string {
  const d = new Date(seconds * 1000);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** The inverse of toLocalInput; NaN for an empty or partial value. */
export function fromLocalInput(value: string): number {
  return value === '' ? NaN : new Date(value).getTime() / 1000;
}
