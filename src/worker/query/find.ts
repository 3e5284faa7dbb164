/**
 * Graphite's metric tree and tag database, answered from the store's series catalog:
 * /metrics/find and /metrics/expand, /tags with its autocompletion, and the tag expressions of
 * seriesByTag, with graphite-web 1.1's semantics (graphite/tags/base.py, localdatabase.py).
 *
 * As in Graphite, the tree holds the untagged series (`a.b.c`); tagged ones (`a.b;k=v`) are
 * reached through tags. Every series is in the tag database, with its path as tag `name`.
 */
import { globToRegExp } from '../store/select';
import { formatTaggedPath } from '../ingest/labels';
import type { LabelMatcher, MatchOp, SeriesReader, SeriesRef } from '../store/types';
import { QueryError } from './types';

/** graphite-web's TAGDB_AUTOCOMPLETE_LIMIT. */
export const AUTOCOMPLETE_LIMIT = 100;

/**
 * seriesByTag's expressions as label matchers: `tag=value`, `tag!=value`, `tag=~regex`,
 * `tag!=~regex`. A missing tag counts as the empty value, regexes are anchored at the start, and
 * at least one expression must require a non-empty value (else every series would match).
 */
export function parseTagExpressions(exprs: readonly string[]): LabelMatcher[] {
  let requiresValue = false;
  const matchers = exprs.map((spec) => {
    const m = /^([^;!=]+)(!?=~?)([^;]*)$/.exec(spec);
    if (!m) {
      throw new QueryError(
        `invalid tag expression '${spec}': expected tag=value, tag!=value, tag=~regex or tag!=~regex`
      );
    }
    const [, label, op, value] = m as unknown as [string, string, MatchOp, string];
    let matchesEmpty: boolean;
    if (op === '=' || op === '!=') {
      matchesEmpty = (value === '') === (op === '=');
    } else {
      let re: RegExp;
      try {
        re = new RegExp('^(?:' + value + ')');
      } catch (e) {
        throw new QueryError(`invalid regular expression in tag expression '${spec}': ${(e as Error).message}`);
      }
      matchesEmpty = re.test('') === (op === '=~');
    }
    requiresValue ||= !matchesEmpty;
    return { label, op, value };
  });
  if (!requiresValue) {
    throw new QueryError('at least one tag expression must require a non-empty value');
  }
  return matchers;
}

function isTagged(ref: SeriesRef): boolean {
  for (const _ in ref.labels) return true;
  return false;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A node of the metric tree; one path may be both a leaf (a series) and a branch (a prefix of others). */
export interface TreeNode {
  path: string;
  /** The last dot-separated part. */
  name: string;
  leaf: boolean;
  branch: boolean;
}

function compileGlob(pattern: string): RegExp {
  try {
    return globToRegExp(pattern);
  } catch (e) {
    throw new QueryError(`invalid metric pattern '${pattern}': ${(e as Error).message}`, undefined, 'query');
  }
}

/** The tree nodes a pattern names (one node per dot-separated part of it), by path; with `leavesOnly`, leaves only. */
export function findNodes(reader: SeriesReader, pattern: string, leavesOnly = false): TreeNode[] {
  const body = compileGlob(pattern).source.slice(1, -1);
  const nodes = new Map<string, TreeNode>();
  const node = (path: string): TreeNode => {
    let n = nodes.get(path);
    if (!n) {
      n = { path, name: path.slice(path.lastIndexOf('.') + 1), leaf: false, branch: false };
      nodes.set(path, n);
    }
    return n;
  };
  for (const ref of reader.find({ glob: pattern })) {
    if (!isTagged(ref)) node(ref.name).leaf = true;
  }
  if (!leavesOnly) {
    const prefix = new RegExp('^(?:' + body + ')(?=\\.)');
    for (const ref of reader.find({ matchers: [{ label: 'name', op: '=~', value: body + '\\.' }] })) {
      if (isTagged(ref)) continue;
      const m = prefix.exec(ref.name);
      if (m) node(m[0]).branch = true;
    }
  }
  return [...nodes.values()].sort((a, b) => compare(a.path, b.path));
}

/**
 * graphite-web's match list: one entry per branch and per leaf, sorted by name, a branch before
 * the leaf of the same path.
 */
function matchList(nodes: TreeNode[]): Array<{ path: string; name: string; leaf: boolean }> {
  const out: Array<{ path: string; name: string; leaf: boolean }> = [];
  for (const n of nodes) {
    if (n.branch) out.push({ path: n.path, name: n.name, leaf: false });
    if (n.leaf) out.push({ path: n.path, name: n.name, leaf: true });
  }
  return out.sort((a, b) => compare(a.name, b.name) || Number(a.leaf) - Number(b.leaf));
}

export interface TreeJsonNode {
  text: string;
  id: string;
  allowChildren: 0 | 1;
  expandable: 0 | 1;
  leaf: 0 | 1;
}

/**
 * /metrics/find's treejson: one entry per name (a branch wins over a leaf of the same name),
 * branches first; ids are the query's parent plus the name, so `a.*.cpu` answers `a.*.cpu`.
 * With `wildcards`, a `*` entry leads when there is more than one match.
 */
export function treeJson(
  reader: SeriesReader,
  query: string,
  opts: { wildcards: boolean; leavesOnly: boolean }
): TreeJsonNode[] {
  const { wildcards } = opts;
  const base = query.includes('.') ? query.slice(0, query.lastIndexOf('.') + 1) : '';
  const matches = matchList(findNodes(reader, query, opts.leavesOnly));
  const kind = (leaf: boolean) =>
    leaf
      ? ({ allowChildren: 0, expandable: 0, leaf: 1 } as const)
      : ({ allowChildren: 1, expandable: 1, leaf: 0 } as const);
  const out: TreeJsonNode[] = [];
  if (matches.length > 1 && wildcards) {
    out.push({ text: '*', id: base + '*', ...kind(matches.every((m) => m.leaf)) });
  }
  const seen = new Set<string>();
  const branches: TreeJsonNode[] = [];
  const leaves: TreeJsonNode[] = [];
  for (const m of matches) {
    if (seen.has(m.name)) continue;
    seen.add(m.name);
    (m.leaf ? leaves : branches).push({ text: unquotePlus(m.name), id: base + m.name, ...kind(m.leaf) });
  }
  return [...out, ...branches, ...leaves];
}

function unquotePlus(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return s.replace(/\+/g, ' ');
  }
}

export interface CompleterNode {
  path?: string;
  name: string;
  is_leaf?: '0' | '1';
}

/** /metrics/find's completer format: what a typed prefix could continue with. */
export function completer(
  reader: SeriesReader,
  query: string,
  opts: { wildcards: boolean; leavesOnly: boolean }
): { metrics: CompleterNode[] } {
  let q = query.replace(/\.\./g, '*.');
  if (!q.endsWith('*')) q += '*';
  const metrics: CompleterNode[] = matchList(findNodes(reader, q, opts.leavesOnly)).map((m) => ({
    path: m.leaf ? m.path : m.path + '.',
    name: m.name,
    is_leaf: m.leaf ? '1' : '0',
  }));
  if (metrics.length > 1 && opts.wildcards) metrics.push({ name: '*' });
  return { metrics };
}

/** /metrics/expand: the paths each query names, merged and sorted, or per query (`groupByExpr`). */
export function expand(
  reader: SeriesReader,
  queries: string[],
  opts: { leavesOnly: boolean; groupByExpr: boolean }
): { results: string[] | Record<string, string[]> } {
  const per: Record<string, string[]> = {};
  for (const q of queries) {
    per[q] = findNodes(reader, q, opts.leavesOnly).map((n) => n.path);
  }
  if (opts.groupByExpr) return { results: per };
  return { results: [...new Set(Object.values(per).flat())].sort(compare) };
}

/** A tag filter as graphite-web applies it: a regular expression anchored at the start. */
function anchored(filter: string | undefined, what: string): RegExp | undefined {
  if (!filter) return undefined;
  try {
    return new RegExp(filter.startsWith('^') ? filter : '^(?:' + filter + ')');
  } catch (e) {
    throw new QueryError(`invalid ${what} '${filter}': ${(e as Error).message}`, undefined, what);
  }
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** /tags: every tag name (including `name`), sorted, optionally filtered and limited. */
export function listTags(reader: SeriesReader, filter?: string, limit?: number): Array<{ tag: string }> {
  const re = anchored(filter, 'filter');
  const tags = new Set<string>();
  for (const ref of reader.find({})) {
    tags.add('name');
    for (const k in ref.labels) tags.add(k);
  }
  const sorted = [...tags].filter((t) => !re || re.test(t)).sort(compare);
  return (limit ? sorted.slice(0, limit) : sorted).map((tag) => ({ tag }));
}

export interface TagDetails {
  tag: string;
  values: Array<{ value: string; count: number }>;
}

/** /tags/<tag>: the tag's values with how many series have each; undefined for an unknown tag. */
export function tagValues(reader: SeriesReader, tag: string, filter?: string, limit?: number): TagDetails | undefined {
  const re = anchored(filter, 'filter');
  const counts = new Map<string, number>();
  for (const ref of reader.find({})) {
    const v = tag === 'name' ? ref.name : ref.labels[tag];
    if (v !== undefined) counts.set(v, (counts.get(v) ?? 0) + 1);
  }
  if (counts.size === 0) return undefined;
  const values = [...counts]
    .filter(([v]) => !re || re.test(v))
    .sort((a, b) => compare(a[0], b[0]))
    .map(([value, count]) => ({ value, count }));
  return { tag, values: limit ? values.slice(0, limit) : values };
}

/** The series matching tag expressions, as sorted canonical paths (/tags/findSeries). */
export function findSeries(reader: SeriesReader, exprs: string[]): string[] {
  return reader
    .find({ matchers: parseTagExpressions(exprs) })
    .map((r) => formatTaggedPath(r.name, r.labels))
    .sort(compare);
}

/** Tags of the series matching `exprs`, besides those the expressions name, for the editor's tag picker. */
export function autoCompleteTags(
  reader: SeriesReader,
  exprs: string[],
  prefix?: string,
  limit = AUTOCOMPLETE_LIMIT
): string[] {
  if (exprs.length === 0) {
    return listTags(reader, prefix ? '^(' + escapeRegExp(prefix) + ')' : undefined, limit).map((t) => t.tag);
  }
  const matchers = parseTagExpressions(exprs);
  const searched = new Set(matchers.map((m) => m.label));
  const tags = new Set<string>();
  for (const ref of reader.find({ matchers })) {
    for (const t of ['name', ...Object.keys(ref.labels)]) {
      if (!searched.has(t) && (!prefix || t.startsWith(prefix))) tags.add(t);
    }
  }
  return [...tags].sort(compare).slice(0, limit);
}

/** Values of `tag` among the series matching `exprs`, for the editor's value picker. */
export function autoCompleteValues(
  reader: SeriesReader,
  exprs: string[],
  tag: string,
  prefix?: string,
  limit = AUTOCOMPLETE_LIMIT
): string[] {
  if (exprs.length === 0) {
    const details = tagValues(reader, tag, prefix ? '^(' + escapeRegExp(prefix) + ')' : undefined, limit);
    return details ? details.values.map((v) => v.value) : [];
  }
  const values = new Set<string>();
  for (const ref of reader.find({ matchers: parseTagExpressions([...exprs, tag + '!=']) })) {
    const v = tag === 'name' ? ref.name : ref.labels[tag];
    if (v !== undefined && (!prefix || v.startsWith(prefix))) values.add(v);
  }
  return [...values].sort(compare).slice(0, limit);
}
