/**
 * Checking notifier settings: each notifier lists its fields once, and gets back the problems with their paths
 * (`settings.url`) and the values in the types it uses.
 */
import type { FieldError } from '../rules';

type Kind = 'string' | 'url' | 'list' | 'boolean';

export interface FieldSpec {
  kind: Kind;
  required?: boolean;
  /** For strings: the allowed values. */
  oneOf?: readonly string[];
}

export type SettingsSpec = Record<string, FieldSpec>;

export function checkSettings(spec: SettingsSpec, settings: Record<string, unknown>): FieldError[] {
  const errors: FieldError[] = [];
  for (const [name, field] of Object.entries(spec)) {
    const value = settings[name];
    const path = `settings.${name}`;
    if (value === undefined || value === null || value === '') {
      if (field.required) errors.push({ field: path, error: 'required' });
      continue;
    }
    const problem = checkValue(field, value);
    if (problem) errors.push({ field: path, error: problem });
  }
  for (const name of Object.keys(settings)) {
    if (!Object.hasOwn(spec, name)) {
      errors.push({ field: `settings.${name}`, error: `unknown setting (known: ${Object.keys(spec).join(', ')})` });
    }
  }
  return errors;
}

function checkValue(field: FieldSpec, value: unknown): string | undefined {
  switch (field.kind) {
    case 'boolean':
      return typeof value === 'boolean' ? undefined : 'expected true or false';
    case 'list':
      return Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === 'string' && v !== '')
        ? undefined
        : 'expected a non-empty list of strings';
    case 'url':
      return typeof value === 'string' && /^https?:\/\/[^\s/]+/.test(value)
        ? undefined
        : 'expected an http:// or https:// URL';
    case 'string':
      if (typeof value !== 'string') return 'expected a string';
      return field.oneOf && !field.oneOf.includes(value) ? `expected one of ${field.oneOf.join(', ')}` : undefined;
  }
}

/** A checked setting as a string ('' when absent). */
export function str(settings: Record<string, unknown>, name: string): string {
  const v = settings[name];
  return typeof v === 'string' ? v : '';
}

/** A checked list setting ([] when absent). */
export function list(settings: Record<string, unknown>, name: string): string[] {
  const v = settings[name];
  return Array.isArray(v) ? (v as string[]) : [];
}
