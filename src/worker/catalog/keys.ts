/**
 * API keys for the worker's HTTP API (`Authorization: Bearer <key>`).
 *
 * A key is `mc_<id>_<secret>`: a 16-hex-digit id, shown in listings and used to revoke, and
 * 32 random bytes in base64url. Only the SHA-256 of the whole key is stored. A fast hash is
 * the right one: a password needs a slow hash because it comes from a small space people can
 * enumerate, but 256 random bits cannot be enumerated at any hashing speed, and a slow hash
 * would cost milliseconds on every write request.
 *
 * Scopes: `ingest` (write samples and events), `read` (queries, the Graphite API), `admin`
 * (keys, rules, inventory, configuration). `admin` implies the other two: the operator's key
 * should not need to be listed three times, and least privilege is had by giving senders
 * `ingest` and dashboards `read`.
 */
import { createHash, randomBytes } from 'node:crypto';

import type { Catalog } from './db';

export const SCOPES = ['ingest', 'read', 'admin'] as const;
export type Scope = (typeof SCOPES)[number];

export class ScopeError extends Error {
  override name = 'ScopeError';
}

/** Parses `ingest,read` (or a list of names) into distinct scopes in SCOPES order. */
export function parseScopes(input: string | readonly string[]): Scope[] {
  const names = (typeof input === 'string' ? input.split(',') : input).map((s) => s.trim()).filter((s) => s !== '');
  if (names.length === 0) {
    throw new ScopeError(`no scopes given (expected some of ${SCOPES.join(', ')})`);
  }
  for (const n of names) {
    if (!(SCOPES as readonly string[]).includes(n)) {
      throw new ScopeError(`unknown scope "${n}" (expected some of ${SCOPES.join(', ')})`);
    }
  }
  return SCOPES.filter((s) => names.includes(s));
}

/** Whether a key holding `granted` may do what `needed` allows; admin implies every scope. */
export function hasScope(granted: readonly Scope[], needed: Scope): boolean {
  return granted.includes(needed) || granted.includes('admin');
}

function effectiveScopes(granted: readonly Scope[]): Scope[] {
  return SCOPES.filter((s) => hasScope(granted, s));
}

export interface CreatedKey {
  id: string;
  /** The only time the key exists in clear: show it once, it cannot be recovered. */
  key: string;
}

export function createKey(db: Catalog, opts: { scopes: readonly Scope[]; name?: string; now?: number }): CreatedKey {
  const scopes = parseScopes(opts.scopes);
  const id = randomBytes(8).toString('hex');
  const key = `mc_${id}_${randomBytes(32).toString('base64url')}`;
  db.prepare('INSERT INTO api_keys (id, hash, scopes, name, created_at) VALUES (?, ?, ?, ?, ?)').run(
    id,
    hashKey(key),
    scopes.join(','),
    opts.name || null,
    opts.now ?? Date.now()
  );
  return { id, key };
}

export interface VerifiedKey {
  id: string;
  /** Effective scopes: what was granted plus what admin implies. */
  scopes: Scope[];
}

const KEY_FORMAT = /^mc_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/;

/** last_used_at is written at most this often per key, so verification does not become a write per request. */
const LAST_USED_RESOLUTION_MS = 60_000;

/**
 * Looks the key up by its hash. No constant-time comparison is needed: what is compared (in
 * the index) is the SHA-256 of the presented text, and a caller cannot steer a hash towards a
 * stored one byte by byte, so timing reveals nothing about any real key. Text that is not
 * shaped like a key is refused without touching the database.
 */
export function verifyKey(db: Catalog, presented: string, now = Date.now()): VerifiedKey | undefined {
  if (!KEY_FORMAT.test(presented)) {
    return undefined;
  }
  return lookup(db, hashKey(presented), now);
}

function lookup(db: Catalog, hash: string, now: number): VerifiedKey | undefined {
  const row = db.prepare('SELECT id, scopes FROM api_keys WHERE hash = ?').get(hash) as
    { id: string; scopes: string } | undefined;
  if (!row) {
    return undefined;
  }
  db.prepare('UPDATE api_keys SET last_used_at = ? WHERE id = ? AND (last_used_at IS NULL OR last_used_at <= ?)').run(
    now,
    row.id,
    now - LAST_USED_RESOLUTION_MS
  );
  return { id: row.id, scopes: effectiveScopes(parseScopes(row.scopes)) };
}

export interface KeyInfo {
  id: string;
  name: string | undefined;
  /** As granted. */
  scopes: Scope[];
  createdAt: number;
  lastUsedAt: number | undefined;
}

/** Every key, oldest first, without anything secret. */
export function listKeys(db: Catalog): KeyInfo[] {
  const rows = db
    .prepare('SELECT id, name, scopes, created_at, last_used_at FROM api_keys ORDER BY created_at, id')
    .all() as Array<{
    id: string;
    name: string | null;
    scopes: string;
    created_at: number;
    last_used_at: number | null;
  }>;
  return rows.map((r) => ({
    id: r.id,
    name: r.name ?? undefined,
    scopes: parseScopes(r.scopes),
    createdAt: r.created_at,
    lastUsedAt: r.last_used_at ?? undefined,
  }));
}

/** Deletes the key; false if there was none with that id. */
export function revokeKey(db: Catalog, id: string): boolean {
  return db.prepare('DELETE FROM api_keys WHERE id = ?').run(id).changes > 0;
}

export interface KeyVerifierOptions {
  /** How long a verified key is trusted without asking the database again. */
  ttlMs?: number;
  maxEntries?: number;
  now?: () => number;
}

/**
 * verifyKey with a short memory, for the HTTP hot path: every write request presents a key,
 * and most present the same few. Only successes are remembered, so requests with made-up
 * keys cannot push real ones out; a failed lookup is one indexed read.
 *
 * A key revoked through this verifier stops working at once. One revoked by another process
 * (the `keys revoke` command beside a running worker) is still honoured for up to `ttlMs`.
 */
export class KeyVerifier {
  private readonly ttlMs: number;
  private readonly maxEntries: number;
  private readonly now: () => number;
  /** By key hash, so the cache never holds a key in clear. */
  private readonly cache = new Map<string, { result: VerifiedKey; expires: number }>();

  constructor(
    private readonly db: Catalog,
    opts: KeyVerifierOptions = {}
  ) {
    this.ttlMs = opts.ttlMs ?? 10_000;
    this.maxEntries = opts.maxEntries ?? 1_000;
    this.now = opts.now ?? Date.now;
  }

  verify(presented: string): VerifiedKey | undefined {
    if (!KEY_FORMAT.test(presented)) {
      return undefined;
    }
    const hash = hashKey(presented);
    const now = this.now();
    const hit = this.cache.get(hash);
    if (hit && hit.expires > now) {
      return hit.result;
    }
    this.cache.delete(hash);
    const result = lookup(this.db, hash, now);
    if (result) {
      if (this.cache.size >= this.maxEntries) {
        // Maps iterate in insertion order: this drops the oldest entry.
        this.cache.delete(this.cache.keys().next().value!);
      }
      this.cache.set(hash, { result, expires: now + this.ttlMs });
    }
    return result;
  }

  revoke(id: string): boolean {
    for (const [hash, entry] of this.cache) {
      if (entry.result.id === id) {
        this.cache.delete(hash);
      }
    }
    return revokeKey(this.db, id);
  }
}

function hashKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}
