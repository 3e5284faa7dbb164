/**
 * Groups, rules and notifiers: those made through the API, kept in the catalog database, and those provisioned from
 * YAML, kept in memory and read-only. A provisioned object shadows an API one of the same name, so a file always
 * says what runs. References are checked on every change: a rule's group and notifiers must exist, and a group or
 * notifier still in use cannot be deleted.
 */
import type { AlertNotifierSpec } from '../../shared/api';
import type { Catalog } from '../catalog/db';
import { checkNotifier, keepSecrets } from './notifiers';
import {
  compileGroup,
  compileRule,
  RuleValidationError,
  type AlertGroup,
  type AlertRule,
  type FieldError,
} from './rules';

export interface DefinitionSet {
  groups: AlertGroup[];
  rules: AlertRule[];
  notifiers: AlertNotifierSpec[];
}

export interface Defined<T> {
  value: T;
  provisioned: boolean;
}

/** A change the API may not make: 404 for a missing object, 409 for a provisioned or still referenced one. */
export class DefinitionError extends Error {
  constructor(
    message: string,
    readonly status: 404 | 409
  ) {
    super(message);
  }
}

export class Definitions {
  private provisioned: DefinitionSet = { groups: [], rules: [], notifiers: [] };
  private readonly apiGroups = new Map<string, AlertGroup>();
  private readonly apiRules = new Map<string, AlertRule>();
  private readonly apiNotifiers = new Map<string, AlertNotifierSpec>();
  private readonly listeners: Array<() => void> = [];

  constructor(
    private readonly db: Catalog,
    private readonly now: () => number = Date.now
  ) {
    for (const r of db.prepare('SELECT spec FROM alert_groups').all() as Array<{ spec: string }>) {
      const g = compileGroup(JSON.parse(r.spec));
      this.apiGroups.set(g.name, g);
    }
    for (const r of db.prepare('SELECT spec FROM alert_rules').all() as Array<{ spec: string }>) {
      const rule = compileRule(JSON.parse(r.spec));
      this.apiRules.set(rule.uid, rule);
    }
    for (const r of db.prepare('SELECT spec FROM alert_notifiers').all() as Array<{ spec: string }>) {
      const n = JSON.parse(r.spec) as AlertNotifierSpec;
      this.apiNotifiers.set(n.name, n);
    }
  }

  /** Called after every change, provisioned or through the API. */
  onChange(listener: () => void): void {
    this.listeners.push(listener);
  }

  setProvisioned(set: DefinitionSet): void {
    this.provisioned = set;
    this.changed();
  }

  groups(): Array<Defined<AlertGroup>> {
    return merge(this.provisioned.groups, this.apiGroups, (g) => g.name);
  }

  rules(): Array<Defined<AlertRule>> {
    return merge(this.provisioned.rules, this.apiRules, (r) => r.uid);
  }

  notifiers(): Array<Defined<AlertNotifierSpec>> {
    return merge(this.provisioned.notifiers, this.apiNotifiers, (n) => n.name);
  }

  group(name: string): Defined<AlertGroup> | undefined {
    return this.groups().find((g) => g.value.name === name);
  }

  rule(uid: string): Defined<AlertRule> | undefined {
    return this.rules().find((r) => r.value.uid === uid);
  }

  notifier(name: string): Defined<AlertNotifierSpec> | undefined {
    return this.notifiers().find((n) => n.value.name === name);
  }

  /** Checks a rule against the groups and notifiers that exist; throws RuleValidationError. */
  checkReferences(rule: AlertRule): void {
    const errors: FieldError[] = [];
    if (!this.group(rule.group)) errors.push({ field: 'group', error: `no group named "${rule.group}"` });
    for (const n of rule.notifiers) {
      if (!this.notifier(n)) errors.push({ field: 'notifiers', error: `no notifier named "${n}"` });
    }
    if (errors.length > 0) throw new RuleValidationError(errors);
  }

  putRule(input: unknown): AlertRule {
    const rule = compileRule(input);
    this.refuseProvisioned(
      'rule',
      rule.uid,
      this.provisioned.rules.some((r) => r.uid === rule.uid)
    );
    this.checkReferences(rule);
    this.db
      .prepare(
        `INSERT INTO alert_rules (uid, group_name, spec, updated_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (uid) DO UPDATE SET group_name = excluded.group_name, spec = excluded.spec, updated_at = excluded.updated_at`
      )
      .run(rule.uid, rule.group, JSON.stringify(rule.spec), this.now());
    this.apiRules.set(rule.uid, rule);
    this.changed();
    return rule;
  }

  deleteRule(uid: string): void {
    this.refuseProvisioned(
      'rule',
      uid,
      this.provisioned.rules.some((r) => r.uid === uid)
    );
    if (!this.apiRules.delete(uid)) throw new DefinitionError(`no rule "${uid}"`, 404);
    this.db.prepare('DELETE FROM alert_rules WHERE uid = ?').run(uid);
    this.changed();
  }

  putGroup(input: unknown): AlertGroup {
    const group = compileGroup(input);
    this.refuseProvisioned(
      'group',
      group.name,
      this.provisioned.groups.some((g) => g.name === group.name)
    );
    const missing = group.notifiers.filter((n) => !this.notifier(n));
    if (missing.length > 0) {
      throw new RuleValidationError([{ field: 'notifiers', error: `no notifier named "${missing[0]}"` }]);
    }
    this.db
      .prepare(
        `INSERT INTO alert_groups (name, spec, updated_at) VALUES (?, ?, ?)
         ON CONFLICT (name) DO UPDATE SET spec = excluded.spec, updated_at = excluded.updated_at`
      )
      .run(group.name, JSON.stringify(group.spec), this.now());
    this.apiGroups.set(group.name, group);
    this.changed();
    return group;
  }

  deleteGroup(name: string): void {
    this.refuseProvisioned(
      'group',
      name,
      this.provisioned.groups.some((g) => g.name === name)
    );
    if (!this.apiGroups.has(name)) throw new DefinitionError(`no group "${name}"`, 404);
    const users = this.rules().filter((r) => r.value.group === name);
    if (users.length > 0) {
      throw new DefinitionError(
        `group "${name}" still has ${users.length} rule(s), e.g. "${users[0]!.value.uid}"`,
        409
      );
    }
    this.apiGroups.delete(name);
    this.db.prepare('DELETE FROM alert_groups WHERE name = ?').run(name);
    this.changed();
  }

  /** Stores a notifier; secrets sent back as the mask keep their stored values. */
  putNotifier(input: unknown): AlertNotifierSpec {
    const incoming = checkNotifier(input);
    this.refuseProvisioned(
      'notifier',
      incoming.name,
      this.provisioned.notifiers.some((n) => n.name === incoming.name)
    );
    const spec = checkNotifier(keepSecrets(incoming, this.apiNotifiers.get(incoming.name)));
    this.db
      .prepare(
        `INSERT INTO alert_notifiers (name, type, spec, updated_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (name) DO UPDATE SET type = excluded.type, spec = excluded.spec, updated_at = excluded.updated_at`
      )
      .run(spec.name, spec.type, JSON.stringify(spec), this.now());
    this.apiNotifiers.set(spec.name, spec);
    this.changed();
    return spec;
  }

  deleteNotifier(name: string): void {
    this.refuseProvisioned(
      'notifier',
      name,
      this.provisioned.notifiers.some((n) => n.name === name)
    );
    if (!this.apiNotifiers.has(name)) throw new DefinitionError(`no notifier "${name}"`, 404);
    const user =
      this.rules().find((r) => r.value.notifiers.includes(name))?.value.uid ??
      this.groups().find((g) => g.value.notifiers.includes(name))?.value.name;
    if (user !== undefined) throw new DefinitionError(`notifier "${name}" is still used by "${user}"`, 409);
    this.apiNotifiers.delete(name);
    this.db.prepare('DELETE FROM alert_notifiers WHERE name = ?').run(name);
    this.changed();
  }

  private refuseProvisioned(kind: string, name: string, provisioned: boolean): void {
    if (provisioned) {
      throw new DefinitionError(
        `${kind} "${name}" is provisioned from the worker's provisioning folder; change it there`,
        409
      );
    }
  }

  private changed(): void {
    for (const l of this.listeners) l();
  }
}

function merge<T>(provisioned: readonly T[], api: ReadonlyMap<string, T>, id: (t: T) => string): Array<Defined<T>> {
  const shadowed = new Set(provisioned.map(id));
  return [
    ...provisioned.map((value) => ({ value, provisioned: true })),
    ...[...api.values()].filter((v) => !shadowed.has(id(v))).map((value) => ({ value, provisioned: false })),
  ];
}
