import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { Catalog, openCatalog } from './db';
import { KeyVerifier, ScopeError, createKey, hasScope, listKeys, parseScopes, revokeKey, verifyKey } from './keys';

let dir: string;
let db: Catalog;

beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'mc-keys-'));
  db = openCatalog(dir);
});

afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('parseScopes', () => {
  it('parses a comma list into distinct scopes in canonical order', () => {
    expect(parseScopes('read, ingest,read')).toEqual(['ingest', 'read']);
    expect(parseScopes(['admin'])).toEqual(['admin']);
  });

  it.each([
    ['write', 'unknown scope "write"'],
    ['read,Admin', 'unknown scope "Admin"'],
    ['', 'no scopes given'],
    [' , ', 'no scopes given'],
  ])('rejects %j', (text, message) => {
    expect(() => parseScopes(text)).toThrow(ScopeError);
    expect(() => parseScopes(text)).toThrow(message);
  });
});

describe('hasScope', () => {
  it('admin implies ingest and read; the others imply nothing', () => {
    expect(hasScope(['admin'], 'read')).toBe(true);
    expect(hasScope(['admin'], 'ingest')).toBe(true);
    expect(hasScope(['read'], 'ingest')).toBe(false);
    expect(hasScope(['ingest', 'read'], 'admin')).toBe(false);
  });
});

describe('keys', () => {
  it('a created key verifies, with its scopes', () => {
    const { id, key } = createKey(db, { scopes: ['ingest', 'read'], name: 'collectd on web1' });
    expect(key).toMatch(new RegExp(`^mc_${id}_[A-Za-z0-9_-]{43}$`));
    expect(verifyKey(db, key)).toEqual({ id, scopes: ['ingest', 'read'] });
  });

  it("an admin key's scopes include what admin implies", () => {
    const { key } = createKey(db, { scopes: ['admin'] });
    expect(verifyKey(db, key)?.scopes).toEqual(['ingest', 'read', 'admin']);
  });

  it('stores only the SHA-256 of the key', () => {
    const { id, key } = createKey(db, { scopes: ['read'] });
    const row = db.prepare('SELECT * FROM api_keys WHERE id = ?').get(id) as Record<string, unknown>;
    expect(row.hash).toBe(createHash('sha256').update(key).digest('hex'));
    const secret = key.slice(key.lastIndexOf('_') + 1);
    for (const value of Object.values(row)) {
      expect(String(value)).not.toContain(key);
      expect(String(value)).not.toContain(secret.slice(0, 20));
    }
  });

  it('refuses keys that are wrong, altered or not shaped like keys', () => {
    const { key } = createKey(db, { scopes: ['read'] });
    const last = key.at(-1) === 'A' ? 'B' : 'A';
    expect(verifyKey(db, key.slice(0, -1) + last)).toBeUndefined();
    expect(verifyKey(db, `${key} `)).toBeUndefined();
    expect(verifyKey(db, '')).toBeUndefined();
    expect(verifyKey(db, 'Bearer ' + key)).toBeUndefined();
  });

  it('a revoked key fails', () => {
    const { id, key } = createKey(db, { scopes: ['ingest'] });
    expect(revokeKey(db, id)).toBe(true);
    expect(verifyKey(db, key)).toBeUndefined();
    expect(revokeKey(db, id)).toBe(false);
  });

  it('rejects an invalid scope at creation', () => {
    expect(() => createKey(db, { scopes: ['root' as never] })).toThrow(ScopeError);
    expect(() => createKey(db, { scopes: [] })).toThrow(ScopeError);
    expect(listKeys(db)).toEqual([]);
  });

  it('lists keys without secrets, and records use at most once a minute', () => {
    const a = createKey(db, { scopes: ['read'], name: 'grafana', now: 1_000 });
    const b = createKey(db, { scopes: ['ingest', 'admin'], now: 2_000 });
    verifyKey(db, a.key, 10_000);
    verifyKey(db, a.key, 40_000);
    expect(listKeys(db)).toEqual([
      { id: a.id, name: 'grafana', scopes: ['read'], createdAt: 1_000, lastUsedAt: 10_000 },
      { id: b.id, name: undefined, scopes: ['ingest', 'admin'], createdAt: 2_000, lastUsedAt: undefined },
    ]);
    verifyKey(db, a.key, 70_000);
    expect(listKeys(db)[0]!.lastUsedAt).toBe(70_000);
  });
});

describe('KeyVerifier', () => {
  it('answers from memory within its ttl and asks again after', () => {
    let now = 0;
    const verifier = new KeyVerifier(db, { ttlMs: 1_000, now: () => now });
    const { id, key } = createKey(db, { scopes: ['ingest'] });
    expect(verifier.verify(key)).toEqual({ id, scopes: ['ingest'] });

    // Revoked behind its back (another process): still trusted until the entry expires.
    revokeKey(db, id);
    now = 999;
    expect(verifier.verify(key)).toEqual({ id, scopes: ['ingest'] });
    now = 1_000;
    expect(verifier.verify(key)).toBeUndefined();
  });

  it('forgets a key revoked through it at once', () => {
    const verifier = new KeyVerifier(db);
    const { id, key } = createKey(db, { scopes: ['read'] });
    expect(verifier.verify(key)).toBeDefined();
    expect(verifier.revoke(id)).toBe(true);
    expect(verifier.verify(key)).toBeUndefined();
  });

  it('does not remember failures, so a key created later works at once', () => {
    const verifier = new KeyVerifier(db);
    expect(verifier.verify('mc_0123456789abcdef_' + 'A'.repeat(43))).toBeUndefined();
    const { key } = createKey(db, { scopes: ['read'] });
    expect(verifier.verify(key)).toBeDefined();
  });

  it('stays within its size, dropping the oldest entries', () => {
    const verifier = new KeyVerifier(db, { maxEntries: 2 });
    const keys = [1, 2, 3].map(() => createKey(db, { scopes: ['read'] }));
    for (const k of keys) {
      expect(verifier.verify(k.key)).toBeDefined();
    }
    // The first was dropped from memory, so its revocation elsewhere is seen at once; the third is still cached.
    revokeKey(db, keys[0]!.id);
    revokeKey(db, keys[2]!.id);
    expect(verifier.verify(keys[0]!.key)).toBeUndefined();
    expect(verifier.verify(keys[2]!.key)).toBeDefined();
  });
});
