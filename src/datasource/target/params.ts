import { SERIES_PARAM_TYPES } from '../../api/graphite';
import type { ParamValue } from './model';

/**
 * A parameter value as the builder's input shows it, and typed text back as a value of the parameter's type: the user
 * types `5`, `sum` or `servers.*.mem` and the target gets `5`, `'sum'` and `servers.*.mem`.
 */

const NUMERIC_TYPES: ReadonlySet<string> = new Set(['integer', 'float', 'node', 'intOrInf']);
/** Types that take a number or a word (a tag name, an interval such as `1h`). */
const NUMBER_OR_WORD_TYPES: ReadonlySet<string> = new Set(['nodeOrTag', 'intOrInterval']);

export function paramText(value: ParamValue): string {
  switch (value.kind) {
    case 'string':
      return value.value;
    case 'number':
      return value.value === Infinity ? 'inf' : String(value.value);
    case 'boolean':
      return String(value.value);
    case 'none':
      return '';
    default:
      return value.text;
  }
}

function asNumber(text: string): number | undefined {
  if (/^inf$/i.test(text)) {
    return Infinity;
  }
  const n = Number(text);
  return text !== '' && Number.isFinite(n) ? n : undefined;
}

/** Typed text as a value of `type`; undefined for empty text, which leaves the parameter out. */
export function parseParamText(text: string, type: string | undefined): ParamValue | undefined {
  const trimmed = text.trim();
  if (trimmed === '') {
    return undefined;
  }
  if (type === undefined || SERIES_PARAM_TYPES.has(type)) {
    // Undeclared arguments and series are target text as typed.
    return { kind: 'expr', text: trimmed };
  }
  const quoted = /^(['"])(.*)\1$/.exec(trimmed);
  if (quoted) {
    return { kind: 'string', value: quoted[2] };
  }
  if (type === 'boolean' && /^(true|false)$/i.test(trimmed)) {
    return { kind: 'boolean', value: trimmed.toLowerCase() === 'true' };
  }
  if (NUMERIC_TYPES.has(type) || NUMBER_OR_WORD_TYPES.has(type)) {
    const n = asNumber(trimmed);
    if (n !== undefined) {
      return { kind: 'number', value: n };
    }
    // A template variable in a numeric parameter stands for a number: unquoted, it is replaced by one.
    if (/^\$\{?\w+/.test(trimmed) && NUMERIC_TYPES.has(type)) {
      return { kind: 'expr', text: trimmed };
    }
  }
  return { kind: 'string', value: trimmed };
}
