/**
 * Acknowledgements: "someone is on it". An ack covers one firing instance, or every instance of a rule, until it
 * expires or the instance recovers; while it holds, re-notifications wait (the recovered message still goes out).
 * Times are Unix seconds in the API, ms in the database.
 */
import { randomUUID } from 'node:crypto';

import type { AlertAck, AlertAckSpec } from '../../shared/api';
import type { Catalog } from '../catalog/db';
import { RuleValidationError, type FieldError } from './rules';

interface AckRow {
  id: string;
  rule_uid: string;
  key: string | null;
  author: string;
  comment: string;
  created_at: number;
  expires_at: number;
}

export class AckStore {
  private cache: AlertAck[] | undefined;

  constructor(
    private readonly db: Catalog,
    private readonly now: () => number = Date.now
  ) {}

  /** Acks that have not expired, newest first. */
  list(): AlertAck[] {
    const now = this.now() / 1000;
    return this.all().filter((a) => a.expiresAt > now);
  }

  /** The ack holding this instance's notifications at `nowMs`, if any. */
  covering(ruleUid: string, key: string, nowMs: number): AlertAck | undefined {
    return this.all().find(
      (a) => a.ruleUid === ruleUid && (a.key === undefined || a.key === key) && a.expiresAt * 1000 > nowMs
    );
  }

  create(input: unknown, ruleExists: (uid: string) => boolean): AlertAck {
    const spec = checkAck(input, this.now() / 1000, ruleExists);
    const ack: AlertAck = {
      id: randomUUID(),
      ruleUid: spec.ruleUid,
      ...(spec.key === undefined ? {} : { key: spec.key }),
      expiresAt: spec.expiresAt,
      author: spec.author,
      comment: spec.comment ?? '',
      createdAt: this.now() / 1000,
    };
    this.db
      .prepare(
        'INSERT INTO alert_acks (id, rule_uid, key, author, comment, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)'
      )
      .run(
        ack.id,
        ack.ruleUid,
        ack.key ?? null,
        ack.author,
        ack.comment,
        Math.round(ack.createdAt * 1000),
        Math.round(ack.expiresAt * 1000)
      );
    this.cache = undefined;
    return ack;
  }

  delete(id: string): boolean {
    this.cache = undefined;
    return this.db.prepare('DELETE FROM alert_acks WHERE id = ?').run(id).changes > 0;
  }

  /** An episode is over: acks for exactly this instance go with it (rule-wide acks stay until they expire). */
  resolved(ruleUid: string, key: string): void {
    if (this.all().some((a) => a.ruleUid === ruleUid && a.key === key)) {
      this.db.prepare('DELETE FROM alert_acks WHERE rule_uid = ? AND key = ?').run(ruleUid, key);
      this.cache = undefined;
    }
  }

  prune(before: number): number {
    this.cache = undefined;
    return this.db.prepare('DELETE FROM alert_acks WHERE expires_at < ?').run(before).changes;
  }

  private all(): AlertAck[] {
    this.cache ??= (this.db.prepare('SELECT * FROM alert_acks ORDER BY created_at DESC').all() as AckRow[]).map(
      (r) => ({
        id: r.id,
        ruleUid: r.rule_uid,
        ...(r.key === null ? {} : { key: r.key }),
        author: r.author,
        comment: r.comment,
        createdAt: r.created_at / 1000,
        expiresAt: r.expires_at / 1000,
      })
    );
    return this.cache;
  }
}

function checkAck(input: unknown, nowSeconds: number, ruleExists: (uid: string) => boolean): AlertAckSpec {
  const a = (typeof input === 'object' && input !== null ? input : {}) as Partial<AlertAckSpec>;
  const errors: FieldError[] = [];
  if (typeof a.ruleUid !== 'string' || !ruleExists(a.ruleUid)) errors.push({ field: 'ruleUid', error: 'no such rule' });
  if (a.key !== undefined && typeof a.key !== 'string')
    errors.push({ field: 'key', error: 'expected an instance key' });
  if (typeof a.expiresAt !== 'number' || !(a.expiresAt > nowSeconds)) {
    errors.push({ field: 'expiresAt', error: 'expected Unix seconds in the future' });
  }
  if (typeof a.author !== 'string' || a.author.trim() === '') errors.push({ field: 'author', error: 'required' });
  if (a.comment !== undefined && typeof a.comment !== 'string')
    errors.push({ field: 'comment', error: 'expected a string' });
  if (errors.length > 0) throw new RuleValidationError(errors);
  return a as AlertAckSpec;
}
