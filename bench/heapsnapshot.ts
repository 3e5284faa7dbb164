/**
 * What a V8 heap snapshot holds, by kind of object: the live heap after the full collection the snapshot makes.
 */
import { readFileSync } from 'node:fs';

interface HeapSnapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[], ...unknown[]] } };
  nodes: number[];
  strings: string[];
}

export interface HeapGroup {
  /** Constructor name, or the kind of a non-object node: (string), (code), (array) ... */
  name: string;
  count: number;
  bytes: number;
}

export function summarizeHeapSnapshot(file: string, top = 12): { total: number; groups: HeapGroup[] } {
  const s = JSON.parse(readFileSync(file, 'utf8')) as HeapSnapshot;
  const fields = s.snapshot.meta.node_fields;
  const types = s.snapshot.meta.node_types[0];
  const width = fields.length;
  const typeAt = fields.indexOf('type');
  const nameAt = fields.indexOf('name');
  const sizeAt = fields.indexOf('self_size');
  const groups = new Map<string, HeapGroup>();
  let total = 0;
  for (let i = 0; i < s.nodes.length; i += width) {
    const type = types[s.nodes[i + typeAt]!]!;
    const raw = s.strings[s.nodes[i + nameAt]!]!;
    let name: string;
    if (type === 'object' || type === 'closure') {
      name = type === 'closure' ? `(closure) ${raw}` : raw;
    } else if (type === 'array') {
      name = `(array) ${raw}`;
    } else if (type === 'native') {
      name = `(native) ${raw}`;
    } else {
      name = `(${type})`;
    }
    name = name.slice(0, 60);
    const bytes = s.nodes[i + sizeAt]!;
    total += bytes;
    const g = groups.get(name) ?? { name, count: 0, bytes: 0 };
    g.count++;
    g.bytes += bytes;
    groups.set(name, g);
  }
  return { total, groups: [...groups.values()].sort((a, b) => b.bytes - a.bytes).slice(0, top) };
}
