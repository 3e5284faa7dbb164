/**
 * Alert rules and groups: the model the evaluator and the state machine work on, and the validation that turns what
 * an operator wrote (YAML or the API, as AlertRuleSpec) into it. Every problem is reported with the field at fault,
 * so the API can answer `{ error, field }` and provisioning can point at the YAML line.
 */
import type { AlertGroupSpec, AlertReducer, AlertRuleSpec, AlertThresholdCondition } from '../../shared/api';
import { parseDuration } from '../config/durations';
import { percentileOfName } from '../query/aggfuncs';
import { checkTemplate } from './templates';

/** Re-notification while firing: Hound's back-off, a fixed interval, or only once per episode. */
export type RepeatPolicy = { kind: 'backoff' } | { kind: 'interval'; ms: number } | { kind: 'never' };

export interface AlertRule {
  uid: string;
  title: string;
  group: string;
  target: string;
  windowMs: number;
  reducer: AlertReducer;
  condition?: AlertThresholdCondition;
  minSeries?: number;
  noDataState: 'nodata' | 'alerting' | 'ok';
  forMs: number;
  keepFiringForMs: number;
  type: 'alert' | 'notice';
  labels: Record<string, string>;
  annotations: Record<string, string>;
  runbookUrl?: string;
  paused: boolean;
  /** As written; empty means the group's. */
  notifiers: string[];
  repeat: RepeatPolicy;
  /** The spec it was compiled from, as the API shows it. */
  spec: AlertRuleSpec;
}

export interface AlertGroup {
  name: string;
  intervalMs: number;
  notifiers: string[];
  spec: AlertGroupSpec;
}

export interface FieldError {
  /** Path in the spec: `condition.threshold`, `labels.team`. */
  field: string;
  error: string;
}

export class RuleValidationError extends Error {
  constructor(readonly errors: FieldError[]) {
    super(errors.map((e) => `${e.field}: ${e.error}`).join('; '));
  }

  get field(): string {
    return this.errors[0]!.field;
  }
}

export const DEFAULT_GROUP_INTERVAL = '1min';

const IDENT = /^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$/;
const LABEL_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const FIXED_REDUCERS = ['last', 'avg', 'min', 'max', 'sum', 'count'];

/** Validates a rule spec (anything the API or a YAML file sent) and compiles it, or throws RuleValidationError. */
export function compileRule(input: unknown): AlertRule {
  const v = new Checker(input);
  const uid = v.string('uid', { pattern: IDENT, hint: 'letters, digits, "-" and "_", at most 100' });
  const title = v.string('title');
  const group = v.string('group', { pattern: IDENT, hint: 'letters, digits, "-" and "_", at most 100' });
  const target = v.string('target');
  const windowMs = v.duration('window');
  const reducer = v.optional('reducer', () => v.reducer('reducer')) ?? 'last';
  const condition = v.optional('condition', () => v.condition());
  const minSeries = v.optional('minSeries', () => v.integer('minSeries', 1));
  const noDataState = v.optional('noDataState', () => v.oneOf('noDataState', ['nodata', 'alerting', 'ok'] as const));
  const forMs = v.optional('for', () => v.duration('for', true)) ?? 0;
  const keepFiringForMs = v.optional('keepFiringFor', () => v.duration('keepFiringFor', true)) ?? 0;
  const type = v.optional('type', () => v.oneOf('type', ['alert', 'notice'] as const)) ?? 'alert';
  const labels = v.optional('labels', () => v.stringMap('labels', false)) ?? {};
  const annotations = v.optional('annotations', () => v.stringMap('annotations', true)) ?? {};
  const runbookUrl = v.optional('runbookUrl', () => v.url('runbookUrl'));
  const paused = v.optional('paused', () => v.boolean('paused')) ?? false;
  const notifiers = v.optional('notifiers', () => v.names('notifiers')) ?? [];
  const repeat = v.optional('repeat', () => v.repeat('repeat')) ?? { kind: 'backoff' };
  v.noOtherKeys([
    'uid',
    'title',
    'group',
    'target',
    'window',
    'reducer',
    'condition',
    'minSeries',
    'noDataState',
    'for',
    'keepFiringFor',
    'type',
    'labels',
    'annotations',
    'runbookUrl',
    'paused',
    'notifiers',
    'repeat',
  ]);
  if (condition === undefined && minSeries === undefined && v.ok && v.get('noDataState') === undefined) {
    // Without any of them the rule could only ever report missing data; say so rather than guess it was meant.
    v.fail('condition', 'give a condition (above or below a threshold), minSeries, or noDataState');
  }
  v.throwIfFailed();
  return {
    uid: uid!,
    title: title!,
    group: group!,
    target: target!,
    windowMs: windowMs!,
    reducer,
    condition,
    minSeries,
    noDataState: noDataState ?? 'nodata',
    forMs,
    keepFiringForMs,
    type,
    labels,
    annotations,
    runbookUrl,
    paused,
    notifiers,
    repeat,
    spec: structuredClone(input as AlertRuleSpec),
  };
}

export function compileGroup(input: unknown): AlertGroup {
  const v = new Checker(input);
  const name = v.string('name', { pattern: IDENT, hint: 'letters, digits, "-" and "_", at most 100' });
  const intervalMs = v.optional('interval', () => v.duration('interval')) ?? parseDuration(DEFAULT_GROUP_INTERVAL);
  const notifiers = v.optional('notifiers', () => v.names('notifiers')) ?? [];
  v.noOtherKeys(['name', 'interval', 'notifiers']);
  if (v.ok && intervalMs < 1000) v.fail('interval', 'must be at least 1s');
  v.throwIfFailed();
  return { name: name!, intervalMs, notifiers, spec: structuredClone(input as AlertGroupSpec) };
}

/** Collects field errors while reading an untrusted object. */
class Checker {
  readonly errors: FieldError[] = [];
  private readonly obj: Record<string, unknown>;

  constructor(input: unknown) {
    if (typeof input !== 'object' || input === null || Array.isArray(input)) {
      this.obj = {};
      this.fail('', 'expected an object');
    } else {
      this.obj = input as Record<string, unknown>;
    }
  }

  get ok(): boolean {
    return this.errors.length === 0;
  }

  get(key: string): unknown {
    return Object.hasOwn(this.obj, key) ? this.obj[key] : undefined;
  }

  fail(field: string, error: string): undefined {
    this.errors.push({ field, error });
    return undefined;
  }

  throwIfFailed(): void {
    if (this.errors.length > 0) throw new RuleValidationError(this.errors);
  }

  optional<T>(key: string, read: () => T | undefined): T | undefined {
    const value = this.get(key);
    return value === undefined || value === null ? undefined : read();
  }

  noOtherKeys(known: string[]): void {
    for (const key of Object.keys(this.obj)) {
      if (!known.includes(key)) this.fail(key, 'unknown field');
    }
  }

  string(key: string, opts: { pattern?: RegExp; hint?: string } = {}): string | undefined {
    const value = this.get(key);
    if (typeof value !== 'string' || value.trim() === '') return this.fail(key, 'required: a non-empty string');
    if (opts.pattern && !opts.pattern.test(value)) return this.fail(key, `expected ${opts.hint}`);
    return value;
  }

  boolean(key: string): boolean | undefined {
    const value = this.get(key);
    return typeof value === 'boolean' ? value : this.fail(key, 'expected true or false');
  }

  integer(key: string, min: number): number | undefined {
    const value = this.get(key);
    return Number.isInteger(value) && (value as number) >= min
      ? (value as number)
      : this.fail(key, `expected a whole number, at least ${min}`);
  }

  number(field: string, value: unknown): number | undefined {
    return typeof value === 'number' && Number.isFinite(value) ? value : this.fail(field, 'expected a number');
  }

  oneOf<T extends string>(key: string, allowed: readonly T[]): T | undefined {
    const value = this.get(key);
    return allowed.includes(value as T) ? (value as T) : this.fail(key, `expected one of ${allowed.join(', ')}`);
  }

  duration(key: string, zeroAllowed = false): number | undefined {
    const value = this.get(key);
    if (typeof value !== 'string') return this.fail(key, 'expected a duration such as "5min"');
    try {
      const ms = parseDuration(value);
      return ms > 0 || zeroAllowed ? ms : this.fail(key, 'must be longer than zero');
    } catch (e) {
      return this.fail(key, (e as Error).message);
    }
  }

  reducer(key: string): AlertReducer | undefined {
    const value = this.get(key);
    if (typeof value === 'string' && (FIXED_REDUCERS.includes(value) || percentileOfName(value) !== undefined)) {
      return value as AlertReducer;
    }
    return this.fail(key, `expected one of ${FIXED_REDUCERS.join(', ')} or a percentile such as p95`);
  }

  url(key: string): string | undefined {
    const value = this.get(key);
    if (typeof value === 'string' && /^https?:\/\/\S+$/.test(value)) return value;
    return this.fail(key, 'expected an http:// or https:// URL');
  }

  names(key: string): string[] | undefined {
    const value = this.get(key);
    if (!Array.isArray(value) || !value.every((n) => typeof n === 'string' && IDENT.test(n))) {
      return this.fail(key, 'expected a list of names');
    }
    return [...(value as string[])];
  }

  stringMap(key: string, templates: boolean): Record<string, string> | undefined {
    const value = this.get(key);
    if (typeof value !== 'object' || value === null || Array.isArray(value))
      return this.fail(key, 'expected a mapping');
    const out: Record<string, string> = {};
    for (const [name, text] of Object.entries(value)) {
      const field = `${key}.${name}`;
      if (!LABEL_NAME.test(name)) this.fail(field, 'names are letters, digits and "_", not starting with a digit');
      else if (typeof text !== 'string') this.fail(field, 'expected a string');
      else {
        const bad = templates ? checkTemplate(text) : undefined;
        if (bad) this.fail(field, bad);
        else out[name] = text;
      }
    }
    return out;
  }

  repeat(key: string): RepeatPolicy | undefined {
    const value = this.get(key);
    if (value === 'backoff') return { kind: 'backoff' };
    if (value === 'never') return { kind: 'never' };
    const ms = this.duration(key);
    return ms === undefined ? undefined : { kind: 'interval', ms };
  }

  condition(): AlertThresholdCondition | undefined {
    const value = this.get('condition');
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      return this.fail('condition', 'expected { op: above | below, threshold, recoveryThreshold? }');
    }
    const c = value as Record<string, unknown>;
    const op = c.op === 'above' || c.op === 'below' ? c.op : this.fail('condition.op', 'expected above or below');
    const threshold = this.number('condition.threshold', c.threshold);
    const recovery =
      c.recoveryThreshold === undefined || c.recoveryThreshold === null
        ? undefined
        : this.number('condition.recoveryThreshold', c.recoveryThreshold);
    for (const k of Object.keys(c)) {
      if (!['op', 'threshold', 'recoveryThreshold'].includes(k)) this.fail(`condition.${k}`, 'unknown field');
    }
    if (op === undefined || threshold === undefined) return undefined;
    if (recovery !== undefined && (op === 'above' ? recovery > threshold : recovery < threshold)) {
      return this.fail(
        'condition.recoveryThreshold',
        `must be ${op === 'above' ? 'at or below' : 'at or above'} the threshold (${threshold}) for an "${op}" rule`
      );
    }
    return recovery === undefined ? { op, threshold } : { op, threshold, recoveryThreshold: recovery };
  }
}
