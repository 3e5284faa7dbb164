/**
 * Silences: label matchers with a time range, as Alertmanager has them. An instance is silenced while some active
 * silence has every one of its matchers match the instance's labels. Regular expressions match the whole value, and
 * a label the instance lacks matches as the empty string (Alertmanager's rules). Silences live in the catalog
 * database; deleting one ends it now, and expired ones stay listed until the history retention drops them.
 */
import { randomUUID } from 'node:crypto';

import type { AlertLabelMatcher, AlertSilence, AlertSilenceSpec } from '../../shared/api';
import type { Catalog } from '../catalog/db';
import { RuleValidationError, type FieldError } from './rules';

const LABEL_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function silenceStatus(
  s: Pick<AlertSilence, 'startsAt' | 'endsAt'>,
  nowSeconds: number
): AlertSilence['status'] {
  if (nowSeconds >= s.endsAt) return 'expired';
  return nowSeconds < s.startsAt ? 'pending' : 'active';
}

/** A compiled matcher set: test a label set against it. */
export type LabelPredicate = (labels: Readonly<Record<string, string>>) => boolean;

export function compileMatchers(matchers: readonly AlertLabelMatcher[]): LabelPredicate {
  const tests = matchers.map((m) => {
    if (m.op === '=' || m.op === '!=') {
      const want = m.op === '=';
      return (labels: Readonly<Record<string, string>>) => ((labels[m.name] ?? '') === m.value) === want;
    }
    const re = new RegExp(`^(?:${m.value})$`);
    const want = m.op === '=~';
    return (labels: Readonly<Record<string, string>>) => re.test(labels[m.name] ?? '') === want;
  });
  return (labels) => tests.every((t) => t(labels));
}

/** Problems with a matcher list, each with its field; an empty list would silence everything, so it is refused. */
export function checkMatchers(input: unknown): FieldError[] {
  if (!Array.isArray(input) || input.length === 0) {
    return [{ field: 'matchers', error: 'expected a non-empty list of { name, op, value }' }];
  }
  const errors: FieldError[] = [];
  input.forEach((m: Partial<AlertLabelMatcher> | null, i) => {
    const field = `matchers[${i}]`;
    if (typeof m !== 'object' || m === null) {
      errors.push({ field, error: 'expected { name, op, value }' });
      return;
    }
    if (typeof m.name !== 'string' || !LABEL_NAME.test(m.name))
      errors.push({ field: `${field}.name`, error: 'expected a label name' });
    if (!['=', '!=', '=~', '!~'].includes(m.op as string))
      errors.push({ field: `${field}.op`, error: 'expected =, !=, =~ or !~' });
    if (typeof m.value !== 'string') {
      errors.push({ field: `${field}.value`, error: 'expected a string' });
    } else if (m.op === '=~' || m.op === '!~') {
      try {
        new RegExp(m.value);
      } catch (e) {
        errors.push({ field: `${field}.value`, error: (e as Error).message });
      }
    }
  });
  return errors;
}

/** Ids of the silences active at `nowSeconds` whose matchers all match `labels`. */
export function silencedBy(
  silences: ReadonlyArray<{ silence: AlertSilence; matches: LabelPredicate }>,
  labels: Readonly<Record<string, string>>,
  nowSeconds: number
): string[] {
  const ids: string[] = [];
  for (const { silence, matches } of silences) {
    if (silenceStatus(silence, nowSeconds) === 'active' && matches(labels)) ids.push(silence.id);
  }
  return ids;
}

/** Silences in the catalog, with their matchers compiled once. Times are Unix seconds, as in the API. */
export class SilenceStore {
  private cache: Array<{ silence: AlertSilence; matches: LabelPredicate }> | undefined;

  constructor(
    private readonly db: Catalog,
    private readonly now: () => number = Date.now
  ) {}

  /** Every silence with its status now, newest first. */
  list(): AlertSilence[] {
    const now = this.now() / 1000;
    return this.compiled()
      .map(({ silence }) => ({ ...silence, status: silenceStatus(silence, now) }))
      .sort((a, b) => b.createdAt - a.createdAt);
  }

  /** Which silences cover `labels` now. */
  silencing(labels: Readonly<Record<string, string>>, nowMs: number): string[] {
    return silencedBy(this.compiled(), labels, nowMs / 1000);
  }

  create(input: unknown): AlertSilence {
    const spec = checkSilence(input, this.now() / 1000);
    const silence: AlertSilence = {
      id: randomUUID(),
      matchers: spec.matchers.map(({ name, op, value }) => ({ name, op, value })),
      startsAt: spec.startsAt ?? this.now() / 1000,
      endsAt: spec.endsAt,
      author: spec.author,
      comment: spec.comment,
      createdAt: this.now() / 1000,
      status: 'active',
    };
    this.db
      .prepare(
        'INSERT INTO alert_silences (id, matchers, starts_at, ends_at, author, comment, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)'
      )
      .run(
        silence.id,
        JSON.stringify(silence.matchers),
        Math.round(silence.startsAt * 1000),
        Math.round(silence.endsAt * 1000),
        silence.author,
        silence.comment,
        Math.round(silence.createdAt * 1000)
      );
    this.cache = undefined;
    return { ...silence, status: silenceStatus(silence, this.now() / 1000) };
  }

  /** Ends a silence now; false when there is none with that id. */
  expire(id: string): boolean {
    const now = this.now();
    const changed = this.db
      .prepare('UPDATE alert_silences SET ends_at = ?, starts_at = MIN(starts_at, ?) WHERE id = ? AND ends_at > ?')
      .run(now, now, id, now).changes;
    this.cache = undefined;
    return changed > 0 || this.db.prepare('SELECT 1 FROM alert_silences WHERE id = ?').get(id) !== undefined;
  }

  /** Drops silences that ended before `before` (ms). */
  prune(before: number): number {
    this.cache = undefined;
    return this.db.prepare('DELETE FROM alert_silences WHERE ends_at < ?').run(before).changes;
  }

  private compiled(): Array<{ silence: AlertSilence; matches: LabelPredicate }> {
    this.cache ??= (
      this.db.prepare('SELECT * FROM alert_silences').all() as Array<{
        id: string;
        matchers: string;
        starts_at: number;
        ends_at: number;
        author: string;
        comment: string;
        created_at: number;
      }>
    ).map((r) => {
      const matchers = JSON.parse(r.matchers) as AlertLabelMatcher[];
      const silence: AlertSilence = {
        id: r.id,
        matchers,
        startsAt: r.starts_at / 1000,
        endsAt: r.ends_at / 1000,
        author: r.author,
        comment: r.comment,
        createdAt: r.created_at / 1000,
        status: 'active',
      };
      return { silence, matches: compileMatchers(matchers) };
    });
    return this.cache;
  }
}

function checkSilence(input: unknown, nowSeconds: number): AlertSilenceSpec {
  const s = (typeof input === 'object' && input !== null ? input : {}) as Partial<AlertSilenceSpec>;
  const errors = checkMatchers(s.matchers);
  const startsAt = s.startsAt ?? nowSeconds;
  if (typeof startsAt !== 'number' || !Number.isFinite(startsAt))
    errors.push({ field: 'startsAt', error: 'expected Unix seconds' });
  if (typeof s.endsAt !== 'number' || !Number.isFinite(s.endsAt))
    errors.push({ field: 'endsAt', error: 'expected Unix seconds' });
  else if (s.endsAt <= Math.max(startsAt, nowSeconds))
    errors.push({ field: 'endsAt', error: 'must be after startsAt and in the future' });
  if (typeof s.author !== 'string' || s.author.trim() === '')
    errors.push({ field: 'author', error: 'required: who is silencing' });
  if (typeof s.comment !== 'string' || s.comment.trim() === '')
    errors.push({ field: 'comment', error: 'required: why' });
  if (errors.length > 0) throw new RuleValidationError(errors);
  return s as AlertSilenceSpec;
}
