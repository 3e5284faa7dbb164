/**
 * The inventory's events as Grafana annotations, so that a graph shows when someone wrote a note about a server or
 * when an alias was requested, confirmed or re-pointed: notes (by their time) and status changes (from the history:
 * an alias's status and target, a server's status, an application's lifecycle).
 *
 * Asked for an entity, the answer holds its notes and its status changes, and the status changes of the entities the
 * history relates to it: the aliases pointing at a server, those an application answers under.
 */
import type { InventoryAnnotation, InventoryHistoryEntry } from '../../shared/api';
import { actorLabel, parseRef } from './model';
import type { InventoryService } from './service';

/** The fields whose changes are events worth drawing on a graph. */
const STATUS_FIELDS = ['status', 'lifecycle', 'server', 'target', 'type'];

const VERBS: Record<string, string> = {
  create: 'created',
  update: 'changed',
  delete: 'deleted',
  request: 'requested',
  confirm: 'confirmed',
  change: 're-pointed (change requested)',
};

export interface AnnotationQuery {
  /** Unix seconds. */
  from: number;
  until: number;
  /** Entity refs; all entities when absent. */
  entities?: readonly string[];
  /** Keep only annotations carrying every one of these tags. */
  tags?: readonly string[];
  limit: number;
}

export function annotations(service: InventoryService, q: AnnotationQuery): InventoryAnnotation[] {
  const owners = q.entities?.map((e) => service.resolve(e, 'entity'));
  const range = { from: q.from * 1000, until: q.until * 1000 };
  const out: InventoryAnnotation[] = [];

  const notes = owners
    ? owners.flatMap((owner) => service.store.notes({ owner, ...range }))
    : service.store.notes(range);
  for (const n of notes) {
    out.push({
      time: n.time / 1000,
      title: `Note on ${n.entity} by ${n.author}`,
      text: n.body,
      tags: ['inventory', 'note', n.owner.kind, ...(n.pinned ? ['pinned'] : [])],
      entity: n.entity,
    });
  }

  const seen = new Set<number>();
  for (const subject of owners ?? [undefined]) {
    const changes = service.history.query({
      subject,
      kinds: ['alias', 'server', 'application'],
      fields: STATUS_FIELDS,
      since: range.from,
      until: range.until,
      limit: q.limit,
    });
    for (const h of changes) {
      if (seen.has(h.id) || !isEvent(h)) continue;
      seen.add(h.id);
      out.push(statusAnnotation(h));
    }
  }

  return out
    .filter((a) => (q.tags ?? []).every((t) => a.tags.includes(t)))
    .sort((a, b) => a.time - b.time)
    .slice(0, q.limit);
}

/**
 * Every change to an alias's status or target is a DNS event, its creation and deletion included. Servers and
 * applications come and go in bulk (an import creates hundreds): only their status and lifecycle changes are events.
 */
function isEvent(h: InventoryHistoryEntry): boolean {
  if (h.entity.startsWith('alias:')) return true;
  return h.action === 'update' && (h.changes.status !== undefined || h.changes.lifecycle !== undefined);
}

function statusAnnotation(h: InventoryHistoryEntry): InventoryAnnotation {
  const kind = parseRef(h.entity)?.kind ?? 'alias';
  const c = h.changes;
  const parts: string[] = [];
  for (const field of ['status', 'lifecycle']) {
    if (c[field]) parts.push(`${field} ${show(c[field].from)} → ${show(c[field].to)}`);
  }
  if (c.server || c.target || c.type) {
    const after = (f: string) => (c[f] ? c[f].to : undefined);
    const pointsAt = after('server') ?? after('target');
    if (pointsAt !== undefined && pointsAt !== null) parts.push(`points at ${show(pointsAt)}`);
    if (c.type?.to) parts.push(`record ${show(c.type.to)}`);
  }
  const status = (c.status?.to ?? c.lifecycle?.to) as string | null | undefined;
  return {
    time: h.time,
    title: `${h.entity} ${VERBS[h.action] ?? h.action}`,
    text: `${parts.join('; ')}${parts.length ? ' — ' : ''}by ${actorLabel(h.actor)}`,
    tags: ['inventory', kind, 'status', h.action, ...(status ? [status] : [])],
    entity: h.entity,
  };
}

function show(v: unknown): string {
  return v === null || v === undefined ? 'none' : String(v);
}
