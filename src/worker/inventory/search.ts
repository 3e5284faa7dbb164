/**
 * Search across the whole inventory: every word of the query must appear, case-insensitively, somewhere in an
 * entity — its fields, relations, contacts, notes or renewals. A note or renewal that matches finds the entity it is
 * on. Entities whose key is the query come first, then those whose key starts with it, then the rest by kind and key.
 */
import type { InventorySearchResult } from '../../shared/api';
import { KINDS, formatRef, type Kind } from './model';
import type { NoteRow, RenewalRow } from './store';
import type { Views } from './values';

const MAX_SNIPPET = 160;

export function search(
  views: Views,
  notes: readonly NoteRow[],
  renewals: readonly RenewalRow[],
  query: string,
  limit: number
): InventorySearchResult[] {
  const words = query
    .toLowerCase()
    .split(/\s+/)
    .filter((w) => w !== '');
  if (words.length === 0) {
    return [];
  }
  const extra = new Map<string, Array<{ field: string; value: string }>>();
  const addExtra = (entity: string, field: string, value: string) => {
    const list = extra.get(entity);
    if (list) list.push({ field, value });
    else extra.set(entity, [{ field, value }]);
  };
  for (const n of notes) addExtra(n.entity, 'notes', n.body);
  for (const r of renewals) addExtra(r.entity, 'renewals', r.notes ? `${r.name}: ${r.notes}` : r.name);

  const q = query.trim().toLowerCase();
  const hits: Array<{ rank: number; kind: Kind; result: InventorySearchResult }> = [];
  for (const kind of KINDS) {
    for (const v of views[kind]) {
      const entity = formatRef(kind, v.key);
      const texts: Array<{ field: string; value: string }> = [];
      for (const [field, values] of Object.entries(v.fields)) {
        for (const value of values) texts.push({ field, value });
      }
      for (const c of (v.doc.contacts as Array<Record<string, string>> | undefined) ?? []) {
        for (const [field, value] of Object.entries(c)) texts.push({ field: `contact.${field}`, value });
      }
      texts.push(...(extra.get(entity) ?? []));
      const lower = texts.map((t) => t.value.toLowerCase());
      if (!words.every((w) => lower.some((t) => t.includes(w)))) {
        continue;
      }
      const matches = texts
        .filter((_, i) => words.some((w) => lower[i]!.includes(w)))
        .map((t) => ({ field: t.field, value: snippet(t.value, words) }));
      const key = v.key.toLowerCase();
      const rank = key === q ? 0 : key.startsWith(q) ? 1 : 2;
      hits.push({ rank, kind, result: { entity, kind, key: v.key, matches } });
    }
  }
  hits.sort(
    (a, b) => a.rank - b.rank || KINDS.indexOf(a.kind) - KINDS.indexOf(b.kind) || (a.result.key < b.result.key ? -1 : 1)
  );
  return hits.slice(0, limit).map((h) => h.result);
}

/** A long text shortened around the first word it contains. */
function snippet(text: string, words: readonly string[]): string {
  if (text.length <= MAX_SNIPPET) {
    return text;
  }
  const lower = text.toLowerCase();
  const at = Math.min(...words.map((w) => lower.indexOf(w)).filter((i) => i >= 0));
  const start = Math.max(0, at - MAX_SNIPPET / 4);
  const cut = text.slice(start, start + MAX_SNIPPET);
  return `${start > 0 ? '…' : ''}${cut}${start + MAX_SNIPPET < text.length ? '…' : ''}`;
}
