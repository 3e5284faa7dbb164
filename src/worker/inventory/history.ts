/**
 * The history of changes: who (the API key and the Grafana user), when, and what, as a field-by-field diff of the
 * entity's document. Every write in the service records one entry per entity it changed, inside the same transaction,
 * so the history never disagrees with the inventory.
 */
import type { InventoryHistoryAction, InventoryHistoryEntry } from '../../shared/api';
import type { Actor, Doc } from './model';
import type { HistoryKind, HistoryQuery, InventoryStore } from './store';

export type Changes = Record<string, { from: unknown; to: unknown }>;

/** Field by field: creation (`before` undefined) lists what is set, deletion what was; empty lists count as unset. */
export function diff(before: Doc | undefined, after: Doc | undefined): Changes {
  const changes: Changes = {};
  const keys = new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})]);
  for (const key of keys) {
    const from = present(before?.[key]);
    const to = present(after?.[key]);
    if (JSON.stringify(from) !== JSON.stringify(to)) {
      changes[key] = { from, to };
    }
  }
  return changes;
}

function present(v: unknown): unknown {
  return v === undefined || (Array.isArray(v) && v.length === 0) ? null : v;
}

export interface Subject {
  kind: HistoryKind;
  id: number;
  /** `kind:key` now (for a deletion, as it was). */
  entity: string;
}

export class History {
  constructor(
    private readonly store: InventoryStore,
    private readonly now: () => number
  ) {}

  /** Records a change unless it changed nothing. */
  record(
    actor: Actor,
    action: InventoryHistoryAction,
    subject: Subject,
    before: Doc | undefined,
    after: Doc | undefined,
    related: readonly Subject[] = []
  ): void {
    const changes = diff(before, after);
    if (Object.keys(changes).length === 0 && action === 'update') {
      return;
    }
    const seen = new Set<string>();
    this.store.insertHistory({
      time: this.now(),
      actor,
      kind: subject.kind,
      entityId: subject.id,
      entity: subject.entity,
      action,
      changes,
      related: related
        .filter((r) => {
          const k = `${r.kind}:${r.id}`;
          const fresh = !seen.has(k) && !(r.kind === subject.kind && r.id === subject.id);
          seen.add(k);
          return fresh;
        })
        .map((r) => ({ kind: r.kind, id: r.id, entity: r.entity })),
    });
  }

  query(q: HistoryQuery): InventoryHistoryEntry[] {
    return this.store.history(q).map((r) => ({
      id: r.id,
      time: r.time / 1000,
      actor: r.actor,
      entity: r.entity,
      action: r.action as InventoryHistoryAction,
      changes: r.changes,
      related: r.related.map((x) => x.entity),
    }));
  }
}
