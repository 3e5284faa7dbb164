/**
 * Provisioning: rule groups, their rules and notifiers from the YAML files of the worker's provisioning folder
 * (`alerting.provisioningDir`), read at start and on SIGHUP. Every `*.yaml` / `*.yml` file may hold:
 *
 *   notifiers:
 *     - name: ops-mail
 *       type: smtp
 *       settings: { to: [ops@example.com] }
 *   groups:
 *     - name: servers
 *       interval: 1min
 *       notifiers: [ops-mail]
 *       rules:
 *         - uid: load-high
 *           title: High load
 *           target: servers.*.loadavg.01
 *           window: 5min
 *           reducer: avg
 *           condition: { op: above, threshold: 4, recoveryThreshold: 3 }
 *           for: 5min
 *
 * A rule's group is the one it is listed under. `${NAME}` in a string is replaced by the environment variable, so
 * secrets need not be written into the files. Problems are reported as `file:line:column: path: what`, all of them
 * at once; the caller keeps the previous set when there are any.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

import { isMap, isSeq, LineCounter, parseDocument, type Document } from 'yaml';

import type { DefinitionSet } from './definitions';
import { checkNotifier } from './notifiers';
import { compileGroup, compileRule, RuleValidationError, type AlertGroup, type AlertRule } from './rules';

export class ProvisioningError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
  }
}

type Segment = string | number;

interface Source {
  file: string;
  doc: Document.Parsed;
  lines: LineCounter;
}

/** Reads every YAML file of `dir` (sorted by name); throws ProvisioningError listing every problem. */
export function loadProvisioning(
  dir: string,
  env: Readonly<Record<string, string | undefined>>,
  notifierExists: (name: string) => boolean = () => false
): DefinitionSet {
  let files: string[];
  try {
    files = readdirSync(dir)
      .filter((f) => /\.ya?ml$/.test(f))
      .sort();
  } catch (e) {
    throw new ProvisioningError([`${dir}: cannot read the provisioning folder: ${(e as Error).message}`]);
  }
  const problems: string[] = [];
  const set: DefinitionSet = { groups: [], rules: [], notifiers: [] };
  const where = new Map<string, string>();
  const rulePlaces: Array<{ rule: AlertRule; source: Source; at: Segment[] }> = [];

  const claim = (kind: string, name: string, source: Source, at: Segment[]): boolean => {
    const id = `${kind}:${name}`;
    const first = where.get(id);
    if (first) {
      problems.push(locate(source, at, `${kind} "${name}" is already defined at ${first}`));
      return false;
    }
    where.set(id, position(source, at));
    return true;
  };

  for (const name of files) {
    const file = path.join(dir, name);
    const lines = new LineCounter();
    const doc = parseDocument(readFileSync(file, 'utf8'), { lineCounter: lines, prettyErrors: false });
    const source: Source = { file, doc, lines };
    if (doc.errors.length > 0) {
      for (const e of doc.errors) {
        const { line, col } = lines.linePos(e.pos[0]);
        problems.push(`${file}:${line}:${col}: ${e.message.split('\n')[0]}`);
      }
      continue;
    }
    const value = expandEnv(doc.toJS(), env) as Record<string, unknown> | null;
    if (value === null || value === undefined) continue;
    if (typeof value !== 'object' || Array.isArray(value)) {
      problems.push(locate(source, [], 'expected a mapping with "groups" and/or "notifiers"'));
      continue;
    }
    for (const key of Object.keys(value)) {
      if (!['apiVersion', 'groups', 'notifiers'].includes(key))
        problems.push(locate(source, [key], 'unknown key (expected groups, notifiers)'));
    }
    listAt(value, 'notifiers', source, problems).forEach((raw, i) => {
      const at: Segment[] = ['notifiers', i];
      const spec = collect(() => checkNotifier(raw), source, at, problems);
      if (spec && claim('notifier', spec.name, source, at)) set.notifiers.push(spec);
    });
    listAt(value, 'groups', source, problems).forEach((raw, i) => {
      const at: Segment[] = ['groups', i];
      const { rules, ...groupSpec } = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
      const group: AlertGroup | undefined = collect(() => compileGroup(groupSpec), source, at, problems);
      if (group && claim('group', group.name, source, at)) set.groups.push(group);
      if (rules === undefined) return;
      if (!Array.isArray(rules)) {
        problems.push(locate(source, [...at, 'rules'], 'expected a list of rules'));
        return;
      }
      rules.forEach((r: unknown, j) => {
        const ruleAt: Segment[] = [...at, 'rules', j];
        const withGroup = typeof r === 'object' && r !== null ? { ...r, group: groupSpec.name } : r;
        const rule = collect(() => compileRule(withGroup), source, ruleAt, problems);
        if (rule && claim('rule', rule.uid, source, ruleAt)) {
          set.rules.push(rule);
          rulePlaces.push({ rule, source, at: ruleAt });
        }
      });
    });
  }

  const notifierNames = new Set(set.notifiers.map((n) => n.name));
  const known = (n: string) => notifierNames.has(n) || notifierExists(n);
  for (const { rule, source, at } of rulePlaces) {
    for (const n of rule.notifiers)
      if (!known(n)) problems.push(locate(source, [...at, 'notifiers'], `no notifier named "${n}"`));
  }
  for (const g of set.groups) {
    for (const n of g.notifiers) if (!known(n)) problems.push(`group "${g.name}": no notifier named "${n}"`);
  }
  if (problems.length > 0) throw new ProvisioningError(problems);
  return set;
}

function listAt(value: Record<string, unknown>, key: string, source: Source, problems: string[]): unknown[] {
  const list = value[key];
  if (list === undefined || list === null) return [];
  if (!Array.isArray(list)) {
    problems.push(locate(source, [key], 'expected a list'));
    return [];
  }
  return list;
}

/** Runs a validation, turning its field errors into located problems. */
function collect<T>(compile: () => T, source: Source, at: Segment[], problems: string[]): T | undefined {
  try {
    return compile();
  } catch (e) {
    if (!(e instanceof RuleValidationError)) throw e;
    for (const err of e.errors) problems.push(locate(source, [...at, ...fieldPath(err.field)], err.error));
    return undefined;
  }
}

/** `condition.threshold` → ['condition', 'threshold'], `matchers[0].name` → ['matchers', 0, 'name']. */
function fieldPath(field: string): Segment[] {
  if (field === '') return [];
  return field
    .replace(/\[(\d+)\]/g, '.$1')
    .split('.')
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

/** `file:line:col: path: message` at the deepest node of `at` the file has. */
function locate(source: Source, at: Segment[], message: string): string {
  const shown = at.map((s, i) => (typeof s === 'number' ? `[${s}]` : i === 0 ? s : `.${s}`)).join('');
  return `${position(source, at)}: ${shown ? `${shown}: ` : ''}${message}`;
}

/** `file:line:col` of the deepest node of `at` the file has. */
function position(source: Source, at: Segment[]): string {
  let node: unknown = source.doc.contents;
  let found = node;
  for (const seg of at) {
    if (isMap(node)) node = node.get(seg, true);
    else if (isSeq(node) && typeof seg === 'number') node = node.get(seg, true);
    else break;
    if (node === undefined) break;
    found = node;
  }
  const offset = (found as { range?: [number, number] } | null)?.range?.[0] ?? 0;
  const { line, col } = source.lines.linePos(offset);
  return `${source.file}:${line}:${col}`;
}

/** `${NAME}` in any string becomes the environment variable's value ('' when unset). */
function expandEnv(value: unknown, env: Readonly<Record<string, string | undefined>>): unknown {
  if (typeof value === 'string')
    return value.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_m, name: string) => env[name] ?? '');
  if (Array.isArray(value)) return value.map((v) => expandEnv(v, env));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, expandEnv(v, env)]));
  }
  return value;
}
